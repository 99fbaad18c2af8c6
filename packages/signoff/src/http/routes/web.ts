import type { FastifyError, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import { ApprovalLinkFlow, DashboardFlow, PAGE_HEADERS, type DashboardFlowOptions, redirect, renderMessagePage, type SignedToken, type WebBackend, type WebResponse } from '../../channels/web/index.js'
import { SignoffError } from '../../domain/index.js'
import type { AppContext } from '../app-context.js'

/** The web channel's dependencies. */
export interface WebRouteDeps {
  /** The service layer as the web channel sees it. */
  readonly backend: WebBackend
  /** Signs and checks approval links, sessions and form tokens. */
  readonly tokens: SignedToken
  /** Adds `Secure` to cookies (the public URL is https). */
  readonly secureCookies?: boolean
  /** Lets admins cancel pending requests from the dashboard. */
  readonly cancelRequest?: DashboardFlowOptions['cancelRequest']
}

/** Options the app passes to the web routes plugin. */
export interface WebRoutesOptions {
  /** The services, configuration and clock of the running app. */
  readonly context?: AppContext
  /** The web channel's dependencies; taken from {@link context} when left out (tests pass fakes). */
  readonly web?: WebRouteDeps
}

/** The web dependencies of the running app. */
function fromContext(context: AppContext): WebRouteDeps {
  const { services } = context
  const { backend, tokens } = services.web
  return {
    backend,
    tokens,
    secureCookies: context.config.public_url.startsWith('https:'),
    // The smallest adapter for the dashboard's cancel: the request service, as an admin caller.
    async cancelRequest(id, admin, comment) {
      try {
        await services.requests.cancel(id, { subject: admin, scopes: ['admin'] }, comment)
        return { ok: true }
      } catch (e) {
        if (e instanceof SignoffError && e.code !== 'SIGNOFF_INTERNAL') return { ok: false, message: e.message }
        throw e
      }
    },
  }
}

type Form = Record<string, string>

const FORM_LIMIT = 16 * 1024

function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = Object.create(null) as Record<string, string>
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=')
    if (eq <= 0) continue
    const name = part.slice(0, eq).trim()
    if (!(name in out)) out[name] = part.slice(eq + 1).trim()
  }
  return out
}

function send(reply: FastifyReply, res: WebResponse): FastifyReply {
  reply.code(res.status).headers(PAGE_HEADERS)
  if (res.cookies?.length) reply.header('set-cookie', [...res.cookies])
  if (res.location) return reply.header('location', res.location).send('')
  return reply.send(res.body)
}

/**
 * Refuses form posts another site initiated. Browsers say where a request came from in
 * `Sec-Fetch-Site`; without it, a non-null `Origin` must name this host. (Pages are sent with
 * `Referrer-Policy: no-referrer`, so same-origin posts carry `Origin: null`.) The per-form tokens
 * and SameSite=Strict cookies are the primary defence; this is the second.
 */
function crossSite(req: FastifyRequest): boolean {
  const site = req.headers['sec-fetch-site']
  if (typeof site === 'string') return site !== 'same-origin' && site !== 'none'
  const origin = req.headers.origin
  if (!origin || origin === 'null') return false
  try {
    const from = new URL(origin)
    return from.host !== new URL(`${from.protocol}//${req.headers.host ?? ''}`).host
  } catch {
    return true
  }
}

const idParams = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', minLength: 1, maxLength: 200 } },
} as const

const linkQuery = {
  type: 'object',
  properties: { t: { type: 'string', maxLength: 4096 } },
} as const

const decisionForm = {
  type: 'object',
  properties: {
    t: { type: 'string', maxLength: 4096 },
    csrf: { type: 'string', maxLength: 200 },
    comment: { type: 'string', maxLength: 4000 },
  },
} as const

const loginForm = {
  type: 'object',
  properties: { csrf: { type: 'string', maxLength: 200 }, token: { type: 'string', maxLength: 1024 } },
} as const

const cancelForm = {
  type: 'object',
  properties: { csrf: { type: 'string', maxLength: 200 }, comment: { type: 'string', maxLength: 4000 } },
} as const

