import type { FastifyPluginAsync } from 'fastify'
import type { AppContext } from '../app-context.js'

/** Options the app passes to the web routes plugin. */
export interface WebRoutesOptions {
  /** The services, configuration and clock of the running app. */
  readonly context: AppContext
}

/**
 * The web approval page (`/r/:id`) and dashboard (`/ui`). Stub: the web channel's owner fills
 * in the body; the app registers it without a prefix.
 */
export const webRoutes: FastifyPluginAsync<WebRoutesOptions> = async (_app, _opts) => {}
