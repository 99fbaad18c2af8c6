import type { RequestView } from '../src/channels/web/request-view.js'
import type { WebBackend, WebDecision, WebListQuery } from '../src/channels/web/web-backend.js'

/** An in-memory backend with the service's quorum rule, to test the flows without a server. */
export class FakeBackend implements WebBackend {
  readonly requests = new Map<string, RequestView>()
  readonly claimed = new Set<string>()
  readonly decisions: WebDecision[] = []
  readonly queries: WebListQuery[] = []

  async getRequest(id: string): Promise<RequestView | null> {
    return this.requests.get(id) ?? null
  }
  async decide(d: WebDecision) {
    const v = this.requests.get(d.requestId)!
    this.decisions.push(d)
    if (v.approvers.length > 0 && !v.approvers.includes(`user:${d.approver}`)) return { ok: false as const, code: 'SIGNOFF_NOT_ELIGIBLE', message: `${d.approver} is not listed.` }
    if (v.status !== 'pending') return { ok: false as const, code: 'SIGNOFF_ALREADY_DECIDED', message: `request ${v.id} is already ${v.status}` }
    if (v.approvals.some((a) => a.approver === d.approver)) return { ok: false as const, code: 'SIGNOFF_ALREADY_VOTED', message: `${d.approver} already voted` }
    const approvals = [...v.approvals, { approver: d.approver, decision: d.decision, comment: d.comment, at: '2026-01-01T00:01:00.000Z', via: 'web' }]
    const yes = approvals.filter((a) => a.decision === 'approve').length
    const status = d.decision === 'reject' ? 'rejected' : yes >= v.minApprovals ? 'approved' : 'pending'
    const next: RequestView = { ...v, approvals, status }
    this.requests.set(v.id, next)
    return { ok: true as const, view: next }
  }
  async claimLink(nonce: string): Promise<boolean> {
    if (this.claimed.has(nonce)) return false
    this.claimed.add(nonce)
    return true
  }
  async isLinkUsed(nonce: string): Promise<boolean> {
    return this.claimed.has(nonce)
  }
  async listRequests(q: WebListQuery) {
    this.queries.push(q)
    const items = [...this.requests.values()].filter((v) => (q.status === 'final' ? v.status !== 'pending' : q.status === null || v.status === q.status))
    return { items: items.filter((v) => !q.requester || v.requester === q.requester), nextCursor: null }
  }
  async timeline(id: string) {
    return [{ at: '2026-01-01T00:00:00.000Z', event: 'created', actor: this.requests.get(id)?.requester ?? null, detail: null }]
  }
  async authenticateAdmin(token: string) {
    return token === 'admin-secret' ? { subject: 'admin' } : null
  }
}

export function request(id: string, min = 1): RequestView {
  return {
    id,
    status: 'pending',
    requester: 'ci@example.com',
    reason: 'needs approval',
    input: { resource: 'production' },
    digest: 'd'.repeat(64),
    createdAt: '2026-01-01T00:00:00.000Z',
    expiresAt: '2026-01-01T01:00:00.000Z',
    decidedAt: null,
    minApprovals: min,
    approvers: ['user:alice@example.com', 'user:bob@example.com'],
    approvals: [],
    eligible: ['alice@example.com', 'bob@example.com'],
    selfApproval: false,
    detailsUrl: `http://127.0.0.1:8686/ui/requests/${id}`,
  }
}
