import type { SignoffConfig } from '../config/index.js'
import { chainEntry } from '../decision-log/index.js'
import {
  SignoffError,
  channelTarget,
  checkVote,
  expandApprovers,
  groupsOf,
  inputDigest,
  isTerminal,
  quorumReached,
  statusAfterVote,
  type ApprovalRecord,
  type ApprovalRequest,
  type RequestStatus,
} from '../domain/index.js'
import type { PolicyOutcome } from '../policy/index.js'
import { newId, type LogFields, type RequestFilter, type RequestPage, type Store } from '../store/index.js'
import type { Caller } from './auth.js'
import type { Metrics } from './metrics.js'
import type { RequestEvents } from './request-events.js'

/** The policy as the services use it (PolicyHost implements it). */
export interface PolicyEvaluator {
  /** Evaluates `input`; throws SignoffError for policy faults. */
  evaluate(input: Record<string, unknown>, nowMs: number): PolicyOutcome & { readonly revision: string }
}

/** Mints a signed one-approver web link (the web channel's primitive, injected). */
export type LinkMinter = (request: ApprovalRequest, approver: string) => { url: string; expiresAt: number }

/** The link destination meaning "anyone holding the link" (the policy named no approvers). */
export const ANYONE_APPROVER = '*'

/** What the request service needs. */
export interface RequestServiceDeps {
  readonly store: Store
  readonly policy: PolicyEvaluator
  readonly config: Pick<SignoffConfig, 'groups' | 'policy'>
  /** Epoch milliseconds. */
  readonly now: () => number
  readonly events: RequestEvents
  readonly metrics: Metrics
  /** Wakes the outbox worker after a commit that queued work. */
  readonly onOutbox?: () => void
  readonly mintLink?: LinkMinter
}

/** `POST /v1/requests`. */
export interface CreateRequestCommand {
  readonly input: Record<string, unknown>
  /** Defaults to the caller's subject; only admins may set another. */
  readonly requester?: string | null
  readonly idempotencyKey?: string | null
  readonly callbackUrl?: string | null
}

/** The result of a create: the request and whether this call created it. */
export interface CreateResult {
  readonly request: ApprovalRequest
  readonly created: boolean
}

/** A vote through any surface. */
export interface VoteCommand {
  readonly approver: string
  /** Platform approver entries the channel verified (see ChannelDecision.aliases). */
  readonly aliases?: readonly string[]
  readonly decision: 'approve' | 'reject'
  readonly comment: string | null
  readonly via: string
}

const RESERVED = ['approved', 'approvals'] as const
const MAX_CAS_RETRIES = 8

/**
 * The use cases: create, decide, cancel, expire, wait. Every state change is one transaction:
 * compare-and-swap on the request, its decision-log entries and its outbox jobs.
 */
export class RequestService {
  readonly #d: RequestServiceDeps

  constructor(deps: RequestServiceDeps) {
    this.#d = deps
  }

