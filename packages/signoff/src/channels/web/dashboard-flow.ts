import { randomBytes } from 'node:crypto'
import { FILTER_STATUSES, renderDashboard, renderLoginPage, renderRequestPage, type DashboardFilters, type DashboardSession, type RequestPageModel } from './dashboard-pages.js'
import { checkFormToken, formToken } from './form-token.js'
import { renderMessagePage } from './message-page.js'
import type { RequestViewStatus } from './request-view.js'
import type { SignedToken } from './signed-token.js'
import type { WebBackend } from './web-backend.js'
import { redirect, type WebResponse } from './web-response.js'

/** Name of the admin session cookie. */
export const SESSION_COOKIE = 'signoff_session'
/** Name of the cookie that scopes the sign-in form's anti-forgery token. */
export const LOGIN_COOKIE = 'signoff_login'

const SESSION_PURPOSE = 'admin-session'
const DAY_MS = 86_400_000

/** Options of {@link DashboardFlow}. */
export interface DashboardFlowOptions {
  /** How long a sign-in lasts; 8 hours by default. */
  readonly sessionTtlMs?: number
  /** Adds `Secure` to cookies; set when the public URL is https. */
  readonly secureCookies?: boolean
  /** Past requests per page; 50 by default. */
  readonly pageSize?: number
  /**
   * Cancels a pending request on behalf of the signed-in admin; the request page offers a
   * cancel form only when this is given.
   */
  readonly cancelRequest?: (id: string, admin: string, comment: string) => Promise<CancelResult>
}

/** What a cancel from the dashboard came to. */
export type CancelResult = { readonly ok: true } | { readonly ok: false; readonly message: string }

interface Session {
  readonly subject: string
  readonly sid: string
}

function pickStatus(x: unknown): RequestViewStatus | null {
  return typeof x === 'string' && (FILTER_STATUSES as readonly string[]).includes(x) ? (x as RequestViewStatus) : null
}

function pickDate(x: unknown): string | null {
  return typeof x === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(x) && !Number.isNaN(Date.parse(`${x}T00:00:00Z`)) ? x : null
}

function pickText(x: unknown, max = 320): string | null {
  if (typeof x !== 'string') return null
  const t = x.trim()
  return t === '' ? null : t.slice(0, max)
}

/** Reads the dashboard's query string into filters; anything invalid is ignored, not an error. */
export function parseFilters(query: Readonly<Record<string, unknown>>): DashboardFilters {
  return { status: pickStatus(query.status), requester: pickText(query.requester), since: pickDate(query.since), until: pickDate(query.until) }
}

function filterQuery(f: DashboardFilters, cursor: string): string {
  const q = new URLSearchParams()
  if (f.status) q.set('status', f.status)
  if (f.requester) q.set('requester', f.requester)
  if (f.since) q.set('since', f.since)
  if (f.until) q.set('until', f.until)
  q.set('cursor', cursor)
  return q.toString()
}

/**
 * The dashboard's interactions: sign-in with an admin token into an HttpOnly, SameSite=Strict
 * session cookie; the request list with filters; one request with its timeline; sign-out. Every
 * form carries a per-form token bound to the session (or, before sign-in, to a sign-in cookie).
 */
export class DashboardFlow {
  readonly #tokens: SignedToken
  readonly #backend: WebBackend
  readonly #ttl: number
  readonly #secure: boolean
  readonly #pageSize: number
  readonly #cancel: DashboardFlowOptions['cancelRequest']

  constructor(tokens: SignedToken, backend: WebBackend, options: DashboardFlowOptions = {}) {
    this.#tokens = tokens
    this.#backend = backend
    this.#ttl = options.sessionTtlMs ?? 8 * 3_600_000
    this.#secure = options.secureCookies ?? false
    this.#pageSize = options.pageSize ?? 50
    this.#cancel = options.cancelRequest
  }

