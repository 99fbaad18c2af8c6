import type { FastifyPluginAsync } from 'fastify'
import type { AppContext } from '../app-context.js'

/** Options for {@link channelRoutes}. */
export interface ChannelRoutesOptions {
  readonly context: AppContext
}

/**
 * Platform callbacks (`POST /slack/interactions`, `POST /teams/messages`): one route per channel
 * that declares an interaction path. The body is kept as the exact text received, whatever its
 * content type, because the platforms sign those bytes; the channel verifies and answers.
 */
export const channelRoutes: FastifyPluginAsync<ChannelRoutesOptions> = async (app, opts) => {
  app.removeAllContentTypeParsers()
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body))
  for (const channel of opts.context.services.channels.values()) {
    const path = channel.interactionPath
    const handle = channel.interactions?.bind(channel)
    if (!path || !handle) continue
    app.post(path, { schema: { hide: true } }, async (req, reply) => {
      const headers: Record<string, string | undefined> = {}
      for (const [k, v] of Object.entries(req.headers)) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v
      const res = await handle({ headers, rawBody: typeof req.body === 'string' ? req.body : '' })
      void reply.code(res.status)
      for (const [k, v] of Object.entries(res.headers ?? {})) void reply.header(k, v)
      return reply.send(res.body)
    })
  }
}
