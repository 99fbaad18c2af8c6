/**
 * The channel interface: how a request reaches people and how their clicks come back.
 *
 * A channel (web, Slack, Teams) is three parts, kept apart (style rule 12):
 * - `render` turns the channel-neutral {@link ChannelRequestView} into the platform's message
 *   (HTML, Block Kit, an Adaptive Card). Pure: no I/O, no clock, golden-tested.
 * - `post` / `update` are transport: they send a rendered message and later replace it in place.
 *   The services call them only from the outbox worker, so a crash or a platform outage never
 *   loses or duplicates a message.
 * - `interactions` turns a verified inbound click into a channel-neutral {@link ChannelDecision};
 *   the services check eligibility, self-approval and the request's state.
 *
 * Channels never import the store or HTTP.
 */

/** Every state a request can be in. */
export type ChannelRequestStatus = 'pending' | 'approved' | 'rejected' | 'expired' | 'cancelled' | 'allowed' | 'denied'

/** One recorded approval or rejection, as a channel shows it. */
export interface ChannelApprovalView {
  /** Canonical identity of the approver (an email address). */
  readonly approver: string
  readonly decision: 'approve' | 'reject'
  readonly comment: string | null
  /** ISO 8601 time of the decision. */
  readonly at: string
  /** The surface it came through: `web`, `api`, `slack`, `teams`. */
  readonly via: string
}

/** The channel-neutral view of a request that every channel renders. */
export interface ChannelRequestView {
  readonly id: string
  readonly status: ChannelRequestStatus
  readonly requester: string | null
  /** The policy's reason, if it gave one. */
  readonly reason: string | null
  /** The caller's input document, as submitted. */
  readonly input: unknown
  /** SHA-256 of the RFC 8785 canonical input, hex. */
  readonly digest: string
  /** ISO 8601 times. */
  readonly createdAt: string
  readonly expiresAt: string | null
  readonly decidedAt: string | null
  /** Approvals needed. */
  readonly minApprovals: number
  /** Who may approve, as the policy named them (`user:…`, `group:…`). */
  readonly approvers: readonly string[]
  readonly approvals: readonly ChannelApprovalView[]
  /**
   * The concrete people who may approve (emails: `user:` entries and config-group members,
   * without the requester unless self-approval is allowed). Empty when the list names only
   * platform ids (`slack:U…`) or nobody (anyone may approve).
   */
  readonly eligible: readonly string[]
  readonly selfApproval: boolean
  /** The request's page on the dashboard (`<public_url>/ui/requests/<id>`; admins sign in). */
  readonly detailsUrl: string
}

/** Where a message went, kept for every post so later state changes can update it in place. */
export interface PostedMessage {
  /** The channel's name, e.g. `web`, `slack`. */
  readonly channel: string
  /** The destination inside the channel (a Slack channel id, a Teams conversation, an approver). */
  readonly destination: string
  /** The platform's id of the message (a Slack `ts`, a Teams activity id). */
  readonly messageId: string
}

/** A click turned into a domain command, before the services check it. */
export interface ChannelDecision {
  readonly requestId: string
  /** The clicker's canonical identity (an email address), as the channel verified it. */
  readonly approver: string
  /**
   * Further approver entries the channel verified this person holds, matched against the
   * policy's `approvers` besides `user:`/`group:` (e.g. `slack:U024BE7LH`, and `slack:S0614TZR7`
   * when they are in that Slack user group). Recorded with the vote so quorum counts it.
   */
  readonly aliases?: readonly string[]
  readonly decision: 'approve' | 'reject'
  readonly comment: string | null
  /** The channel's name, recorded as the approval's `via`. */
  readonly via: string
}

/** What the services answered to a {@link ChannelDecision}. */
export type DecideOutcome =
  | { readonly ok: true; readonly view: ChannelRequestView }
  /** Refused: `code` is a stable `SIGNOFF_*` code, `message` says why (shown privately to the clicker). */
  | { readonly ok: false; readonly code: string; readonly message: string; readonly view: ChannelRequestView | null }

/** Durable key/value records a channel owns (Teams conversation references, and the like). */
export interface ChannelStateStore {
  get(key: string): Promise<unknown>
  /** Inserts or replaces. */
  put(key: string, value: unknown): Promise<void>
  /** Every record whose key starts with `prefix`. */
  list(prefix: string): Promise<Array<{ key: string; value: unknown }>>
}

