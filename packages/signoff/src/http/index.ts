export type { AppContext } from './app-context.js'
export { buildApp, redactUrl, REDACT, type BuildAppOptions } from './build-app.js'
export { buildOpenApi, type RouteRecord } from './openapi.js'
