import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { activityCardProblems } from './teams-card-check.js'

/** One request the connector received. */
export interface ConnectorCall {
  readonly method: string
  /** The path after the service URL, decoded (`/v3/conversations/19:x@thread.tacv2/activities`). */
  readonly path: string
  readonly conversationId: string | null
  readonly activityId: string | null
  readonly body: unknown
  readonly status: number
}

/** A programmed answer for the next matching call(s). */
export interface ConnectorFault {
  readonly method?: string
  /** Matched against the decoded path. */
  readonly path?: RegExp
  readonly status: number
  readonly body?: unknown
  readonly headers?: Record<string, string>
  /** How many matching calls get it (default 1). */
  times?: number
}

/** A roster entry (`TeamsChannelAccount`). */
export interface FakeMember {
  readonly id: string
  readonly objectId: string
  readonly name: string
  readonly email?: string
  readonly userPrincipalName?: string
}

/** Teams' message size limit, as the fake enforces it (chat-platforms.md §8.3). */
export const FAKE_SIZE_LIMIT = 28 * 1024

/**
 * A Bot Connector on loopback speaking the REST shapes of chat-platforms.md §5.2, under a regional
 * path prefix like the real service URLs (`…/amer/`): create a 1:1 conversation, send, update (PUT),
 * read a member, list a team's channels. It checks the bearer token against the fake
 * identity's issued tokens, records every call, keeps each conversation's activities (so tests
 * read the card as it stands), refuses bodies over Teams' size limit with 413, and can answer
 * programmed faults (429 + Retry-After, 5xx, 403…) or answer slowly.
 */
export class FakeBotConnector {
  readonly calls: ConnectorCall[] = []
  /** Conversation id → activity id → the activity as last written. */
  readonly activities = new Map<string, Map<string, Record<string, unknown>>>()
  /** Roster by user id (`29:…`), shared by every conversation. */
  readonly members = new Map<string, FakeMember>()
  /** Team id → its channels (`GET /v3/teams/{id}/conversations`). */
  readonly teamChannels = new Map<string, Array<{ id: string; name?: string }>>()
  /** Problems of cards received in sends and updates (checked with the adaptivecards parser). */
  readonly invalidCards: string[] = []
  /** Milliseconds every answer waits. */
  delayMs = 0
  readonly #faults: ConnectorFault[] = []
  readonly #acceptToken: (token: string) => boolean
  #server: Server | null = null
  #base = ''
  #next = 1

  constructor(acceptToken: (token: string) => boolean) {
    this.#acceptToken = acceptToken
  }

  /** The service URL activities carry (with the trailing slash Teams sends). */
  get serviceUrl(): string {
    return `${this.#base}/amer/`
  }

  fail(fault: ConnectorFault): void {
    this.#faults.push({ ...fault, times: fault.times ?? 1 })
  }

  addMember(m: FakeMember): void {
    this.members.set(m.id, m)
  }

  /** The calls with `method` whose path matches. */
  callsTo(method: string, path: RegExp): ConnectorCall[] {
    return this.calls.filter((c) => c.method === method && path.test(c.path))
  }

  /** The Adaptive Card of an activity as it stands now. */
  card(conversationId: string, activityId: string): Record<string, unknown> | undefined {
    const activity = this.activities.get(conversationId)?.get(activityId)
    return (activity?.['attachments'] as Array<{ content: Record<string, unknown> }> | undefined)?.[0]?.content
  }

