/**
 * A local fake Slack for tests: the Web API over HTTP (form-encoded bodies as `@slack/web-api`
 * sends them, Bearer tokens checked, answers in Slack's shapes with `ok`), `response_url`
 * endpoints, and the Socket Mode WebSocket (`hello`, `interactive` envelopes, acks, pings).
 * It records every call and can answer `ok:false` errors, 429 with Retry-After, slow
 * responses, and a response lost after the call took effect (a crash between the two).
 */
import { once } from 'node:events'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { WebSocketServer, type WebSocket } from 'ws'
import { BlockKitLimitError, assertBlockKitLimits } from '../../src/channels/slack/slack-limits.js'

export const BOT_TOKEN = 'xoxb-test-bot-token'
export const APP_TOKEN = 'xapp-test-app-token'
export const TEAM = 'T0SIGNOFF'

/** One Web API call as received. */
export interface FakeCall {
  readonly method: string
  readonly params: Record<string, unknown>
  readonly token: string | null
}

/** A message in a fake conversation. */
export interface FakeMessage {
  readonly channel: string
  readonly ts: string
  text: string
  blocks: unknown[]
  readonly metadata: { event_type: string; event_payload: Record<string, unknown> } | null
  readonly threadTs: string | null
  /** How often chat.update replaced it. */
  edits: number
}

export interface FakeUser {
  readonly id: string
  readonly email: string | null
  readonly teamId?: string
  readonly deleted?: boolean
}

/** Which calls a knob applies to (all of the method's calls by default). */
export type CallMatch = (params: Record<string, unknown>) => boolean

type Knob = (
  | { readonly kind: 'error'; readonly error: string }
  | { readonly kind: 'rate_limit'; readonly retryAfter: number }
  | { readonly kind: 'http'; readonly status: number }
  /** Applies the call, then fails with HTTP 500: the effect happened, the caller never heard. */
  | { readonly kind: 'lost_response' }
  /** Applies the call, then holds the response until released. */
  | { readonly kind: 'hang'; readonly released: Promise<void> }
) & { readonly match?: CallMatch }

const JSON_FIELDS = new Set(['blocks', 'metadata', 'view', 'attachments'])

export class SlackFake {
  readonly calls: FakeCall[] = []
  readonly messages: FakeMessage[] = []
  readonly ephemerals: Array<{ channel: string; user: string; text: string }> = []
  readonly views: Array<{ triggerId: string; view: Record<string, unknown> }> = []
  /** Bodies POSTed to response URLs, by URL id. */
  readonly responses: Array<{ id: string; body: Record<string, unknown> }> = []
  readonly users = new Map<string, FakeUser>()
  /** Channels by id: name (C…/G…) or the DM's user (D…). */
  readonly channels = new Map<string, { name: string | null; member: boolean; dmUser?: string }>()
  readonly groups = new Map<string, string[]>()
  readonly #knobs = new Map<string, Knob[]>()
  readonly #delays = new Map<string, number>()
  /** Per connection: envelope id → resolver of its ack. */
  readonly #acks = new Map<WebSocket, Map<string, (payload: unknown) => void>>()
  #seq = 0
  #envelopes = 0

  private constructor(
    readonly server: Server,
    readonly wss: WebSocketServer,
    readonly url: string,
  ) {}

