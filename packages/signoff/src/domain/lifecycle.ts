import type { ApprovalRecord, ApprovalRequest, ApprovalSpec } from './approval-request.js'
import { isEligible, type Groups } from './eligibility.js'
import type { SignoffErrorCode } from './errors.js'
import { isTerminal, type RequestStatus } from './request-status.js'

/** Which transitions exist: pending → any final state; final states go nowhere. */
const TRANSITIONS: Readonly<Record<RequestStatus, readonly RequestStatus[]>> = {
  pending: ['approved', 'rejected', 'expired', 'cancelled'],
  approved: [],
  rejected: [],
  expired: [],
  cancelled: [],
  allowed: [],
  denied: [],
}

/** Whether `from → to` is a legal transition. */
export function canTransition(from: RequestStatus, to: RequestStatus): boolean {
  return TRANSITIONS[from].includes(to)
}

/** A refused command: an expected outcome, not a fault (style rule 7). */
export interface Refusal {
  readonly ok: false
  readonly code: SignoffErrorCode
  readonly message: string
}

/**
 * Checks a vote before the policy runs again: the request must be pending and not expired, the
 * approver eligible, not the requester (unless allowed), and not have voted already.
 */
export function checkVote(request: ApprovalRequest, vote: ApprovalRecord, groups: Groups, now: number): Refusal | null {
  if (isTerminal(request.status)) {
    return { ok: false, code: 'SIGNOFF_ALREADY_DECIDED', message: `request ${request.id} is already ${request.status}` }
  }
  if (request.expiresAt !== null && now >= request.expiresAt) {
    return { ok: false, code: 'SIGNOFF_ALREADY_DECIDED', message: `request ${request.id} has expired` }
  }
  const spec = request.spec
  if (spec === null) return { ok: false, code: 'SIGNOFF_ALREADY_DECIDED', message: `request ${request.id} needs no approval` }
  if (!isEligible(vote.approver, spec.approvers, groups, vote.aliases)) {
    return { ok: false, code: 'SIGNOFF_NOT_ELIGIBLE', message: `${vote.approver} is not an approver of request ${request.id}` }
  }
  if (!spec.selfApproval && request.requester !== null && sameIdentity(request.requester, vote.approver)) {
    return { ok: false, code: 'SIGNOFF_SELF_APPROVAL', message: 'requesters may not approve their own request' }
  }
  if (request.approvals.some((a) => sameIdentity(a.approver, vote.approver))) {
    return { ok: false, code: 'SIGNOFF_ALREADY_VOTED', message: `${vote.approver} already voted on request ${request.id}` }
  }
  return null
}

/** Whether the recorded approvals from eligible approvers reach the quorum (input.approved). */
export function quorumReached(approvals: readonly ApprovalRecord[], spec: ApprovalSpec, groups: Groups): boolean {
  const approvers = new Set(
    approvals
      .filter((a) => a.decision === 'approve' && isEligible(a.approver, spec.approvers, groups, a.aliases))
      .map((a) => a.approver.toLowerCase()),
  )
  return approvers.size >= spec.minApprovals
}

/** What the policy says after the new vote is in its input. */
export type ReEvaluation = 'allow' | 'approval' | 'deny'

/**
 * The status after a vote, given the policy's answer with the vote included: an eligible
 * rejection rejects; otherwise the policy decides (allow → approved, still offers approval →
 * pending, no longer offers approval → rejected).
 */
export function statusAfterVote(vote: ApprovalRecord, outcome: ReEvaluation): RequestStatus {
  if (vote.decision === 'reject') return 'rejected'
  if (outcome === 'allow') return 'approved'
  return outcome === 'approval' ? 'pending' : 'rejected'
}

function sameIdentity(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase()
}
