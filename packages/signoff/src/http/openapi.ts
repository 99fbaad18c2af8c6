import type { RouteOptions } from 'fastify'

declare module 'fastify' {
  interface FastifySchema {
    /** Leave the route out of /openapi.json (HTML pages, form posts). */
    hide?: boolean
    /** One line for /openapi.json. */
    summary?: string
    description?: string
    tags?: readonly string[]
  }
}

/** A route as /openapi.json needs it, recorded by the app's onRoute hook. */
export interface RouteRecord {
  readonly method: string
  readonly url: string
  readonly schema: Record<string, unknown> | undefined
}

/** Records every route registered on `routes` (install as an `onRoute` hook before plugins). */
export function recordRoute(routes: RouteRecord[]): (opts: RouteOptions) => void {
  return (opts) => {
    const methods = Array.isArray(opts.method) ? opts.method : [opts.method]
    for (const m of methods) {
      if (m === 'HEAD') continue
      routes.push({ method: m, url: opts.url, schema: opts.schema as Record<string, unknown> | undefined })
    }
  }
}

/** Builds the OpenAPI 3.1 document from the recorded route schemas. */
export function buildOpenApi(routes: readonly RouteRecord[], info: { title: string; version: string }): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {}
  for (const r of routes) {
    const s = r.schema ?? {}
    if (s['hide'] === true) continue
    const path = r.url.replace(/:([A-Za-z0-9_]+)/g, '{$1}').replace(/(.)\/$/, '$1')
    const op: Record<string, unknown> = {}
    if (s['summary']) op['summary'] = s['summary']
    if (s['description']) op['description'] = s['description']
    const parameters: unknown[] = []
    for (const [where, key] of [['path', 'params'], ['query', 'querystring']] as const) {
      const schema = s[key] as { properties?: Record<string, Record<string, unknown>>; required?: string[] } | undefined
      for (const [name, p] of Object.entries(schema?.properties ?? {})) {
        parameters.push({ name, in: where, required: where === 'path' || (schema?.required ?? []).includes(name), schema: p, ...(p['description'] ? { description: p['description'] } : {}) })
      }
    }
    if (parameters.length > 0) op['parameters'] = parameters
    if (s['body']) op['requestBody'] = { required: true, content: { 'application/json': { schema: s['body'] } } }
    const responses: Record<string, unknown> = {}
    for (const [status, schema] of Object.entries((s['response'] as Record<string, Record<string, unknown>>) ?? {})) {
      const sse = typeof schema['description'] === 'string' && schema['description'] === 'text/event-stream'
      responses[status] = {
        description: status.startsWith('2') ? 'OK' : 'Error',
        content: { [sse ? 'text/event-stream' : 'application/json']: { schema } },
      }
    }
    op['responses'] = Object.keys(responses).length > 0 ? responses : { 200: { description: 'OK' } }
    if (!String(r.url).startsWith('/v1/') && !['/healthz', '/readyz', '/metrics', '/openapi.json'].includes(r.url)) continue
    if (String(r.url).startsWith('/v1/')) op['security'] = [{ bearer: [] }]
    ;(paths[path] ??= {})[r.method.toLowerCase()] = op
  }
  return {
    openapi: '3.1.0',
    info,
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    paths,
  }
}
