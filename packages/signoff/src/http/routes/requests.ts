import type { FastifyPluginAsync, FastifyRequest } from 'fastify'
import { SignoffError, isTerminal, type ApprovalRequest, type RequestStatus } from '../../domain/index.js'
import { deliveryErrors, hasScope, toRequestJson, type RequestJson } from '../../services/index.js'
import type { AppContext } from '../app-context.js'
import { callerOf, requireScope } from '../authenticate.js'
import { commentBody, errors, idParams, requestSchema } from '../schemas.js'

/** Options of {@link requestRoutes}. */
export interface RoutesOptions {
  readonly context: AppContext
}

const createBody = {
  type: 'object',
  required: ['input'],
  additionalProperties: false,
  properties: {
    input: { type: 'object', description: 'The operation to decide on; passed to the policy as `input`.' },
    requester: { type: 'string', minLength: 1, maxLength: 320, description: 'Defaults to the token subject; only admins may set another.' },
    idempotency_key: { type: 'string', minLength: 1, maxLength: 200 },
    callback_url: { type: 'string', pattern: '^https?://', maxLength: 2000, description: 'Receives the final request, signed (X-Signoff-Signature).' },
  },
} as const

const listQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    status: { type: 'string', enum: ['pending', 'approved', 'rejected', 'expired', 'cancelled', 'allowed', 'denied', 'final'] },
    requester: { type: 'string', maxLength: 320 },
    created_from: { type: 'string', format: 'date-time' },
    created_to: { type: 'string', format: 'date-time' },
    cursor: { type: 'string', maxLength: 400 },
    limit: { type: 'string', pattern: '^[0-9]{1,3}$', description: '1–200, default 50' },
  },
} as const

const waitQuery = {
  type: 'object',
  additionalProperties: false,
  properties: { timeout: { type: 'string', pattern: '^[0-9]{1,3}$', description: 'Seconds to wait, 0–300 (default 60).' } },
} as const

const listResponse = {
  type: 'object',
  properties: { items: { type: 'array', items: requestSchema }, next_cursor: { type: ['string', 'null'] } },
} as const

/**
 * `/v1/requests`: create, read, list, wait (long-poll), events (SSE), approve, reject, cancel.
 */
