import { html, type Html } from './html.js'
import type { ApprovalView, RequestView, RequestViewStatus } from './request-view.js'

/** `2026-01-02T03:04:05.678Z` → `2026-01-02 03:04:05 UTC`; anything else is shown as it is. */
export function formatTime(iso: string | null): string {
  if (!iso) return '—'
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(?:\.\d+)?Z$/.exec(iso)
  return m ? `${m[1]} ${m[2]} UTC` : iso
}

/** The status as a coloured badge. */
export function statusBadge(status: RequestViewStatus): Html {
  return html`<span class="status status-${status}">${status}</span>`
}

/** How many eligible approvals were recorded, e.g. `1 of 2 approvals`. */
export function quorumText(view: RequestView): string {
  const approvals = view.approvals.filter((a) => a.decision === 'approve').length
  return `${approvals} of ${view.minApprovals} approval${view.minApprovals === 1 ? '' : 's'}`
}

/** Input as indented JSON (the exact document the policy saw, before signoff's additions). */
export function formatInput(input: unknown): string {
  return JSON.stringify(input, null, 2) ?? 'null'
}

function approvalRow(a: ApprovalView): Html {
  return html`<tr><td>${a.approver}</td><td>${statusBadge(a.decision === 'approve' ? 'approved' : 'rejected')}</td><td>${a.comment ?? ''}</td><td>${formatTime(a.at)}</td><td>${a.via}</td></tr>`
}

/** The approvals so far, as a table (or a line saying there are none). */
export function approvalsTable(approvals: readonly ApprovalView[]): Html {
  if (approvals.length === 0) return html`<p class="muted">No approvals yet.</p>`
  return html`<table class="approvals">
<thead><tr><th>Approver</th><th>Decision</th><th>Comment</th><th>When</th><th>Via</th></tr></thead>
<tbody>${approvals.map(approvalRow)}</tbody>
</table>`
}

/** Everything an approver needs to judge the request: who, why, what, and the digest. */
export function requestDetails(view: RequestView): Html {
  return html`<dl class="request">
<dt>Status</dt><dd>${statusBadge(view.status)} <span class="muted">${quorumText(view)}</span></dd>
<dt>Requester</dt><dd>${view.requester ?? '—'}</dd>
<dt>Reason</dt><dd>${view.reason ?? '—'}</dd>
<dt>Approvers</dt><dd>${view.approvers.length ? view.approvers.join(', ') : 'anyone with a link'}</dd>
<dt>Created</dt><dd>${formatTime(view.createdAt)}</dd>
<dt>Expires</dt><dd>${formatTime(view.expiresAt)}</dd>
${view.decidedAt ? html`<dt>Decided</dt><dd>${formatTime(view.decidedAt)}</dd>` : null}
<dt>Input digest</dt><dd><code class="digest">sha256:${view.digest}</code></dd>
</dl>
<h2>Input</h2>
<pre class="input">${formatInput(view.input)}</pre>
<h2>Approvals</h2>
${approvalsTable(view.approvals)}`
}