  async start(): Promise<this> {
    this.#server = createServer((req, res) => void this.#handle(req, res))
    await new Promise<void>((resolve) => this.#server!.listen(0, '127.0.0.1', resolve))
    this.#base = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`
    return this
  }

  async close(): Promise<void> {
    this.#server?.closeAllConnections()
    await new Promise<void>((resolve) => (this.#server ? this.#server.close(() => resolve()) : resolve()))
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let raw = ''
    for await (const chunk of req) raw += String(chunk)
    if (this.delayMs > 0) await new Promise((r) => setTimeout(r, this.delayMs))
    const url = new URL(req.url ?? '/', this.#base)
    const method = req.method ?? 'GET'
    const path = url.pathname.startsWith('/amer') ? url.pathname.slice('/amer'.length) : url.pathname
    const parts = path.split('/').map(decodeURIComponent)
    const decoded = parts.join('/')
    const body = raw === '' ? null : (JSON.parse(raw) as unknown)
    const conversationId = parts[1] === 'v3' && parts[2] === 'conversations' ? (parts[3] ?? null) : null
    const activityId = parts[4] === 'activities' ? (parts[5] ?? null) : null
    const answer = (status: number, payload: unknown, headers: Record<string, string> = {}): void => {
      this.calls.push({ method, path: decoded, conversationId, activityId, body, status })
      res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(payload === undefined ? '' : JSON.stringify(payload))
    }
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1]
    if (!url.pathname.startsWith('/amer/')) return answer(404, { error: { code: 'NotFound', message: 'wrong service URL' } })
    if (!token || !this.#acceptToken(token)) return answer(401, { error: { code: 'Unauthorized', message: 'Authorization has been denied for this request.' } })
    const fault = this.#faults.find((f) => (f.method === undefined || f.method === method) && (f.path === undefined || f.path.test(decoded)) && (f.times ?? 0) > 0)
    if (fault) {
      fault.times = (fault.times ?? 1) - 1
      return answer(fault.status, fault.body ?? { error: { code: `Fault${fault.status}`, message: 'programmed fault' } }, fault.headers)
    }
    if (Buffer.byteLength(raw) > FAKE_SIZE_LIMIT) return answer(413, { error: { code: 'MessageSizeTooBig', message: 'Message size too big' } })
    if (parts[4] === 'activities') this.invalidCards.push(...activityCardProblems(body).map((p) => `${method} ${decoded}: ${p}`))

    if (method === 'POST' && parts[2] === 'conversations' && parts.length === 3) {
      // Opening a 1:1 chat: the same user always gets the same conversation, as in Teams.
      const b = body as { bot?: { id?: string }; members?: Array<{ id?: string }>; isGroup?: boolean; tenantId?: string }
      const member = b.members?.length === 1 ? this.members.get(b.members[0]!.id ?? '') : undefined
      if (!b.bot?.id?.startsWith('28:') || b.isGroup !== false || !b.tenantId || !member) return answer(400, { error: { code: 'BadArgument', message: 'invalid conversation parameters' } })
      return answer(201, { id: `a:created-${member.objectId}` })
    }
    if (method === 'POST' && conversationId && parts[4] === 'activities' && parts.length === 5) {
      const id = `1${String(this.#next++).padStart(12, '0')}`
      const conv = this.activities.get(conversationId) ?? new Map<string, Record<string, unknown>>()
      conv.set(id, body as Record<string, unknown>)
      this.activities.set(conversationId, conv)
      return answer(201, { id })
    }
    if (method === 'PUT' && conversationId && activityId) {
      const conv = this.activities.get(conversationId)
      if (!conv?.has(activityId)) return answer(404, { error: { code: 'ActivityNotFoundInConversation', message: 'unknown activity' } })
      conv.set(activityId, body as Record<string, unknown>)
      return answer(200, { id: activityId })
    }
    if (method === 'GET' && conversationId && parts[4] === 'members' && parts[5]) {
      const m = this.members.get(parts[5])
      return m ? answer(200, m) : answer(404, { error: { code: 'MemberNotFoundInConversation', message: 'The member was not found' } })
    }
    if (method === 'GET' && parts[2] === 'teams' && parts[4] === 'conversations') {
      return answer(200, { conversations: this.teamChannels.get(parts[3]!) ?? [] })
    }
    answer(404, { error: { code: 'NotFound', message: `no route ${method} ${decoded}` } })
  }
}
