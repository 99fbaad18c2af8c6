import type { FastifyPluginAsync } from 'fastify'
import type { AppContext } from '../app-context.js'
import { buildOpenApi, type RouteRecord } from '../openapi.js'
import { errors } from '../schemas.js'

/** Options of {@link opsRoutes}. */
export interface OpsRoutesOptions {
  readonly context: AppContext
  /** Every route the app registered, for /openapi.json. */
  readonly routes: readonly RouteRecord[]
}

const status = { type: 'object', properties: { status: { type: 'string' }, policy_revision: { type: ['string', 'null'] }, checks: { type: 'object', additionalProperties: true } } } as const

/** `/healthz`, `/readyz`, `/metrics`, `/openapi.json`. */
export const opsRoutes: FastifyPluginAsync<OpsRoutesOptions> = async (app, { context, routes }) => {
  const { services } = context
  app.get('/healthz', { schema: { summary: 'Liveness: the process answers', response: { 200: status } } }, async () => ({ status: 'ok' }))

  app.get(
    '/readyz',
    { schema: { summary: 'Readiness: database reachable, a policy loaded, not draining', response: { 200: status, 503: status } } },
    async (_req, reply) => {
      const database = await services.store.ping()
      const policy = services.policyHost === null || services.policyHost.revision !== null
      const ready = context.ready()
      const ok = database && policy && ready
      return reply.code(ok ? 200 : 503).send({
        status: ok ? 'ready' : 'not ready',
        policy_revision: services.policyHost?.revision ?? null,
        checks: { database, policy, accepting: ready, policy_problems: services.policyHost?.lastProblems.map((p) => p.message) ?? [] },
      })
    },
  )

  app.get('/metrics', { schema: { summary: 'Prometheus metrics', response: { 200: { type: 'string' } } } }, async (_req, reply) => {
    return reply.type('text/plain; version=0.0.4; charset=utf-8').send(services.metrics.render())
  })

  app.get('/openapi.json', { schema: { summary: 'This document', response: { 200: { type: 'object', additionalProperties: true }, ...errors() } } }, async () =>
    buildOpenApi(routes, { title: 'signoff', version: '0.1.0' }),
  )
}
