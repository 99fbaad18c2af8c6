import { html, type Html } from './html.js'
import { pageLayout } from './page-layout.js'
import { requestDetails } from './request-details.js'
import type { RequestView } from './request-view.js'

/** A message shown above the request, e.g. after a decision. */
export interface PageNotice {
  readonly kind: 'ok' | 'error'
  readonly text: string
}

/** Everything the approval page shows; built by the route, rendered without I/O. */
export interface ApprovalPageModel {
  readonly view: RequestView
  /** The approver the link was minted for. */
  readonly approver: string
  /** Whether the forms are shown (pending, link unused, approver has not decided yet). */
  readonly canDecide: boolean
  /** The signed link token, posted back with either form. */
  readonly linkToken: string
  /** Per-form anti-forgery tokens. */
  readonly approveToken: string
  readonly rejectToken: string
  readonly notice?: PageNotice
}

function decisionForms(m: ApprovalPageModel): Html {
  const action = `/r/${encodeURIComponent(m.view.id)}`
  return html`<h2>Your decision</h2>
<p>${m.approver === '*' ? html`Anyone holding this link may decide.` : html`Signed in by link as <strong class="approver">${m.approver}</strong>.`} This link works once.</p>
<form class="decide" method="post" action="${action}/approve">
<input type="hidden" name="t" value="${m.linkToken}">
<input type="hidden" name="csrf" value="${m.approveToken}">
<label>Comment (optional)<textarea name="comment" maxlength="2000"></textarea></label>
<button class="approve" type="submit">Approve</button>
</form>
<form class="decide" method="post" action="${action}/reject">
<input type="hidden" name="t" value="${m.linkToken}">
<input type="hidden" name="csrf" value="${m.rejectToken}">
<label>Reason for rejecting<textarea name="comment" maxlength="2000" required></textarea></label>
<button class="reject" type="submit">Reject</button>
</form>`
}

/** The page behind a signed link: the request, its input and digest, approvals so far, forms. */
export function renderApprovalPage(m: ApprovalPageModel): string {
  const notice = m.notice ? html`<p class="notice notice-${m.notice.kind}" role="status">${m.notice.text}</p>` : null
  const body = html`<h1>Approval request <code>${m.view.id}</code></h1>
${notice}
${requestDetails(m.view)}
${m.canDecide ? decisionForms(m) : null}`
  return pageLayout({ title: `Request ${m.view.id}`, body })
}
