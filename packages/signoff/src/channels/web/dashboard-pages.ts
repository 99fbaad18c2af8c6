import { html, type Html } from './html.js'
import { pageLayout } from './page-layout.js'
import { formatTime, quorumText, requestDetails, statusBadge } from './request-details.js'
import type { RequestView, RequestViewStatus, TimelineEntry } from './request-view.js'

/** The statuses the dashboard's filter offers, in order. */
export const FILTER_STATUSES: readonly RequestViewStatus[] = Object.freeze([
  'pending',
  'approved',
  'rejected',
  'expired',
  'cancelled',
  'allowed',
  'denied',
])

/** The dashboard's filter form, as submitted (empty fields are `null`). */
export interface DashboardFilters {
  readonly status: RequestViewStatus | null
  readonly requester: string | null
  /** `YYYY-MM-DD`, inclusive. */
  readonly since: string | null
  /** `YYYY-MM-DD`, inclusive. */
  readonly until: string | null
}

/** The signed-in admin and the token of the sign-out form, shown on every dashboard page. */
export interface DashboardSession {
  readonly subject: string
  readonly logoutToken: string
}

/** The list page. */
export interface DashboardModel {
  readonly session: DashboardSession
  readonly filters: DashboardFilters
  /** Pending requests matching the filters (empty when the status filter excludes them). */
  readonly pending: readonly RequestView[]
  /** Requests with a final status matching the filters, newest first. */
  readonly past: readonly RequestView[]
  /** Query string of the next page of past requests, when there is one. */
  readonly nextPage: string | null
}

/** The per-request page. */
export interface RequestPageModel {
  readonly session: DashboardSession
  readonly view: RequestView
  readonly timeline: readonly TimelineEntry[]
  /** Anti-forgery token of the cancel form; the form is shown only with it (pending requests). */
  readonly cancelToken?: string
  /** A message above the request, e.g. why a cancel failed. */
  readonly notice?: { readonly kind: 'ok' | 'error'; readonly text: string }
}

/** The sign-in page. */
export interface LoginPageModel {
  readonly csrf: string
  readonly error?: string
}

function nav(session: DashboardSession): Html {
  return html`<form class="logout" method="post" action="/ui/logout"><span class="muted">${session.subject}</span>
<input type="hidden" name="csrf" value="${session.logoutToken}"> <button type="submit">Sign out</button></form>`
}

/** The admin sign-in form. */
export function renderLoginPage(m: LoginPageModel): string {
  const error = m.error ? html`<p class="notice notice-error" role="alert">${m.error}</p>` : null
  const body = html`<h1>Sign in</h1>
${error}
<form class="login" method="post" action="/ui/login">
<input type="hidden" name="csrf" value="${m.csrf}">
<label>Admin token<input type="password" name="token" autocomplete="current-password" required></label>
<p><button type="submit">Sign in</button></p>
</form>
<p class="muted">Use the admin token printed when signoff first started, or one with the <code>admin</code> scope.</p>`
  return pageLayout({ title: 'Sign in', body, home: '/ui' })
}

function requestRow(v: RequestView): Html {
  const href = `/ui/requests/${encodeURIComponent(v.id)}`
  return html`<tr data-id="${v.id}"><td><a href="${href}"><code>${v.id}</code></a></td><td>${statusBadge(v.status)}</td><td>${v.requester ?? '—'}</td><td>${v.reason ?? ''}</td><td>${quorumText(v)}</td><td>${formatTime(v.createdAt)}</td><td>${formatTime(v.decidedAt ?? v.expiresAt)}</td></tr>`
}

function requestTable(id: string, rows: readonly RequestView[], empty: string): Html {
  if (rows.length === 0) return html`<p class="muted" id="${id}">${empty}</p>`
  return html`<table id="${id}">
<thead><tr><th>Request</th><th>Status</th><th>Requester</th><th>Reason</th><th>Quorum</th><th>Created</th><th>Decided / expires</th></tr></thead>
<tbody>${rows.map(requestRow)}</tbody>
</table>`
}

function filterForm(f: DashboardFilters): Html {
  const options = FILTER_STATUSES.map((s) => html`<option value="${s}"${f.status === s ? html` selected` : null}>${s}</option>`)
  return html`<form class="filters" method="get" action="/ui">
<label>Status<select name="status"><option value="">any</option>${options}</select></label>
<label>Requester<input type="text" name="requester" value="${f.requester ?? ''}"></label>
<label>Since<input type="date" name="since" value="${f.since ?? ''}"></label>
<label>Until<input type="date" name="until" value="${f.until ?? ''}"></label>
<button type="submit">Filter</button> <a href="/ui">Clear</a>
</form>`
}

/** Pending and past requests with the filter form. */
export function renderDashboard(m: DashboardModel): string {
  const showPending = m.filters.status === null || m.filters.status === 'pending'
  const showPast = m.filters.status !== 'pending'
  const body = html`<h1>Requests</h1>
${filterForm(m.filters)}
${showPending ? html`<h2>Pending</h2>${requestTable('pending', m.pending, 'Nothing is waiting for approval.')}` : null}
${showPast ? html`<h2>Past</h2>${requestTable('past', m.past, 'No past requests match.')}` : null}
${m.nextPage ? html`<p><a rel="next" href="/ui?${m.nextPage}">Older requests →</a></p>` : null}`
  return pageLayout({ title: 'Requests', body, home: '/ui', nav: nav(m.session) })
}

function timelineRow(e: TimelineEntry): Html {
  return html`<tr><td>${formatTime(e.at)}</td><td>${e.event}</td><td>${e.actor ?? '—'}</td><td>${e.detail ?? ''}</td></tr>`
}

/** One request with its timeline. */
export function renderRequestPage(m: RequestPageModel): string {
  const timeline = m.timeline.length
    ? html`<table id="timeline"><thead><tr><th>When</th><th>Event</th><th>Actor</th><th>Detail</th></tr></thead>
<tbody>${m.timeline.map(timelineRow)}</tbody></table>`
    : html`<p class="muted" id="timeline">No events recorded.</p>`
  const notice = m.notice ? html`<p class="notice notice-${m.notice.kind}" role="${m.notice.kind === 'error' ? 'alert' : 'status'}">${m.notice.text}</p>` : null
  const cancel = m.cancelToken
    ? html`<h2>Cancel</h2>
<form class="decide" method="post" action="/ui/requests/${encodeURIComponent(m.view.id)}/cancel">
<input type="hidden" name="csrf" value="${m.cancelToken}">
<label>Reason<textarea name="comment" maxlength="2000" required></textarea></label>
<button class="reject" type="submit">Cancel request</button>
</form>`
    : null
  const body = html`<p><a href="/ui">← All requests</a></p>
<h1>Request <code>${m.view.id}</code></h1>
${notice}
${requestDetails(m.view)}
<h2>Timeline</h2>
${timeline}
${cancel}`
  return pageLayout({ title: `Request ${m.view.id}`, body, home: '/ui', nav: nav(m.session) })
}
