import { WebClient } from '@slack/web-api'
import {
  DeliveryError,
  type Channel,
  type ChannelHost,
  type ChannelRequestView,
  type DeliveryContext,
  type InboundInteraction,
  type InteractionResponse,
  type PostedMessage,
  type UpdateContext,
} from '../channel.js'
import { delivering } from './slack-errors.js'
import { SlackDirectory } from './slack-identity.js'
import { SlackInteractions } from './slack-interactions.js'
import { BlockKitLimitError, assertBlockKitLimits } from './slack-limits.js'
import { sdkLogger } from './slack-logger.js'
import { renderOutcomeNotice, renderRequestMessage, renderVoteReply, type SlackMessage } from './slack-message.js'
import { SlackPosts, type PostMetadata } from './slack-posts.js'
import { checkSlackSignature } from './slack-signature.js'
import { SlackSocket } from './slack-socket.js'

/** Options of {@link SlackChannel}: the `slack:` configuration section, plus test knobs. */
export interface SlackChannelOptions {
  /** `xoxb-…`. */
  readonly botToken: string
  /** HTTP interactivity at `POST /slack/interactions` when set. */
  readonly signingSecret: string | null
  /** `xapp-…`: Socket Mode when set. */
  readonly appToken: string | null
  /** Web API base URL, ending in `/`. */
  readonly apiUrl: string
  /** Interactions from any other workspace are refused. */
  readonly teamId: string | null
  /** For `response_url` answers; global fetch by default. */
  readonly fetch?: typeof fetch
  /** How long user, group and channel lookups are cached (default 10 minutes). */
  readonly cacheTtlMs?: number
  /** Web API call timeout (default 10 s). */
  readonly timeoutMs?: number
  /** Socket Mode keep-alive tuning (defaults: the SDK's 5 s and 30 s) and the first reconnect delay (1 s). */
  readonly socket?: { readonly clientPingTimeout?: number; readonly serverPingTimeout?: number; readonly retryMs?: number }
}

/** The HTTP interactivity endpoint. */
export const SLACK_INTERACTION_PATH = '/slack/interactions'

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8' }

/**
 * The Slack channel: Block Kit approval messages in channels and DMs, updated in place on every
 * state change with each vote threaded below, the requester told the outcome by DM, and clicks
 * taken over HTTP interactivity (signed) or Socket Mode. Every Web API call goes through the
 * outbox, so the SDK itself never retries (`retries: 0`, rate limits rejected): a 429 becomes
 * a DeliveryError carrying Retry-After.
 */
export class SlackChannel implements Channel<SlackMessage> {
  readonly name = 'slack'
  readonly interactionPath?: string
  readonly #o: SlackChannelOptions
  readonly #client: WebClient
  readonly #directory: SlackDirectory
  readonly #posts: SlackPosts
  readonly #inflight = new Set<Promise<void>>()
  #host: ChannelHost | null = null
  #interactions: SlackInteractions | null = null
  #socket: SlackSocket | null = null

