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
  readonly decision: 'approve' | 'reject'
  readonly comment: string | null
  /** The channel's name, recorded as the approval's `via`. */
  readonly via: string
}

/** What an inbound interaction amounts to: a decision, or why it was refused (shown privately). */
export type InteractionResult =
  | { readonly ok: true; readonly decision: ChannelDecision }
  | { readonly ok: false; readonly code: string; readonly message: string }

/** A raw inbound platform callback, as the HTTP layer received it. */
export interface InboundInteraction {
  /** Lower-cased header names. */
  readonly headers: Readonly<Record<string, string | undefined>>
  /** The exact bytes received; signatures are computed over them. */
  readonly rawBody: string
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
  /** Posts the request to `destination` and returns where it went. */
  post(destination: string, view: ChannelRequestView): Promise<PostedMessage>
  /** Replaces a posted message with the current state of the request. */
  update(message: PostedMessage, view: ChannelRequestView): Promise<void>
  /** Verifies and parses an inbound click. Channels without inbound callbacks leave it out. */
  interactions?(inbound: InboundInteraction): Promise<InteractionResult>
}