  /** Evaluates the policy and stores the request (final at once, or pending). */
  async create(cmd: CreateRequestCommand, caller: Caller): Promise<CreateResult> {
    for (const k of RESERVED) {
      if (Object.prototype.hasOwnProperty.call(cmd.input, k)) {
        throw new SignoffError('SIGNOFF_RESERVED_INPUT', `input.${k} is set by signoff and may not be sent`, { field: `input.${k}` })
      }
    }
    const digest = inputDigest(cmd.input)
    const key = cmd.idempotencyKey ?? null
    if (key !== null) {
      const existing = await this.#d.store.findByIdempotencyKey(key)
      if (existing) return this.#sameOrConflict(existing, digest)
    }
    const now = this.#d.now()
    const id = newId('r', now)
    const requester = cmd.requester ?? caller.subject
    const input = { ...cmd.input, approved: false, approvals: [], requester: this.#identity(requester), request: { id, created_at: new Date(now).toISOString() } }
    const outcome = this.#evaluate(input, now)
    let status: RequestStatus = outcome.kind === 'allow' ? 'allowed' : outcome.kind === 'deny' ? 'denied' : 'pending'
    let reason = outcome.reason
    let reusedFrom: string | null = null
    if (outcome.kind === 'approval' && outcome.spec.grantTtlMs !== null) {
      const grant = await this.#d.store.findGrant(digest, now)
      if (grant) {
        status = 'allowed'
        reusedFrom = grant.id
        reason = `approved earlier in ${grant.id} (grant_ttl)`
      }
    }
    const spec = outcome.kind === 'approval' ? outcome.spec : null
    const request: ApprovalRequest = {
      id,
      status,
      input: cmd.input,
      digest,
      requester,
      reason,
      spec,
      approvals: [],
      createdAt: now,
      expiresAt: status === 'pending' && spec ? now + spec.timeoutMs : null,
      decidedAt: status === 'pending' ? null : now,
      idempotencyKey: key,
      callbackUrl: cmd.callbackUrl ?? null,
      policyRevision: outcome.revision,
      result: outcome.result,
      version: 1,
    }
    const outbox: Array<{ kind: string; requestId: string; payload: Record<string, unknown> }> = []
    if (status === 'pending' && spec) {
      for (const channel of spec.channels) {
        // The web channel posts one signed link per approver; other channels post once per destination.
        if (channel === 'web') for (const who of this.#linkTargets(request)) outbox.push({ kind: 'notify', requestId: id, payload: { channel, destination: who } })
        else outbox.push({ kind: 'notify', requestId: id, payload: { channel } })
      }
    }
    if (status !== 'pending' && request.callbackUrl) outbox.push({ kind: 'callback', requestId: id, payload: {} })
    const result = reusedFrom ? { ...asObject(outcome.result), reused_from: reusedFrom } : outcome.result
    const { ok: inserted } = await this.#d.store.commit({
      insert: request,
      log: [this.#entry(request, reusedFrom ? 'reused' : status, requester, result, now)],
      seal: chainEntry,
      outbox,
      notify: id,
      now,
    })
    if (!inserted) {
      // Lost an idempotency race: the other call's request is the answer.
      const existing = key === null ? null : await this.#d.store.findByIdempotencyKey(key)
      if (!existing) throw new SignoffError('SIGNOFF_INTERNAL', 'request id collision')
      return this.#sameOrConflict(existing, digest)
    }
    this.#d.metrics.inc('signoff_requests_total', { outcome: status })
    this.#after(id, status === 'pending' || request.callbackUrl !== null)
    return { request, created: true }
  }

  #sameOrConflict(existing: ApprovalRequest, digest: string): CreateResult {
    if (existing.digest !== digest) {
      throw new SignoffError('SIGNOFF_IDEMPOTENCY_CONFLICT', 'idempotency_key was used with a different input', { request_id: existing.id })
    }
    return { request: existing, created: false }
  }

  /** The request, or a 404. */
  async get(id: string): Promise<ApprovalRequest> {
    const r = await this.#d.store.getRequest(id)
    if (!r) throw new SignoffError('SIGNOFF_NOT_FOUND', `no request ${id}`)
    return r
  }

  /** Lists requests. */
  list(filter: RequestFilter): Promise<RequestPage> {
    return this.#d.store.listRequests(filter)
  }