const dashboardQuery = {
  type: 'object',
  properties: {
    status: { type: 'string', maxLength: 20 },
    requester: { type: 'string', maxLength: 320 },
    since: { type: 'string', maxLength: 10 },
    until: { type: 'string', maxLength: 10 },
    cursor: { type: 'string', maxLength: 512 },
  },
} as const

/**
 * The web channel's routes: the approval page `/r/:id` behind a signed one-approver link, and the
 * dashboard `/ui` behind an admin sign-in. Pages are server-rendered HTML under a strict
 * Content-Security-Policy; forms are `application/x-www-form-urlencoded`, parsed here only.
 */
export const webRoutes: FastifyPluginAsync<WebRoutesOptions> = async (app, opts) => {
  const web = opts.web ?? (opts.context ? fromContext(opts.context) : undefined)
  if (!web) throw new TypeError('webRoutes needs the app context or explicit web dependencies')
  const links = new ApprovalLinkFlow(web.tokens, web.backend)
  const dashboard = new DashboardFlow(web.tokens, web.backend, { secureCookies: web.secureCookies, cancelRequest: web.cancelRequest })

  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: FORM_LIMIT }, (_req, body, done) => {
    const form: Form = Object.create(null) as Form
    for (const [k, v] of new URLSearchParams(body as string)) if (!(k in form)) form[k] = v
    done(null, form)
  })

  // Errors on these routes are pages too (the app's handler answers JSON for the API).
  app.setErrorHandler((err: FastifyError, req, reply) => {
    const status = typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500
    if (status === 500) req.log.error({ err }, 'web page failed')
    const page =
      status === 413
        ? renderMessagePage(413, 'Too much text', 'The form was larger than this server accepts. Shorten the comment and try again.')
        : status === 500
          ? renderMessagePage(500, 'Something went wrong', 'The server could not show this page. Try again; the log has the details under this request id.')
          : renderMessagePage(status, 'This request was not understood', err.message)
    return send(reply, page)
  })

  app.addHook('preHandler', async (req, reply) => {
    if (req.method === 'POST' && crossSite(req)) {
      return send(reply, renderMessagePage(403, 'This form was not accepted', 'The form was sent from another site.'))
    }
  })

  app.get<{ Params: { id: string }; Querystring: { t?: string } }>('/r/:id', { schema: { params: idParams, querystring: linkQuery, hide: true } }, async (req, reply) =>
    send(reply, await links.open(req.params.id, req.query.t)),
  )

  for (const decision of ['approve', 'reject'] as const) {
    app.post<{ Params: { id: string }; Body: Form }>(`/r/:id/${decision}`, { schema: { params: idParams, body: decisionForm, hide: true } }, async (req, reply) =>
      send(reply, await links.submit(req.params.id, decision, req.body ?? {})),
    )
  }

  app.get('/ui/', { schema: { querystring: { type: 'object' }, hide: true } }, async (_req, reply) => send(reply, redirect('/ui')))

  app.get('/ui/login', { schema: { querystring: { type: 'object' }, hide: true } }, async (req, reply) => send(reply, dashboard.loginPage(parseCookies(req.headers.cookie))))

  app.post<{ Body: Form }>('/ui/login', { schema: { body: loginForm, hide: true } }, async (req, reply) =>
    send(reply, await dashboard.login(parseCookies(req.headers.cookie), req.body ?? {})),
  )

  app.post<{ Body: Form }>('/ui/logout', { schema: { body: loginForm, hide: true } }, async (req, reply) =>
    send(reply, dashboard.logout(parseCookies(req.headers.cookie), req.body ?? {})),
  )

  app.get<{ Querystring: Form }>('/ui', { schema: { querystring: dashboardQuery, hide: true } }, async (req, reply) =>
    send(reply, await dashboard.dashboard(parseCookies(req.headers.cookie), req.query)),
  )

  app.post<{ Params: { id: string }; Body: Form }>('/ui/requests/:id/cancel', { schema: { params: idParams, body: cancelForm, hide: true } }, async (req, reply) =>
    send(reply, await dashboard.cancel(parseCookies(req.headers.cookie), req.params.id, req.body ?? {})),
  )

  app.get<{ Params: { id: string } }>('/ui/requests/:id', { schema: { params: idParams, hide: true } }, async (req, reply) =>
    send(reply, await dashboard.requestPage(parseCookies(req.headers.cookie), req.params.id)),
  )
}
