import type { RequestStatus } from './request-status.js'

/** Who must approve, how many, where to ask and for how long (the policy's `approval` object). */
export interface ApprovalSpec {
  /** `user:<email>`, `group:<name>`, `slack:<id>`; empty means anyone who sees the message. */
  readonly approvers: readonly string[]
  /** Approvals needed (quorum), at least 1. */
  readonly minApprovals: number
  /** Where to ask: `web`, `slack:#deploys`, `teams:ops`. */
  readonly channels: readonly string[]
  /** Pending → expired after this many milliseconds. */
  readonly timeoutMs: number
  /** Whether the requester may approve their own request (default false). */
  readonly selfApproval: boolean
  /** If set, an identical input (same digest) is allowed again without asking for this long. */
  readonly grantTtlMs: number | null
}

/** One recorded vote on a request. */
export interface ApprovalRecord {
  /** Canonical identity: an email address (or a token subject). */
  readonly approver: string
  /** The config groups the approver belonged to when voting. */
  readonly groups: readonly string[]
  /** Platform approver entries a channel verified (`slack:U…`, `slack:S…`); absent for web and API votes. */
  readonly aliases?: readonly string[]
  readonly decision: 'approve' | 'reject'
  readonly comment: string | null
  /** Epoch milliseconds. */
  readonly at: number
  /** The surface the vote came through: `api`, `web`, `slack`, `teams`. */
  readonly via: string
}

/** A request as the services see it. Times are epoch milliseconds. */
export interface ApprovalRequest {
  readonly id: string
  readonly status: RequestStatus
  /** The caller's input document, unchanged. */
  readonly input: unknown
  /** SHA-256 of the canonical input (RFC 8785), hex; approvals are bound to it. */
  readonly digest: string
  /** The token subject (or the `requester` field an admin set). */
  readonly requester: string | null
  /** The policy's reason, if any. */
  readonly reason: string | null
  /** Approval details; `null` for requests decided at creation. */
  readonly spec: ApprovalSpec | null
  readonly approvals: readonly ApprovalRecord[]
  readonly createdAt: number
  /** When a pending request expires; `null` when it never waited. */
  readonly expiresAt: number | null
  readonly decidedAt: number | null
  readonly idempotencyKey: string | null
  readonly callbackUrl: string | null
  /** Digest of the policy sources and data that decided last. */
  readonly policyRevision: string
  /** The policy's last raw result, for the decision log. */
  readonly result: unknown
  /** Optimistic-concurrency version; every transition is a compare-and-swap on it. */
  readonly version: number
}
