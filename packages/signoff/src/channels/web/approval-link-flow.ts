import { checkApprovalLink, type ApprovalLinkClaims } from './approval-link.js'
import { renderApprovalPage, type PageNotice } from './approval-page.js'
import { checkFormToken, formToken } from './form-token.js'
import { renderLinkRefusal, renderMessagePage } from './message-page.js'
import { quorumText } from './request-details.js'
import type { RequestView } from './request-view.js'
import type { SignedToken } from './signed-token.js'
import type { WebBackend } from './web-backend.js'
import type { WebResponse } from './web-response.js'
import { linkIdentity } from './web-channel.js'

/** Longest comment accepted from the page (the textarea's `maxlength`). */
export const MAX_COMMENT_LENGTH = 2000

/** Text for a refused decision, by the service's error code (one place, as for chat replies). */
export function decisionErrorText(code: string, message: string): string {
  switch (code) {
    case 'SIGNOFF_NOT_ELIGIBLE':
      return `You are not one of this request's approvers. ${message}`
    case 'SIGNOFF_SELF_APPROVAL':
      return 'You made this request, and its policy does not allow approving your own requests.'
    case 'SIGNOFF_ALREADY_DECIDED':
      return `This request was already decided. ${message}`
    case 'SIGNOFF_ALREADY_VOTED':
      return 'You already approved or rejected this request (perhaps in another channel).'
    default:
      return message
  }
}

function decidedBy(view: RequestView, approver: string): { decision: string; via: string } | null {
  const mine = view.approvals.find((a) => a.approver.toLowerCase() === approver.toLowerCase())
  return mine ? { decision: mine.decision === 'approve' ? 'approved' : 'rejected', via: mine.via } : null
}

/**
 * The approval page's interactions: opening a signed link and posting Approve or Reject. Every
 * answer is a full page; refusals say why (expired, forged, used) with the matching status. A
 * link decides once: after its vote it is marked used and refused from then on.
 */
export class ApprovalLinkFlow {
  readonly #tokens: SignedToken
  readonly #backend: WebBackend

  constructor(tokens: SignedToken, backend: WebBackend) {
    this.#tokens = tokens
    this.#backend = backend
  }

  async #check(id: string, token: unknown): Promise<{ claims: ApprovalLinkClaims } | { refusal: WebResponse }> {
    if (typeof token !== 'string' || token === '') return { refusal: renderLinkRefusal('malformed') }
    const check = checkApprovalLink(this.#tokens, id, token)
    if (!check.ok) return { refusal: renderLinkRefusal(check.fault) }
    if (await this.#backend.isLinkUsed(check.claims.nonce, id, check.claims.approver)) return { refusal: renderLinkRefusal('used') }
    return { claims: check.claims }
  }

  #page(status: number, view: RequestView, claims: ApprovalLinkClaims, token: string, canDecide: boolean, notice?: PageNotice): WebResponse {
    const body = renderApprovalPage({
      view,
      approver: claims.approver,
      canDecide,
      linkToken: token,
      approveToken: formToken(this.#tokens, claims.nonce, 'approve'),
      rejectToken: formToken(this.#tokens, claims.nonce, 'reject'),
      notice,
    })
    return { status, body }
  }

  /** `GET /r/:id?t=…`: the request and, while it is pending, the decision forms. */
  async open(id: string, token: unknown): Promise<WebResponse> {
    const checked = await this.#check(id, token)
    if ('refusal' in checked) return checked.refusal
    const { claims } = checked
    const view = await this.#backend.getRequest(id)
    if (!view) return renderMessagePage(404, 'No such request', 'This request does not exist (any more).')
    if (view.status !== 'pending') {
      return this.#page(200, view, claims, token as string, false, { kind: 'ok', text: `This request is already ${view.status}. Nothing is left to decide.` })
    }
    const mine = decidedBy(view, linkIdentity(claims.approver, claims.nonce))
    if (mine) return this.#page(200, view, claims, token as string, false, { kind: 'ok', text: `You already ${mine.decision} this request (via ${mine.via}).` })
    return this.#page(200, view, claims, token as string, true)
  }

  /** `POST /r/:id/approve|reject`: checks link and form token, uses the link once, decides. */
  async submit(id: string, decision: 'approve' | 'reject', form: Readonly<Record<string, unknown>>): Promise<WebResponse> {
    const checked = await this.#check(id, form.t)
    if ('refusal' in checked) return checked.refusal
    const { claims } = checked
    const token = form.t as string
    if (!checkFormToken(this.#tokens, claims.nonce, decision, form.csrf)) {
      return renderMessagePage(403, 'This form was not accepted', 'The form did not come from this approval page. Open the link you were sent and try again.')
    }
    const view = await this.#backend.getRequest(id)
    if (!view) return renderMessagePage(404, 'No such request', 'This request does not exist (any more).')
    const comment = typeof form.comment === 'string' ? form.comment.trim().slice(0, MAX_COMMENT_LENGTH) : ''
    if (decision === 'reject' && comment === '') {
      return this.#page(400, view, claims, token, view.status === 'pending', { kind: 'error', text: 'Say why you reject the request; the requester sees your reason.' })
    }
    if (view.status !== 'pending') {
      return this.#page(409, view, claims, token, false, { kind: 'error', text: `This request is already ${view.status}; your decision was not recorded.` })
    }
    // Decide first, then mark the link used: the service records one vote per approver atomically
    // (a second submission of the same link gets SIGNOFF_ALREADY_VOTED), and a fault while
    // deciding leaves the link usable instead of burning it without a vote.
    const approver = linkIdentity(claims.approver, claims.nonce)
    const result = await this.#backend.decide({ requestId: id, approver, decision, comment: comment || null, linkNonce: claims.nonce })
    if (result.ok) await this.#backend.claimLink(claims.nonce, id, claims.approver)
    if (!result.ok) {
      const after = result.view ?? (await this.#backend.getRequest(id)) ?? view
      return this.#page(409, after, claims, token, false, { kind: 'error', text: decisionErrorText(result.code, result.message) })
    }
    const after = result.view
    const state = after.status === 'pending' ? `still pending (${quorumText(after)})` : `now ${after.status}`
    const verb = decision === 'approve' ? 'approved' : 'rejected'
    return this.#page(200, after, claims, token, false, { kind: 'ok', text: `You ${verb} this request. It is ${state}.` })
  }
}