/** The logger channels write to (pino's shape). Never pass secrets or tokens to it. */
export interface ChannelLogger {
  info(obj: object, msg?: string): void
  warn(obj: object, msg?: string): void
  error(obj: object, msg?: string): void
}

/** What the services lend a channel when it starts: the way back in for clicks. */
export interface ChannelHost {
  /** Applies a verified click: eligibility, self-approval, state and quorum are checked there. */
  decide(decision: ChannelDecision): Promise<DecideOutcome>
  /**
   * Whether `decision` would be refused now, recording nothing (for surfaces that ask for more
   * input first, such as a reason): the refusal, or `null` when it would be taken.
   */
  check(decision: ChannelDecision): Promise<{ readonly code: string; readonly message: string; readonly view: ChannelRequestView | null } | null>
  /** The current view of a request, or `null` if there is none. */
  view(requestId: string): Promise<ChannelRequestView | null>
  /** This channel's own durable records (scoped by channel name). */
  readonly state: ChannelStateStore
  readonly log: ChannelLogger
  /** Epoch milliseconds (injected clock). */
  now(): number
  /** A signed, expiring, single-use web approval link for one approver (an email). */
  link(view: ChannelRequestView, approver: string): string
}

/** A raw inbound platform callback, as the HTTP layer received it. */
export interface InboundInteraction {
  /** Lower-cased header names. */
  readonly headers: Readonly<Record<string, string | undefined>>
  /** The exact bytes received (as UTF-8 text); signatures are computed over them. */
  readonly rawBody: string
}

/** The HTTP answer to an inbound callback. */
export interface InteractionResponse {
  readonly status: number
  readonly headers?: Readonly<Record<string, string>>
  /** Sent as is; empty for no body. */
  readonly body: string
}

/** Where a delivery stands: retries know a previous try may already have reached the platform. */
export interface DeliveryContext {
  /** How many earlier tries of this job failed (0 on the first). */
  readonly attempt: number
}

/** An update, and the vote that caused it (for thread replies), if a vote did. */
export interface UpdateContext extends DeliveryContext {
  readonly vote: ChannelApprovalView | null
}

/**
 * A delivery failure the channel understood. The outbox worker gives up at once on a permanent
 * one (recording it on the request), waits `retryAfterMs` when the platform said so (429), and
 * otherwise backs off exponentially. Any other thrown error counts as transient.
 */
export class DeliveryError extends Error {
  /** The platform's error code (`channel_not_found`, `rate_limited`, `http_503`…). */
  readonly code: string
  readonly permanent: boolean
  readonly retryAfterMs: number | null

  constructor(message: string, opts: { code: string; permanent?: boolean; retryAfterMs?: number | null }) {
    super(message)
    this.name = 'DeliveryError'
    this.code = opts.code
    this.permanent = opts.permanent ?? false
    this.retryAfterMs = opts.retryAfterMs ?? null
  }
}

/**
 * A channel: pure rendering, transport, and interactions.
 *
 * @typeParam M the platform's message type that `render` produces.
 */
export interface Channel<M = unknown> {
  /** The channel's name as configured in `channels: [...]` destinations (`web`, `slack`, `teams`). */
  readonly name: string
  /** Renders the request for this channel. Pure. */
  render(view: ChannelRequestView): M
  /**
   * Posts the request to `destination` (the part after `name:`) and returns where it went: one
   * message, or several for fan-out destinations such as `slack:dm` (one DM per approver).
   */
  post(destination: string, view: ChannelRequestView, ctx: DeliveryContext): Promise<PostedMessage | readonly PostedMessage[]>
  /** Replaces a posted message with the current state of the request. */
  update(message: PostedMessage, view: ChannelRequestView, ctx: UpdateContext): Promise<void>
  /** Tells the requester the final outcome (a Slack DM, say), once per request. */
  notifyOutcome?(view: ChannelRequestView, ctx: DeliveryContext): Promise<void>
  /** The POST path of the platform's callbacks (`/slack/interactions`); served by the HTTP layer. */
  readonly interactionPath?: string
  /** Verifies and answers an inbound callback. */
  interactions?(inbound: InboundInteraction): Promise<InteractionResponse>
  /** Called once before the server listens (Socket Mode connects here). */
  start?(host: ChannelHost): Promise<void>
  /** Called on shutdown. */
  stop?(): Promise<void>
}