  constructor(options: SlackChannelOptions) {
    this.#o = options
    if (options.signingSecret) this.interactionPath = SLACK_INTERACTION_PATH
    this.#client = new WebClient(options.botToken, {
      slackApiUrl: options.apiUrl,
      rejectRateLimitedCalls: true,
      retryConfig: { retries: 0 },
      timeout: options.timeoutMs ?? 10_000,
      logger: sdkLogger(() => this.#host?.log ?? null),
    })
    this.#directory = new SlackDirectory(this.#client, () => this.#now(), options.cacheTtlMs ?? 600_000)
    this.#posts = new SlackPosts(this.#client)
  }

  /** The approval message for the request's current state. Pure. */
  render(view: ChannelRequestView): SlackMessage {
    return renderRequestMessage(view)
  }

  /**
   * Posts to `#name`, a conversation id (`C…`, `G…`, `D…`), a user (`U…`, by DM), or `dm`: a DM
   * to every eligible approver Slack knows. Returns one post per conversation, keyed by its id.
   */
  async post(destination: string, view: ChannelRequestView, ctx: DeliveryContext): Promise<PostedMessage | readonly PostedMessage[]> {
    const message = checked(this.render(view))
    if (destination === 'dm') return this.#postDms(view, message, ctx)
    const conversation = await this.#conversation(destination)
    const ts = await this.#posts.postOnce(conversation, message, requestMeta(view), ctx)
    return { channel: this.name, destination: conversation, messageId: ts }
  }

  /** Replaces the message with the current state; threads the vote that caused the change. */
  async update(post: PostedMessage, view: ChannelRequestView, ctx: UpdateContext): Promise<void> {
    const message = checked(this.render(view))
    await delivering('chat.update', () => this.#client.chat.update({ channel: post.destination, ts: post.messageId, text: message.text, blocks: [...message.blocks] as never }))
    if (!ctx.vote) return
    const reply = checked(renderVoteReply(ctx.vote, view))
    const meta: PostMetadata = { event_type: 'signoff_vote', event_payload: { request_id: view.id, approver: ctx.vote.approver, at: ctx.vote.at } }
    await this.#posts.replyOnce(post.destination, post.messageId, reply, meta, ctx)
  }

  /** DMs the requester the outcome, when their email is a Slack user's; nobody to tell is not an error. */
  async notifyOutcome(view: ChannelRequestView, ctx: DeliveryContext): Promise<void> {
    if (!view.requester) return
    const user = await delivering('users.lookupByEmail', () => this.#directory.userIdByEmail(view.requester!))
    if (!user) {
      this.#host?.log.info({ request: view.id }, 'requester has no Slack account; no outcome DM')
      return
    }
    const dm = await this.#openDm(user)
    await this.#posts.postOnce(dm, checked(renderOutcomeNotice(view)), { event_type: 'signoff_outcome', event_payload: { request_id: view.id } }, ctx)
  }

  /** HTTP interactivity: signature and replay window first, then an immediate ack. */
  async interactions(inbound: InboundInteraction): Promise<InteractionResponse> {
    const secret = this.#o.signingSecret
    const handler = this.#interactions
    if (!secret || !handler) return { status: 503, headers: JSON_HEADERS, body: JSON.stringify({ error: 'not_ready', message: 'Slack interactivity is not running' }) }
    const form = new URLSearchParams(inbound.rawBody)
    // Slack's certificate check carries no payload and is not signed; it only needs a 200.
    if (form.get('ssl_check') === '1') return { status: 200, body: '' }
    const problem = checkSlackSignature({
      secret,
      rawBody: inbound.rawBody,
      timestamp: inbound.headers['x-slack-request-timestamp'],
      signature: inbound.headers['x-slack-signature'],
      nowMs: this.#now(),
    })
    if (problem) {
      this.#host?.log.warn({ problem }, 'slack interaction refused: signature check failed')
      return { status: 401, headers: JSON_HEADERS, body: JSON.stringify({ error: problem, message: SIGNATURE_MESSAGES[problem] }) }
    }
    let payload: unknown
    try {
      payload = JSON.parse(form.get('payload') ?? '')
    } catch {
      return { status: 400, headers: JSON_HEADERS, body: JSON.stringify({ error: 'malformed_payload', message: 'the form field payload must hold a JSON interaction payload' }) }
    }
    const handled = handler.handle(payload)
    this.#track(handled.after)
    return handled.ack ? { status: 200, headers: JSON_HEADERS, body: JSON.stringify(handled.ack) } : { status: 200, body: '' }
  }

  /** Takes the host; with an app token, opens the Socket Mode connection (kept up by SlackSocket). */
  async start(host: ChannelHost): Promise<void> {
    this.#host = host
    const interactions = new SlackInteractions({ client: this.#client, directory: this.#directory, host, teamId: this.#o.teamId, fetch: this.#o.fetch ?? fetch })
    this.#interactions = interactions
    if (!this.#o.appToken) return
    const socket = new SlackSocket({
      appToken: this.#o.appToken,
      apiUrl: this.#o.apiUrl,
      log: () => host.log,
      ...(this.#o.socket ?? {}),
      onInteractive: ({ ack, body }) => {
        const handled = interactions.handle(body)
        // Ack first (within Slack's three seconds), then work; with several replicas connected,
        // a redelivered envelope is still one vote: the request's compare-and-swap and "already
        // voted" make the decision idempotent.
        const acked = ack(handled.ack).catch((e: unknown) => host.log.warn({ err: e instanceof Error ? e.message : String(e) }, 'slack socket ack failed'))
        const after = handled.after
        if (after) {
          this.#track(async () => {
            await acked
            await after()
          })
        }
      },
    })
    this.#socket = socket
    try {
      await socket.start()
    } catch (e) {
      this.#socket = null
      throw e
    }
  }

  /** Closes the Socket Mode connection and waits for clicks still being processed. */
  async stop(): Promise<void> {
    const socket = this.#socket
    this.#socket = null
    await socket?.stop()
    await this.settled()
  }

  /** Resolves when every click received so far has been fully processed. */
  async settled(): Promise<void> {
    while (this.#inflight.size > 0) await Promise.allSettled([...this.#inflight])
  }

  #track(work: (() => Promise<void>) | undefined): void {
    if (!work) return
    const p = work().catch((e: unknown) => this.#host?.log.error({ err: e instanceof Error ? e.message : String(e) }, 'slack interaction failed'))
    this.#inflight.add(p)
    void p.finally(() => this.#inflight.delete(p))
  }

  #now(): number {
    return this.#host?.now() ?? Date.now()
  }

  async #conversation(destination: string): Promise<string> {
    if (destination.startsWith('#')) {
      const id = await delivering('conversations.list', () => this.#directory.channelIdByName(destination.slice(1)))
      if (!id) throw new DeliveryError(`Slack channel ${destination} not found, or not visible to the app`, { code: 'channel_not_found', permanent: true })
      return id
    }
    if (/^[CGD][A-Z0-9]+$/.test(destination)) return destination
    if (/^[UW][A-Z0-9]+$/.test(destination)) return this.#openDm(destination)
    throw new DeliveryError(`slack:${destination} is not a Slack destination (#name, C…, G…, U… or dm)`, { code: 'invalid_destination', permanent: true })
  }

  async #openDm(user: string): Promise<string> {
    const r = await delivering('conversations.open', () => this.#client.conversations.open({ users: user }))
    if (!r.channel?.id) throw new DeliveryError('Slack conversations.open returned no channel', { code: 'no_channel' })
    return r.channel.id
  }

  /** One DM per eligible approver Slack knows; people it does not know are logged and skipped. */
  async #postDms(view: ChannelRequestView, message: SlackMessage, ctx: DeliveryContext): Promise<PostedMessage[]> {
    const users = await this.#dmRecipients(view)
    const posts: PostedMessage[] = []
    let firstRefusal: DeliveryError | null = null
    for (const user of users) {
      try {
        const dm = await this.#openDm(user)
        posts.push({ channel: this.name, destination: dm, messageId: await this.#posts.postOnce(dm, message, requestMeta(view), ctx) })
      } catch (e) {
        // One person Slack will not DM (deactivated, a bot) must not hold back everyone else.
        if (!(e instanceof DeliveryError) || !e.permanent) throw e
        this.#host?.log.warn({ request: view.id, slackUser: user, code: e.code }, 'slack DM refused; skipping this approver')
        firstRefusal ??= e
      }
    }
    if (posts.length === 0) {
      throw firstRefusal ?? new DeliveryError(`no approver of request ${view.id} has a Slack account to DM`, { code: 'no_dm_recipients', permanent: true })
    }
    return posts
  }

  async #dmRecipients(view: ChannelRequestView): Promise<string[]> {
    const users = new Set<string>()
    for (const email of view.eligible) {
      const id = await delivering('users.lookupByEmail', () => this.#directory.userIdByEmail(email))
      if (id) users.add(id)
      else this.#host?.log.warn({ request: view.id, approver: email }, 'approver has no Slack account; no DM')
    }
    for (const entry of view.approvers) {
      const m = /^slack:([USW][A-Z0-9]+)$/.exec(entry)
      if (!m) continue
      if (m[1]!.startsWith('S')) for (const u of await delivering('usergroups.users.list', () => this.#directory.groupMembers(m[1]!))) users.add(u)
      else users.add(m[1]!)
    }
    if (!view.selfApproval && view.requester) {
      const requester = await delivering('users.lookupByEmail', () => this.#directory.userIdByEmail(view.requester!))
      if (requester) users.delete(requester)
    }
    return [...users]
  }
}

const SIGNATURE_MESSAGES = {
  missing_signature: 'X-Slack-Signature and X-Slack-Request-Timestamp are required',
  malformed_timestamp: 'X-Slack-Request-Timestamp must be unix seconds',
  stale_timestamp: 'X-Slack-Request-Timestamp is more than 5 minutes from now',
  bad_signature: 'X-Slack-Signature does not match the body',
} as const

function requestMeta(view: ChannelRequestView): PostMetadata {
  return { event_type: 'signoff_request', event_payload: { request_id: view.id } }
}

/** The message, or a permanent `invalid_blocks` delivery error naming the broken limit. */
function checked(message: SlackMessage): SlackMessage {
  try {
    assertBlockKitLimits(message.blocks)
  } catch (e) {
    if (e instanceof BlockKitLimitError) throw new DeliveryError(`Slack message breaks a Block Kit limit: ${e.message}`, { code: 'invalid_blocks', permanent: true })
    throw e
  }
  return message
}