  /** Starts on 127.0.0.1 on a free port. */
  static async start(): Promise<SlackFake> {
    const server = createServer()
    const wss = new WebSocketServer({ noServer: true })
    server.listen(0, '127.0.0.1')
    await once(server, 'listening')
    const fake = new SlackFake(server, wss, `http://127.0.0.1:${(server.address() as AddressInfo).port}`)
    server.on('request', (req, res) => void fake.#http(req, res))
    server.on('upgrade', (req, socket, head) => {
      if (!req.url?.startsWith('/link')) return socket.destroy()
      wss.handleUpgrade(req, socket, head, (ws) => fake.#connected(ws))
    })
    return fake
  }

  /** The Web API base URL (`slackApiUrl`). */
  get apiUrl(): string {
    return `${this.url}/api/`
  }

  /** A response_url that records what is posted to it. */
  responseUrl(id: string): string {
    return `${this.url}/response/${id}`
  }

  addUser(u: FakeUser): this {
    this.users.set(u.id, u)
    return this
  }

  addChannel(id: string, name: string, member = true): this {
    this.channels.set(id, { name, member })
    return this
  }

  addGroup(id: string, members: string[]): this {
    this.groups.set(id, members)
    return this
  }

  /** The next `times` calls of `method` answer `{ok:false, error}`. */
  failNext(method: string, error: string, times = 1, match?: CallMatch): this {
    return this.#push(method, { kind: 'error', error, ...(match ? { match } : {}) }, times)
  }

  /** The next `times` calls of `method` answer 429 with `Retry-After: seconds`. */
  rateLimitNext(method: string, seconds: number, times = 1): this {
    return this.#push(method, { kind: 'rate_limit', retryAfter: seconds }, times)
  }

  /** The next call of `method` answers with an HTTP error status. */
  httpErrorNext(method: string, status: number): this {
    return this.#push(method, { kind: 'http', status }, 1)
  }

  /** The next call of `method` takes effect, then answers HTTP 500. */
  loseResponseNext(method: string, match?: CallMatch): this {
    return this.#push(method, { kind: 'lost_response', ...(match ? { match } : {}) }, 1)
  }

  /** The next call of `method` takes effect and then hangs until the returned function is called. */
  hangNext(method: string): () => void {
    let release!: () => void
    const released = new Promise<void>((r) => (release = r))
    this.#push(method, { kind: 'hang', released }, 1)
    return release
  }

  /** Every call of `method` waits `ms` before it is answered. */
  delay(method: string, ms: number): this {
    this.#delays.set(method, ms)
    return this
  }

  callsOf(method: string): FakeCall[] {
    return this.calls.filter((c) => c.method === method)
  }

  /** Top-level messages (not thread replies) in `channel`. */
  posts(channel?: string): FakeMessage[] {
    return this.messages.filter((m) => m.threadTs === null && (channel === undefined || m.channel === channel))
  }

  /** The thread replies under `ts`. */
  replies(channel: string, ts: string): FakeMessage[] {
    return this.messages.filter((m) => m.channel === channel && m.threadTs === ts)
  }

  /** Open Socket Mode connections. */
  get connections(): number {
    return this.#acks.size
  }

  /**
   * Sends an `interactive` envelope carrying `payload` to the open connections (all of them with
   * `to: 'all'`, as Slack may redeliver to another) and resolves with the ack payload(s).
   */
  async pushInteractive(payload: Record<string, unknown>, opts: { to?: 'one' | 'all'; envelopeId?: string } = {}): Promise<unknown[]> {
    const targets = [...this.#acks.keys()].filter((s) => s.readyState === s.OPEN)
    if (targets.length === 0) throw new Error('no Socket Mode connection')
    const chosen = opts.to === 'all' ? targets : targets.slice(0, 1)
    const id = opts.envelopeId ?? `env-${++this.#envelopes}`
    const acks = chosen.map((ws) => {
      const acked = new Promise<unknown>((resolve) => this.#acks.get(ws)!.set(id, resolve))
      ws.send(JSON.stringify({ envelope_id: id, type: 'interactive', accepts_response_payload: payload['type'] === 'view_submission', payload }))
      return acked
    })
    return Promise.all(acks)
  }

  /** Asks every connection to reconnect, as Slack does when it recycles a server. */
  disconnectAll(reason = 'refresh_requested'): void {
    for (const ws of this.#acks.keys()) ws.send(JSON.stringify({ type: 'disconnect', reason, debug_info: { host: 'fake' } }))
  }

  async close(): Promise<void> {
    for (const ws of this.#acks.keys()) ws.terminate()
    this.wss.close()
    this.server.closeAllConnections()
    this.server.close()
    await once(this.server, 'close').catch(() => {})
  }

  #push(method: string, knob: Knob, times: number): this {
    const list = this.#knobs.get(method) ?? []
    for (let i = 0; i < times; i++) list.push(knob)
    this.#knobs.set(method, list)
    return this
  }

  #connected(ws: WebSocket): void {
    this.#acks.set(ws, new Map())
    ws.send(JSON.stringify({ type: 'hello', num_connections: this.#acks.size, debug_info: { host: 'fake', approximate_connection_time: 18060 }, connection_info: { app_id: 'A0SIGNOFF' } }))
    const ping = setInterval(() => ws.ping(), 5000)
    ping.unref()
    ws.on('message', (data) => {
      const msg = JSON.parse(String(data)) as { envelope_id?: string; payload?: unknown }
      if (msg.envelope_id) this.#acks.get(ws)?.get(msg.envelope_id)?.(msg.payload ?? {})
    })
    ws.on('close', () => {
      clearInterval(ping)
      this.#acks.delete(ws)
    })
  }

  async #http(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = []
    for await (const c of req) chunks.push(c as Buffer)
    const raw = Buffer.concat(chunks).toString('utf8')
    const path = req.url ?? ''
    if (path.startsWith('/response/')) {
      this.responses.push({ id: path.slice('/response/'.length), body: JSON.parse(raw) as Record<string, unknown> })
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok')
      return
    }
    if (!path.startsWith('/api/')) {
      res.writeHead(404).end()
      return
    }
    const method = path.slice('/api/'.length).split('?')[0]!
    const params = parseBody(raw, req.headers['content-type'] ?? '')
    const auth = req.headers.authorization
    const token = auth?.startsWith('Bearer ') ? auth.slice('Bearer '.length) : null
    this.calls.push({ method, params, token })
    const wait = this.#delays.get(method)
    if (wait) await new Promise((r) => setTimeout(r, wait))
    const knobs = this.#knobs.get(method) ?? []
    const at = knobs.findIndex((k) => !k.match || k.match(params))
    const knob = at < 0 ? undefined : knobs.splice(at, 1)[0]
    const send = (status: number, body: Record<string, unknown>, headers: Record<string, string> = {}): void => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers }).end(JSON.stringify(body))
    }
    if (knob?.kind === 'error') return send(200, { ok: false, error: knob.error })
    if (knob?.kind === 'rate_limit') return send(429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(knob.retryAfter) })
    if (knob?.kind === 'http') return send(knob.status, { ok: false, error: 'server_error' })
    const expected = method === 'apps.connections.open' ? APP_TOKEN : BOT_TOKEN
    if (token === null) return send(200, { ok: false, error: 'not_authed' })
    if (token !== expected) return send(200, { ok: false, error: 'invalid_auth' })
    const body = this.#api(method, params)
    if (knob?.kind === 'lost_response') return send(500, { ok: false, error: 'internal_error' })
    if (knob?.kind === 'hang') await knob.released
    send(200, body)
  }

  #api(method: string, p: Record<string, unknown>): Record<string, unknown> {
    const fail = (error: string): Record<string, unknown> => ({ ok: false, error })
    switch (method) {
      case 'auth.test':
        return { ok: true, url: 'https://fake.slack.com/', team: 'Fake', user: 'signoff', team_id: TEAM, user_id: 'U0BOT', bot_id: 'B0BOT' }
      case 'apps.connections.open':
        return { ok: true, url: `${this.url.replace('http', 'ws')}/link/?ticket=${++this.#seq}&app_id=A0SIGNOFF` }
      case 'chat.postMessage': {
        let channel = String(p['channel'] ?? '')
        if (/^[UW]/.test(channel)) {
          if (!this.users.has(channel)) return fail('channel_not_found')
          channel = this.#dm(channel)
        }
        const c = this.channels.get(channel)
        if (!c) return fail('channel_not_found')
        if (!c.member) return fail('not_in_channel')
        const checked = checkMessage(p)
        if (checked) return fail(checked)
        const threadTs = typeof p['thread_ts'] === 'string' ? p['thread_ts'] : null
        if (threadTs && !this.messages.some((m) => m.channel === channel && m.ts === threadTs)) return fail('thread_not_found')
        const ts = this.#ts()
        const metadata = (p['metadata'] as FakeMessage['metadata'] | undefined) ?? null
        const m: FakeMessage = { channel, ts, text: String(p['text'] ?? ''), blocks: (p['blocks'] as unknown[]) ?? [], metadata, threadTs, edits: 0 }
        this.messages.push(m)
        return { ok: true, channel, ts, message: { type: 'message', text: m.text, ts, bot_id: 'B0BOT' } }
      }
      case 'chat.update': {
        const m = this.messages.find((x) => x.channel === p['channel'] && x.ts === p['ts'])
        if (!this.channels.has(String(p['channel']))) return fail('channel_not_found')
        if (!m) return fail('message_not_found')
        const checked = checkMessage(p)
        if (checked) return fail(checked)
        m.text = String(p['text'] ?? m.text)
        if (p['blocks'] !== undefined) m.blocks = p['blocks'] as unknown[]
        m.edits++
        return { ok: true, channel: m.channel, ts: m.ts, text: m.text }
      }
      case 'chat.postEphemeral': {
        if (!this.channels.has(String(p['channel']))) return fail('channel_not_found')
        this.ephemerals.push({ channel: String(p['channel']), user: String(p['user']), text: String(p['text'] ?? '') })
        return { ok: true, message_ts: this.#ts() }
      }
      case 'conversations.history':
      case 'conversations.replies': {
        const channel = String(p['channel'] ?? '')
        if (!this.channels.has(channel)) return fail('channel_not_found')
        const withMeta = p['include_all_metadata'] === 'true' || p['include_all_metadata'] === true
        const oldest = Number(p['oldest'] ?? 0)
        let list =
          method === 'conversations.history'
            ? this.messages.filter((m) => m.channel === channel && m.threadTs === null && Number(m.ts) >= oldest).reverse()
            : this.messages.filter((m) => m.channel === channel && (m.ts === p['ts'] || m.threadTs === p['ts']))
        if (method === 'conversations.replies' && list.length === 0) return fail('thread_not_found')
        const start = Number(p['cursor'] ?? 0)
        const limit = Number(p['limit'] ?? 100)
        const page = list.slice(start, start + limit)
        const next = start + limit < list.length ? String(start + limit) : ''
        list = page
        return {
          ok: true,
          messages: list.map((m) => ({ type: 'message', ts: m.ts, text: m.text, ...(m.threadTs ? { thread_ts: m.threadTs } : {}), ...(withMeta && m.metadata ? { metadata: m.metadata } : {}) })),
          has_more: next !== '',
          response_metadata: { next_cursor: next },
        }
      }
      case 'conversations.open': {
        const user = String(p['users'] ?? '')
        if (!this.users.has(user)) return fail('user_not_found')
        if (this.users.get(user)!.deleted) return fail('user_disabled')
        return { ok: true, channel: { id: this.#dm(user) } }
      }
      case 'conversations.list': {
        const all = [...this.channels.entries()].filter(([, c]) => c.name !== null).map(([id, c]) => ({ id, name: c.name, is_member: c.member }))
        const start = Number(p['cursor'] || 0)
        const limit = Number(p['limit'] ?? 100)
        const next = start + limit < all.length ? String(start + limit) : ''
        return { ok: true, channels: all.slice(start, start + limit), response_metadata: { next_cursor: next } }
      }
      case 'users.info': {
        const u = this.users.get(String(p['user']))
        if (!u) return fail('user_not_found')
        return { ok: true, user: userJson(u) }
      }
      case 'users.lookupByEmail': {
        const email = String(p['email'] ?? '').toLowerCase()
        const u = [...this.users.values()].find((x) => x.email?.toLowerCase() === email)
        return u ? { ok: true, user: userJson(u) } : fail('users_not_found')
      }
      case 'usergroups.users.list': {
        const members = this.groups.get(String(p['usergroup']))
        return members ? { ok: true, users: members } : fail('no_such_subteam')
      }
      case 'views.open': {
        const triggerId = String(p['trigger_id'] ?? '')
        if (triggerId === '') return fail('invalid_trigger_id')
        const view = p['view'] as Record<string, unknown>
        try {
          assertBlockKitLimits((view['blocks'] as unknown[]) ?? [], 100)
        } catch (e) {
          if (e instanceof BlockKitLimitError) return fail('invalid_arguments')
          throw e
        }
        if (String((view['title'] as { text?: string })?.text ?? '').length > 24) return fail('invalid_arguments')
        this.views.push({ triggerId, view })
        return { ok: true, view: { id: `V${++this.#seq}`, ...view } }
      }
      default:
        return fail('unknown_method')
    }
  }

  #dm(user: string): string {
    const existing = [...this.channels.entries()].find(([, c]) => c.dmUser === user)
    if (existing) return existing[0]
    const id = `D${user.slice(1)}`
    this.channels.set(id, { name: null, member: true, dmUser: user })
    return id
  }

  #ts(): string {
    this.#seq++
    return `${Math.floor(Date.now() / 1000)}.${String(this.#seq).padStart(6, '0')}`
  }
}

function parseBody(raw: string, contentType: string): Record<string, unknown> {
  if (contentType.includes('application/json')) return JSON.parse(raw || '{}') as Record<string, unknown>
  const out: Record<string, unknown> = {}
  for (const [k, v] of new URLSearchParams(raw)) out[k] = JSON_FIELDS.has(k) ? JSON.parse(v) : v
  return out
}

/** Slack's checks on a message body: text or blocks, lengths, Block Kit limits. */
function checkMessage(p: Record<string, unknown>): string | null {
  const text = typeof p['text'] === 'string' ? p['text'] : ''
  const blocks = p['blocks'] as unknown[] | undefined
  if (text === '' && (!blocks || blocks.length === 0)) return 'no_text'
  if (text.length > 40_000) return 'msg_too_long'
  if (blocks) {
    try {
      assertBlockKitLimits(blocks)
    } catch (e) {
      if (e instanceof BlockKitLimitError) return 'invalid_blocks'
      throw e
    }
  }
  return null
}

function userJson(u: FakeUser): Record<string, unknown> {
  return { id: u.id, team_id: u.teamId ?? TEAM, name: u.id.toLowerCase(), deleted: u.deleted === true, is_bot: false, profile: u.email ? { email: u.email, real_name: u.id } : { real_name: u.id } }
}
