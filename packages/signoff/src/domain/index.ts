export type { ApprovalRecord, ApprovalRequest, ApprovalSpec } from './approval-request.js'
export { canonicalJson, inputDigest } from './canonical-json.js'
export { parseDuration } from './duration.js'
export { expandApprovers, groupsOf, isEligible, type Groups } from './eligibility.js'
export { ERROR_CODES, SignoffError, asSignoffError, type SignoffErrorCode } from './errors.js'
export {
  canTransition,
  checkVote,
  quorumReached,
  statusAfterVote,
  type ReEvaluation,
  type Refusal,
} from './lifecycle.js'
export { REQUEST_STATUSES, isGranted, isTerminal, type RequestStatus } from './request-status.js'
export { GENESIS_HASH, type LogEntry } from './log-entry.js'
export { channelTarget, type ChannelTarget } from './channel-target.js'
