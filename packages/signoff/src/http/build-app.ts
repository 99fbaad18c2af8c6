import { randomUUID } from 'node:crypto'
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify'
import type { AppContext } from './app-context.js'
import { installErrorHandling } from './error-handler.js'
import { recordRoute, type RouteRecord } from './openapi.js'
import { channelRoutes } from './routes/channels.js'
import { decisionRoutes } from './routes/decisions.js'
import { opsRoutes } from './routes/ops.js'
import { requestRoutes } from './routes/requests.js'
import { webRoutes } from './routes/web.js'

/** Options for {@link buildApp}. */
export interface BuildAppOptions {
  readonly context: AppContext
  /** pino logger options, or `false` (tests). Defaults to JSON at the configured level with redaction. */
  readonly logger?: FastifyServerOptions['logger']
  /** Where the default JSON logs go (stdout by default); tests capture them here. */
  readonly logStream?: { write(line: string): void }
}

/** Paths whose values never reach the logs. */
export const REDACT = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.token',
  '*.secret',
  '*.password',
  '*.bot_token',
  '*.app_token',
  '*.signing_secret',
  '*.app_password',
]

/**
 * The Fastify app: one plugin per route group (`/v1/requests`, `/v1/decisions`, operations, web
 * pages), a schema on every route, strict bodies (unknown fields are errors, no type coercion),
 * `{code, message, details?}` errors, request ids (`x-request-id` honoured) and redacted logs.
 */
export async function buildApp(opts: BuildAppOptions): Promise<FastifyInstance> {
  const { context } = opts
  const app = Fastify({
    logger:
      opts.logger ?? {
        level: context.config.log_level,
        ...(opts.logStream ? { stream: opts.logStream } : {}),
        redact: { paths: REDACT, censor: '[redacted]' },
        serializers: {
          req: (r: { method: string; url: string; id: string }) => ({ method: r.method, url: redactUrl(r.url), id: r.id }),
        },
      },
    bodyLimit: context.config.body_limit,
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, useDefaults: false, allErrors: false } },
    return503OnClosing: true,
  })
  app.addHook('onRequest', async (req, reply) => {
    reply.header('x-request-id', req.id)
  })
  app.addHook('onResponse', async (_req, reply) => {
    context.services.metrics.inc('signoff_http_requests_total', { code: `${Math.floor(reply.statusCode / 100)}xx` })
  })
  // The API speaks JSON only: anything else is 415, not a string body that fails the schema.
  app.removeContentTypeParser('text/plain')
  installErrorHandling(app)
  const routes: RouteRecord[] = []
  app.addHook('onRoute', recordRoute(routes))
  await app.register(requestRoutes, { prefix: '/v1/requests', context })
  await app.register(decisionRoutes, { prefix: '/v1/decisions', context })
  await app.register(opsRoutes, { context, routes })
  await app.register(webRoutes, { context })
  await app.register(channelRoutes, { context })
  return app
}

/** Hides signed-link tokens and other secrets carried in query strings. */
export function redactUrl(url: string): string {
  return url.replace(/([?&](?:t|token|access_token)=)[^&]*/g, '$1[redacted]')
}