export const requestRoutes: FastifyPluginAsync<RoutesOptions> = async (app, { context }) => {
  const { services } = context
  const any = requireScope(services.auth, null)
  const present = async (req: FastifyRequest, r: ApprovalRequest, withPosts = false): Promise<RequestJson> => {
    const json = toRequestJson(r, withPosts ? await services.store.postsFor(r.id) : undefined)
    if (withPosts) json.delivery_errors = deliveryErrors(await services.store.outboxFor(r.id))
    if (hasScope(callerOf(req), 'admin') && !isTerminal(r.status)) {
      json.links = services.requests.linksFor(r).map((l) => ({ approver: l.approver, url: l.url, expires_at: new Date(l.expiresAt).toISOString() }))
    }
    return json
  }

  app.post<{ Body: { input: Record<string, unknown>; requester?: string; idempotency_key?: string; callback_url?: string } }>(
    '/',
    {
      preHandler: requireScope(services.auth, 'request'),
      schema: {
        summary: 'Ask whether an operation may go ahead',
        body: createBody,
        response: { 200: requestSchema, 201: requestSchema, ...errors(400, 401, 403, 409, 413, 500, 503) },
      },
    },
    async (req, reply) => {
      const caller = callerOf(req)
      if (req.body.requester !== undefined && req.body.requester !== caller.subject && !hasScope(caller, 'admin')) {
        throw new SignoffError('SIGNOFF_FORBIDDEN', 'only admin tokens may create requests for another requester', { field: 'body.requester' })
      }
      const { request, created } = await services.requests.create(
        {
          input: req.body.input,
          requester: req.body.requester ?? null,
          idempotencyKey: req.body.idempotency_key ?? null,
          callbackUrl: req.body.callback_url ?? null,
        },
        caller,
      )
      return reply.code(created ? 201 : 200).send(await present(req, request))
    },
  )

  app.get<{ Querystring: { status?: string; requester?: string; created_from?: string; created_to?: string; cursor?: string; limit?: string } }>(
    '/',
    { preHandler: any, schema: { summary: 'List requests, newest first', querystring: listQuery, response: { 200: listResponse, ...errors(400, 401) } } },
    async (req) => {
      const q = req.query
      const limit = q.limit === undefined ? 50 : Number(q.limit)
      if (limit < 1 || limit > 200) throw new SignoffError('SIGNOFF_VALIDATION_FAILED', 'querystring.limit must be from 1 to 200', { field: 'querystring.limit' })
      const page = await services.requests.list({
        status: (q.status as RequestStatus | 'final' | undefined) ?? null,
        requester: q.requester ?? null,
        createdFrom: q.created_from ? Date.parse(q.created_from) : null,
        createdTo: q.created_to ? Date.parse(q.created_to) : null,
        cursor: q.cursor ?? null,
        limit,
      })
      return { items: page.items.map((r) => toRequestJson(r)), next_cursor: page.nextCursor }
    },
  )

  app.get<{ Params: { id: string } }>(
    '/:id',
    { preHandler: any, schema: { summary: 'A request, its approvals and where it was posted', params: idParams, response: { 200: requestSchema, ...errors(400, 401, 404) } } },
    async (req) => present(req, await services.requests.get(req.params.id), true),
  )

  app.get<{ Params: { id: string }; Querystring: { timeout?: string } }>(
    '/:id/wait',
    {
      preHandler: any,
      schema: { summary: 'Long-poll until the request is final or the timeout passes', params: idParams, querystring: waitQuery, response: { 200: requestSchema, ...errors(400, 401, 404) } },
    },
    async (req) => {
      const timeout = req.query.timeout === undefined ? 60 : Number(req.query.timeout)
      if (timeout > 300) throw new SignoffError('SIGNOFF_VALIDATION_FAILED', 'querystring.timeout must be at most 300 seconds', { field: 'querystring.timeout' })
      const abort = new AbortController()
      req.raw.once('close', () => abort.abort())
      return present(req, await services.requests.wait(req.params.id, timeout * 1000, abort.signal))
    },
  )

  app.get<{ Params: { id: string } }>(
    '/:id/events',
    {
      preHandler: any,
      schema: {
        summary: 'Server-sent events: one `request` event per state change; the stream ends when the request is final',
        params: idParams,
        response: { 200: { type: 'string', description: 'text/event-stream' }, ...errors(400, 401, 404) },
      },
    },
    async (req, reply) => {
      const first = await services.requests.get(req.params.id)
      reply.hijack()
      const res = reply.raw
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
        'x-request-id': String(req.id),
      })
      let last = 0
      let closed = false
      const send = (r: ApprovalRequest): void => {
        if (closed || r.version <= last) return
        last = r.version
        res.write(`id: ${r.version}\nevent: request\ndata: ${JSON.stringify(toRequestJson(r))}\n\n`)
        if (isTerminal(r.status)) finish()
      }
      const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), 15_000)
      const unsubscribe = services.events.subscribe(first.id, () => {
        void services.store.getRequest(first.id).then((r) => r && send(r), () => {})
      })
      const finish = (): void => {
        if (closed) return
        closed = true
        clearInterval(heartbeat)
        unsubscribe()
        res.end()
      }
      req.raw.once('close', finish)
      send(first)
      // A change between the first read and the subscription is caught by reading once more.
      const again = await services.store.getRequest(first.id)
      if (again) send(again)
    },
  )

  for (const decision of ['approve', 'reject'] as const) {
    app.post<{ Params: { id: string }; Body: { comment?: string } | null }>(
      `/:id/${decision}`,
      {
        preHandler: requireScope(services.auth, 'approve'),
        schema: {
          summary: decision === 'approve' ? 'Approve as the token subject' : 'Reject as the token subject',
          params: idParams,
          body: commentBody,
          response: { 200: requestSchema, ...errors(400, 401, 403, 404, 409) },
        },
      },
      async (req) => {
        const r = await services.requests.decide(req.params.id, { approver: callerOf(req).subject, decision, comment: req.body?.comment ?? null, via: 'api' })
        return toRequestJson(r)
      },
    )
  }

  app.post<{ Params: { id: string }; Body: { comment?: string } | null }>(
    '/:id/cancel',
    {
      preHandler: any,
      schema: { summary: 'Cancel a pending request (its requester or an admin)', params: idParams, body: commentBody, response: { 200: requestSchema, ...errors(400, 401, 403, 404, 409) } },
    },
    async (req) => toRequestJson(await services.requests.cancel(req.params.id, callerOf(req), req.body?.comment ?? null)),
  )
}
