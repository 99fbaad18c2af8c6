import type { ChannelRequestView } from '../channels/channel.js'
import type { RequestView, TimelineEntry, WebBackend, WebDecision, WebDecisionResult, WebListPage, WebListQuery } from '../channels/web/index.js'
import { SignoffError, type ApprovalRequest } from '../domain/index.js'
import type { Store } from '../store/index.js'
import { hasScope, type Authenticator } from './auth.js'
import type { RequestService } from './request-service.js'

/** The web channel's view of the services (its WebBackend port), over the request service and store. */
export class WebBackendAdapter implements WebBackend {
  readonly #service: RequestService
  readonly #store: Store
  readonly #auth: Authenticator
  readonly #now: () => number
  readonly #view: (r: ApprovalRequest) => ChannelRequestView

  constructor(service: RequestService, store: Store, auth: Authenticator, now: () => number, view: (r: ApprovalRequest) => ChannelRequestView) {
    this.#service = service
    this.#store = store
    this.#auth = auth
    this.#now = now
    this.#view = view
  }

  async getRequest(id: string): Promise<RequestView | null> {
    const r = await this.#store.getRequest(id)
    return r ? this.#view(r) : null
  }

  async decide(d: WebDecision): Promise<WebDecisionResult> {
    try {
      const r = await this.#service.decide(d.requestId, { approver: d.approver, decision: d.decision, comment: d.comment, via: 'web' })
      return { ok: true, view: this.#view(r) }
    } catch (e) {
      if (!(e instanceof SignoffError) || e.code === 'SIGNOFF_INTERNAL') throw e
      const r = await this.#store.getRequest(d.requestId)
      return r ? { ok: false, code: e.code, message: e.message, view: this.#view(r) } : { ok: false, code: e.code, message: e.message }
    }
  }

  async claimLink(nonce: string, requestId: string, approver: string): Promise<boolean> {
    return this.#store.transaction((tx) => tx.claimLink(nonce, requestId, approver, this.#now()))
  }

  async isLinkUsed(nonce: string): Promise<boolean> {
    return this.#store.isLinkUsed(nonce)
  }

  async listRequests(q: WebListQuery): Promise<WebListPage> {
    const page = await this.#service.list({
      status: q.status,
      requester: q.requester,
      createdFrom: q.createdFrom,
      createdTo: q.createdTo,
      cursor: q.cursor,
      limit: q.limit,
    })
    return { items: page.items.map((r) => this.#view(r)), nextCursor: page.nextCursor }
  }

  async timeline(id: string): Promise<readonly TimelineEntry[]> {
    const entries = await this.#store.logForRequest(id)
    return entries.map((e) => ({
      at: new Date(e.at).toISOString(),
      event: e.event,
      actor: e.actor,
      detail: describe(e.result),
    }))
  }

  async authenticateAdmin(token: string): Promise<{ readonly subject: string } | null> {
    const caller = await this.#auth.authenticate(token)
    return caller && hasScope(caller, 'admin') ? { subject: caller.subject } : null
  }
}

function describe(result: unknown): string | null {
  if (result === null || result === undefined) return null
  if (typeof result === 'object' && !Array.isArray(result)) {
    const r = result as Record<string, unknown>
    if (typeof r['comment'] === 'string' && r['comment'] !== '') return `${String(r['via'] ?? '')}: ${r['comment']}`.replace(/^: /, '')
    if (typeof r['via'] === 'string') return `via ${r['via']}`
    if (typeof r['reason'] === 'string') return r['reason']
  }
  return JSON.stringify(result)
}