  #cookie(name: string, value: string, maxAgeSeconds: number): string {
    return `${name}=${value}; Path=/ui; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSeconds}${this.#secure ? '; Secure' : ''}`
  }

  #session(cookies: Readonly<Record<string, string>>): Session | null {
    const raw = cookies[SESSION_COOKIE]
    if (!raw) return null
    const opened = this.#tokens.open<{ s?: unknown; i?: unknown }>(SESSION_PURPOSE, raw)
    if (!opened.ok || typeof opened.claims?.s !== 'string' || typeof opened.claims.i !== 'string') return null
    return { subject: opened.claims.s, sid: opened.claims.i }
  }

  #view(session: Session): DashboardSession {
    return { subject: session.subject, logoutToken: formToken(this.#tokens, session.sid, 'logout') }
  }

  /** `GET /ui/login`. */
  loginPage(cookies: Readonly<Record<string, string>>, error?: string, status = 200): WebResponse {
    const existing = cookies[LOGIN_COOKIE]
    const loginId = existing && /^[A-Za-z0-9_-]{16,64}$/.test(existing) ? existing : randomBytes(18).toString('base64url')
    const body = renderLoginPage({ csrf: formToken(this.#tokens, loginId, 'login'), error })
    return { status, body, cookies: existing === loginId ? [] : [this.#cookie(LOGIN_COOKIE, loginId, 3600)] }
  }

  /** `POST /ui/login`: checks the form token and the admin token, then starts a session. */
  async login(cookies: Readonly<Record<string, string>>, form: Readonly<Record<string, unknown>>): Promise<WebResponse> {
    const loginId = cookies[LOGIN_COOKIE]
    if (!loginId || !checkFormToken(this.#tokens, loginId, 'login', form.csrf)) {
      return this.loginPage(cookies, 'The sign-in form expired. Please try again.', 403)
    }
    const token = typeof form.token === 'string' ? form.token.trim() : ''
    const who = token ? await this.#backend.authenticateAdmin(token) : null
    if (!who) return this.loginPage(cookies, 'That is not a valid admin token.', 401)
    const sid = randomBytes(18).toString('base64url')
    const value = this.#tokens.seal(SESSION_PURPOSE, { s: who.subject, i: sid }, this.#tokens.now() + this.#ttl)
    return redirect('/ui', [this.#cookie(SESSION_COOKIE, value, Math.floor(this.#ttl / 1000)), this.#cookie(LOGIN_COOKIE, '', 0)])
  }

  /** `POST /ui/logout`. */
  logout(cookies: Readonly<Record<string, string>>, form: Readonly<Record<string, unknown>>): WebResponse {
    const session = this.#session(cookies)
    if (session && !checkFormToken(this.#tokens, session.sid, 'logout', form.csrf)) {
      return renderMessagePage(403, 'This form was not accepted', 'The sign-out form did not come from this dashboard.', '/ui')
    }
    return redirect('/ui/login', [this.#cookie(SESSION_COOKIE, '', 0)])
  }

  /** `GET /ui`: pending and past requests, filtered. */
  async dashboard(cookies: Readonly<Record<string, string>>, query: Readonly<Record<string, unknown>>): Promise<WebResponse> {
    const session = this.#session(cookies)
    if (!session) return redirect('/ui/login')
    const filters = parseFilters(query)
    const cursor = pickText(query.cursor, 512)
    const common = {
      requester: filters.requester,
      createdFrom: filters.since ? Date.parse(`${filters.since}T00:00:00Z`) : null,
      createdTo: filters.until ? Date.parse(`${filters.until}T00:00:00Z`) + DAY_MS : null,
    }
    const showPending = filters.status === null || filters.status === 'pending'
    const pending = showPending && !cursor ? await this.#backend.listRequests({ ...common, status: 'pending', cursor: null, limit: 200 }) : { items: [], nextCursor: null }
    const past =
      filters.status === 'pending'
        ? { items: [], nextCursor: null }
        : await this.#backend.listRequests({ ...common, status: filters.status ?? 'final', cursor, limit: this.#pageSize })
    const body = renderDashboard({
      session: this.#view(session),
      filters,
      pending: pending.items,
      past: past.items,
      nextPage: past.nextCursor ? filterQuery(filters, past.nextCursor) : null,
    })
    return { status: 200, body }
  }

  /** `GET /ui/requests/:id`: one request and its timeline (and, while pending, a cancel form). */
  async requestPage(cookies: Readonly<Record<string, string>>, id: string, notice?: RequestPageModel['notice'], status = 200): Promise<WebResponse> {
    const session = this.#session(cookies)
    if (!session) return redirect('/ui/login')
    const view = await this.#backend.getRequest(id)
    if (!view) return renderMessagePage(404, 'No such request', `There is no request ${id}.`, '/ui')
    const timeline = await this.#backend.timeline(id)
    const cancelToken = this.#cancel && view.status === 'pending' ? formToken(this.#tokens, session.sid, `cancel:${id}`) : undefined
    return { status, body: renderRequestPage({ session: this.#view(session), view, timeline, cancelToken, notice }) }
  }

  /** `POST /ui/requests/:id/cancel`: cancels a pending request as the signed-in admin. */
  async cancel(cookies: Readonly<Record<string, string>>, id: string, form: Readonly<Record<string, unknown>>): Promise<WebResponse> {
    const session = this.#session(cookies)
    if (!session) return redirect('/ui/login')
    if (!this.#cancel) return renderMessagePage(404, 'Not available', 'Cancelling from the dashboard is not enabled.', '/ui')
    if (!checkFormToken(this.#tokens, session.sid, `cancel:${id}`, form.csrf)) {
      return renderMessagePage(403, 'This form was not accepted', 'The cancel form did not come from this dashboard.', '/ui')
    }
    const comment = typeof form.comment === 'string' ? form.comment.trim().slice(0, 2000) : ''
    if (comment === '') return this.requestPage(cookies, id, { kind: 'error', text: 'Say why you cancel the request; the requester sees your reason.' }, 400)
    const result = await this.#cancel(id, session.subject, comment)
    if (!result.ok) return this.requestPage(cookies, id, { kind: 'error', text: result.message }, 409)
    return redirect(`/ui/requests/${encodeURIComponent(id)}`)
  }
}
