import type { FastifyPluginAsync } from 'fastify'
import { requireScope } from '../authenticate.js'
import { errors } from '../schemas.js'
import type { RoutesOptions } from './requests.js'

const entrySchema = {
  type: 'object',
  properties: {
    seq: { type: 'integer' },
    id: { type: 'string' },
    at: { type: 'string' },
    request_id: { type: 'string' },
    event: { type: 'string' },
    actor: { type: ['string', 'null'] },
    input_digest: { type: 'string' },
    policy_revision: { type: 'string' },
    result: {},
    prev_hash: { type: 'string' },
    hash: { type: 'string' },
  },
} as const

/** `/v1/decisions`: the decision log and its verification (admin scope). */
export const decisionRoutes: FastifyPluginAsync<RoutesOptions> = async (app, { context }) => {
  const { services } = context
  const admin = requireScope(services.auth, 'admin')

  app.get<{ Querystring: { after?: string; limit?: string; request_id?: string } }>(
    '/',
    {
      preHandler: admin,
      schema: {
        summary: 'Decision-log entries in order',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            after: { type: 'string', pattern: '^[0-9]{1,15}$', description: 'Entries with seq greater than this.' },
            limit: { type: 'string', pattern: '^[0-9]{1,4}$', description: '1–1000, default 100' },
            request_id: { type: 'string', maxLength: 100 },
          },
        },
        response: {
          200: { type: 'object', properties: { items: { type: 'array', items: entrySchema }, next_after: { type: ['integer', 'null'] } } },
          ...errors(400, 401, 403),
        },
      },
    },
    async (req) => {
      const limit = Math.min(1000, Math.max(1, Number(req.query.limit ?? 100)))
      const entries = req.query.request_id
        ? await services.store.logForRequest(req.query.request_id)
        : await services.store.logEntries(Number(req.query.after ?? 0), limit)
      return {
        items: entries.map((e) => ({
          seq: e.seq,
          id: e.id,
          at: new Date(e.at).toISOString(),
          request_id: e.requestId,
          event: e.event,
          actor: e.actor,
          input_digest: e.inputDigest,
          policy_revision: e.policyRevision,
          result: e.result,
          prev_hash: e.prevHash,
          hash: e.hash,
        })),
        next_after: !req.query.request_id && entries.length === limit ? entries[entries.length - 1]!.seq : null,
      }
    },
  )

  app.get(
    '/verify',
    {
      preHandler: admin,
      schema: {
        summary: 'Verify the hash chain and checkpoints; names the first bad entry',
        response: {
          200: {
            type: 'object',
            properties: {
              ok: { type: 'boolean' },
              entries: { type: 'integer' },
              head: { type: 'string' },
              checkpoints: { type: 'integer' },
              seq: { type: 'integer' },
              id: { type: ['string', 'null'] },
              reason: { type: 'string' },
            },
          },
          ...errors(401, 403),
        },
      },
    },
    async () => services.decisionLog.verify(),
  )
}
