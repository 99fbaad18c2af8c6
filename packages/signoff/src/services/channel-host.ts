import type { ChannelDecision, ChannelHost, ChannelLogger, ChannelRequestView } from '../channels/channel.js'
import { SignoffError, type ApprovalRequest } from '../domain/index.js'
import type { Store } from '../store/index.js'
import type { RequestService, VoteCommand } from './request-service.js'

/** What {@link createChannelHost} needs. */
export interface ChannelHostDeps {
  readonly requests: RequestService
  readonly store: Store
  readonly view: (r: ApprovalRequest) => ChannelRequestView
  readonly log: ChannelLogger
  readonly now: () => number
  /** Mints a signed one-approver web link. */
  readonly link: (view: ChannelRequestView, approver: string) => string
}

/**
 * The services as one channel sees them: clicks become votes through the request service (which
 * checks eligibility, self-approval, state and quorum), refusals come back as values with their
 * `SIGNOFF_*` code, and the channel's durable records are scoped to its name.
 */
export function createChannelHost(channel: string, d: ChannelHostDeps): ChannelHost {
  return {
    async decide(decision) {
      try {
        const r = await d.requests.decide(decision.requestId, voteOf(decision))
        return { ok: true, view: d.view(r) }
      } catch (e) {
        if (!(e instanceof SignoffError) || e.code === 'SIGNOFF_INTERNAL') throw e
        const r = await d.store.getRequest(decision.requestId)
        return { ok: false, code: e.code, message: e.message, view: r ? d.view(r) : null }
      }
    },
    async check(decision) {
      try {
        const refusal = await d.requests.check(decision.requestId, voteOf(decision))
        if (!refusal) return null
        const r = await d.store.getRequest(decision.requestId)
        return { ...refusal, view: r ? d.view(r) : null }
      } catch (e) {
        if (!(e instanceof SignoffError) || e.code === 'SIGNOFF_INTERNAL') throw e
        return { code: e.code, message: e.message, view: null }
      }
    },
    async view(requestId) {
      const r = await d.store.getRequest(requestId)
      return r ? d.view(r) : null
    },
    state: {
      get: (key) => d.store.getChannelState(channel, key),
      put: (key, value) => d.store.putChannelState(channel, key, value, d.now()),
      list: (prefix) => d.store.listChannelState(channel, prefix),
    },
    log: d.log,
    now: d.now,
    link: d.link,
  }
}

function voteOf(d: ChannelDecision): VoteCommand {
  const vote = { approver: d.approver, decision: d.decision, comment: d.comment, via: d.via }
  return d.aliases ? { ...vote, aliases: d.aliases } : vote
}