  /**
   * Whether a vote would be refused now (state, expiry, eligibility, self-approval, already voted),
   * without recording anything: `null` when it would be taken. For surfaces that ask for more input
   * before voting (Slack's reject modal), so nobody types a reason only to be refused.
   */
  async check(id: string, vote: VoteCommand): Promise<{ code: string; message: string } | null> {
    const req = await this.get(id)
    const now = this.#d.now()
    const refusal = checkVote(req, this.#record(vote, now), this.#d.config.groups, now)
    return refusal && { code: refusal.code, message: refusal.message }
  }

  /**
   * Records a vote: checks eligibility, self-approval and state, re-evaluates the policy with the
   * approvals in its input and moves the request in one compare-and-swap (retried on a lost race,
   * re-checking everything). Refusals throw SignoffError with 403/404/409 codes.
   */
  async decide(id: string, vote: VoteCommand): Promise<ApprovalRequest> {
    for (let attempt = 0; attempt < MAX_CAS_RETRIES; attempt++) {
      const req = await this.get(id)
      const now = this.#d.now()
      const record = this.#record(vote, now)
      const refusal = checkVote(req, record, this.#d.config.groups, now)
      if (refusal) throw new SignoffError(refusal.code, refusal.message)
      const spec = req.spec!
      const approvals = [...req.approvals, record]
      const approved = quorumReached(approvals, spec, this.#d.config.groups)
      const outcome = this.#evaluate(this.#policyInput(req, approvals, approved), now)
      const status = statusAfterVote(record, outcome.kind)
      const next: ApprovalRequest = {
        ...req,
        status,
        approvals,
        decidedAt: status === 'pending' ? null : now,
        reason: outcome.reason ?? req.reason,
        result: outcome.result,
        policyRevision: outcome.revision,
      }
      const log = [this.#entry(next, vote.decision === 'approve' ? 'approval' : 'rejection', vote.approver, { decision: vote.decision, comment: vote.comment, via: vote.via }, now)]
      if (status !== 'pending') log.push(this.#entry(next, status, vote.approver, outcome.result, now))
      const { ok: won } = await this.#d.store.commit({
        swap: { expected: req.version, next },
        log,
        seal: chainEntry,
        outbox: this.#updates(next, record),
        notify: id,
        now,
      })
      if (won) {
        this.#finished(req, next, now)
        return { ...next, version: req.version + 1 }
      }
    }
    throw new SignoffError('SIGNOFF_INTERNAL', `request ${id} is changing too fast; try again`)
  }

  #record(vote: VoteCommand, now: number): ApprovalRecord {
    return {
      approver: vote.approver,
      groups: groupsOf(vote.approver, this.#d.config.groups),
      ...(vote.aliases && vote.aliases.length > 0 ? { aliases: [...vote.aliases] } : {}),
      decision: vote.decision,
      comment: vote.comment,
      at: now,
      via: vote.via,
    }
  }

  /** Cancels a pending request; only its requester (or an admin) may. */
  async cancel(id: string, caller: Caller, comment: string | null): Promise<ApprovalRequest> {
    for (let attempt = 0; attempt < MAX_CAS_RETRIES; attempt++) {
      const req = await this.get(id)
      const admin = caller.scopes.includes('admin')
      if (!admin && (req.requester === null || req.requester.toLowerCase() !== caller.subject.toLowerCase())) {
        throw new SignoffError('SIGNOFF_NOT_REQUESTER', 'only the requester may cancel this request')
      }
      if (isTerminal(req.status)) throw new SignoffError('SIGNOFF_ALREADY_DECIDED', `request ${id} is already ${req.status}`)
      const now = this.#d.now()
      const next: ApprovalRequest = { ...req, status: 'cancelled', decidedAt: now }
      const won = await this.#transition(req, next, caller.subject, { comment }, now)
      if (won) return { ...next, version: req.version + 1 }
    }
    throw new SignoffError('SIGNOFF_INTERNAL', `request ${id} is changing too fast; try again`)
  }

  /** Expires a pending request whose time is up; `false` when it is not due or someone else moved it. */
  async expire(id: string): Promise<boolean> {
    const req = await this.#d.store.getRequest(id)
    const now = this.#d.now()
    if (!req || req.status !== 'pending' || req.expiresAt === null || req.expiresAt > now) return false
    return this.#transition(req, { ...req, status: 'expired', decidedAt: now }, null, null, now)
  }

  /** Expires every due request; returns how many this call expired. */
  async expireDue(limit = 100): Promise<number> {
    let n = 0
    for (const id of await this.#d.store.dueExpirations(this.#d.now(), limit)) if (await this.expire(id)) n++
    return n
  }

  /**
   * Long-poll: returns the request once it is final, or as it is after `timeoutMs`.
   * `signal` ends the wait early (client gone).
   */
  async wait(id: string, timeoutMs: number, signal?: AbortSignal): Promise<ApprovalRequest> {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      // Subscribe before reading, so a change between the read and the wait is not missed.
      const stop = new AbortController()
      const onAbort = (): void => stop.abort()
      signal?.addEventListener('abort', onAbort)
      try {
        const change = this.#d.events.next(id, Math.max(0, deadline - Date.now()), stop.signal)
        const req = await this.get(id)
        if (isTerminal(req.status) || Date.now() >= deadline || signal?.aborted) return req
        await change
      } finally {
        stop.abort()
        signal?.removeEventListener('abort', onAbort)
      }
      if (Date.now() >= deadline || signal?.aborted) return this.get(id)
    }
  }

  /** Signed web links for the request's approvers (one each; `anyone` when the list is empty). */
  linksFor(req: ApprovalRequest): Array<{ approver: string; url: string; expiresAt: number }> {
    const mint = this.#d.mintLink
    if (!mint || req.status !== 'pending') return []
    return this.#linkTargets(req)
      .filter((p) => !req.approvals.some((a) => a.approver.toLowerCase() === p.toLowerCase()))
      .map((approver) => ({ approver, ...mint(req, approver) }))
  }

  /** Who gets a web link: every named approver but the requester (unless self-approval), or `*` for anyone. */
  #linkTargets(req: ApprovalRequest): string[] {
    if (req.spec === null) return []
    if (req.spec.approvers.length === 0) return [ANYONE_APPROVER]
    return expandApprovers(req.spec.approvers, this.#d.config.groups).filter(
      (p) => req.spec!.selfApproval || req.requester === null || p.toLowerCase() !== req.requester.toLowerCase(),
    )
  }

  async #transition(req: ApprovalRequest, next: ApprovalRequest, actor: string | null, result: unknown, now: number): Promise<boolean> {
    const { ok: won } = await this.#d.store.commit({
      swap: { expected: req.version, next },
      log: [this.#entry(next, next.status, actor, result, now)],
      seal: chainEntry,
      outbox: this.#updates(next, null),
      notify: next.id,
      now,
    })
    if (won) this.#finished(req, next, now)
    return won
  }

