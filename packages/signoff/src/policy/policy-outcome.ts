import { parseDuration, type ApprovalSpec } from '../domain/index.js'

/** The approval details the policy gave (rich form) or the configuration's defaults (seed form). */
export type ApprovalDefaults = Omit<ApprovalSpec, 'selfApproval' | 'grantTtlMs'>

/** What the policy answered for one input. */
export type PolicyOutcome =
  | { readonly kind: 'allow'; readonly reason: string | null; readonly result: unknown }
  | { readonly kind: 'deny'; readonly reason: string | null; readonly result: unknown }
  | { readonly kind: 'approval'; readonly reason: string | null; readonly result: unknown; readonly spec: ApprovalSpec }

/** Which contract form a loaded policy uses. */
export type PolicyForm = 'rich' | 'seed' | 'none'

/** Why a decision object could not be read. */
export class DecisionShapeError extends Error {
  override name = 'DecisionShapeError'
}

/**
 * Reads a rich-form `decision` value: `{allow, reason?, approval?}`. `allow: true` allows;
 * otherwise an `approval` object asks for approval (missing details come from `defaults`);
 * otherwise it denies. Throws {@link DecisionShapeError} for a value of the wrong shape.
 */
export function readDecision(value: unknown, defaults: ApprovalDefaults): PolicyOutcome {
  if (value === undefined) return { kind: 'deny', reason: 'the policy has no decision for this input', result: value }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new DecisionShapeError('decision must be an object {allow, reason?, approval?}')
  }
  const d = value as Record<string, unknown>
  const reason = d['reason'] === undefined ? null : typeof d['reason'] === 'string' ? d['reason'] : JSON.stringify(d['reason'])
  if (d['allow'] === true) return { kind: 'allow', reason, result: value }
  if (d['allow'] !== false && d['allow'] !== undefined) throw new DecisionShapeError('decision.allow must be a boolean')
  const approval = d['approval']
  if (approval === undefined || approval === null || approval === false) return { kind: 'deny', reason, result: value }
  if (typeof approval !== 'object' || Array.isArray(approval)) throw new DecisionShapeError('decision.approval must be an object')
  return { kind: 'approval', reason, result: value, spec: readApproval(approval as Record<string, unknown>, defaults) }
}

function readApproval(a: Record<string, unknown>, defaults: ApprovalDefaults): ApprovalSpec {
  const list = (key: string, dflt: readonly string[]): readonly string[] => {
    const v = a[key]
    if (v === undefined) return dflt
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw new DecisionShapeError(`decision.approval.${key} must be a list of strings`)
    return v as string[]
  }
  const duration = (key: string): number | null => {
    const v = a[key]
    if (v === undefined || v === null) return null
    const ms = typeof v === 'string' || typeof v === 'number' ? parseDuration(v) : null
    if (ms === null || ms <= 0) throw new DecisionShapeError(`decision.approval.${key} must be a duration like "30m"`)
    return ms
  }
  const min = a['min_approvals']
  if (min !== undefined && (typeof min !== 'number' || !Number.isInteger(min) || min < 1)) {
    throw new DecisionShapeError('decision.approval.min_approvals must be a positive integer')
  }
  const self = a['self_approval']
  if (self !== undefined && typeof self !== 'boolean') throw new DecisionShapeError('decision.approval.self_approval must be a boolean')
  return {
    approvers: list('approvers', defaults.approvers),
    minApprovals: (min as number | undefined) ?? defaults.minApprovals,
    channels: list('channels', defaults.channels),
    timeoutMs: duration('timeout') ?? defaults.timeoutMs,
    selfApproval: self ?? false,
    grantTtlMs: duration('grant_ttl'),
  }
}

/** The seed form's approval spec: everything from the configuration's defaults. */
export function seedSpec(defaults: ApprovalDefaults): ApprovalSpec {
  return { ...defaults, selfApproval: false, grantTtlMs: null }
}
