/** Every state a request can be in, as the web pages show it. */
export type RequestViewStatus = 'pending' | 'approved' | 'rejected' | 'expired' | 'cancelled' | 'allowed' | 'denied'

/** One recorded approval or rejection. */
export interface ApprovalView {
  /** Canonical identity of the approver (an email address). */
  readonly approver: string
  readonly decision: 'approve' | 'reject'
  readonly comment: string | null
  /** ISO 8601 time of the decision. */
  readonly at: string
  /** The surface it came through: `web`, `api`, `slack`, `teams`. */
  readonly via: string
}

/**
 * The channel-neutral view of a request that the web pages render. Built from the service's
 * request by {@link toRequestView}; the renderers see nothing else, so they stay pure.
 */
export interface RequestView {
  readonly id: string
  readonly status: RequestViewStatus
  readonly requester: string | null
  /** The policy's reason, if it gave one. */
  readonly reason: string | null
  /** The caller's input document, as submitted. */
  readonly input: unknown
  /** SHA-256 of the canonical input, hex. */
  readonly digest: string
  /** ISO 8601 times. */
  readonly createdAt: string
  readonly expiresAt: string | null
  readonly decidedAt: string | null
  /** Approvals needed. */
  readonly minApprovals: number
  /** Who may approve, as the policy named them (`user:…`, `group:…`). */
  readonly approvers: readonly string[]
  readonly approvals: readonly ApprovalView[]
}

/** One line of a request's timeline on the dashboard. */
export interface TimelineEntry {
  /** ISO 8601 time. */
  readonly at: string
  /** What happened, e.g. `created`, `approval`, `approved`. */
  readonly event: string
  /** Who did it, when known. */
  readonly actor: string | null
  /** Free text: a comment, a channel, a result. */
  readonly detail: string | null
}

/** Whether the request still waits for a decision. */
export function isFinal(status: RequestViewStatus): boolean {
  return status !== 'pending'
}