  /**
   * The jobs a transition queues: an update of every post (carrying the vote, for channels that
   * thread it), and once final the requester's outcome notice per chat channel and the callback.
   */
  #updates(next: ApprovalRequest, vote: ApprovalRecord | null): Array<{ kind: string; requestId: string; payload: Record<string, unknown> }> {
    const shown = vote && { approver: vote.approver, decision: vote.decision, comment: vote.comment, at: new Date(vote.at).toISOString(), via: vote.via }
    const jobs: Array<{ kind: string; requestId: string; payload: Record<string, unknown> }> = [{ kind: 'update', requestId: next.id, payload: shown ? { vote: shown } : {} }]
    if (isTerminal(next.status)) {
      const chats = new Set((next.spec?.channels ?? []).map((c) => channelTarget(c).channel).filter((c) => c !== 'web'))
      for (const channel of chats) jobs.push({ kind: 'outcome', requestId: next.id, payload: { channel } })
      if (next.callbackUrl) jobs.push({ kind: 'callback', requestId: next.id, payload: {} })
    }
    return jobs
  }

  #finished(before: ApprovalRequest, next: ApprovalRequest, now: number): void {
    if (isTerminal(next.status)) {
      this.#d.metrics.inc('signoff_requests_total', { outcome: next.status })
      this.#d.metrics.observe('signoff_time_to_decision_seconds', (now - before.createdAt) / 1000, { outcome: next.status })
    }
    this.#after(next.id, true)
  }

  #after(id: string, outbox: boolean): void {
    this.#d.events.emit(id)
    if (outbox) this.#d.onOutbox?.()
  }

  #policyInput(req: ApprovalRequest, approvals: readonly ApprovalRecord[], approved: boolean): Record<string, unknown> {
    return {
      ...(req.input as Record<string, unknown>),
      approved,
      approvals: approvals.map((a) => ({
        approver: { id: a.approver, email: a.approver, name: a.approver, groups: [...a.groups] },
        decision: a.decision,
        comment: a.comment,
        at: new Date(a.at).toISOString(),
        via: a.via,
      })),
      requester: this.#identity(req.requester),
      request: { id: req.id, created_at: new Date(req.createdAt).toISOString() },
    }
  }

  #identity(subject: string | null): Record<string, unknown> | null {
    if (subject === null) return null
    return { id: subject, email: subject, groups: groupsOf(subject, this.#d.config.groups) }
  }

  #evaluate(input: Record<string, unknown>, now: number): PolicyOutcome & { revision: string } {
    try {
      return this.#d.policy.evaluate(input, now)
    } catch (e) {
      if (e instanceof SignoffError && e.code === 'SIGNOFF_POLICY_ERROR') this.#d.metrics.inc('signoff_policy_errors_total', { kind: 'eval' })
      throw e
    }
  }

  #entry(r: ApprovalRequest, event: string, actor: string | null, result: unknown, now: number): LogFields {
    return { id: newId('d', now), at: now, requestId: r.id, event, actor, inputDigest: r.digest, policyRevision: r.policyRevision, result: result ?? null }
  }
}

function asObject(v: unknown): Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : { result: v }
}
