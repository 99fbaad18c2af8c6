import { pathToFileURL } from 'node:url'
import type { FastifyInstance } from 'fastify'
import { loadConfig, type SignoffConfig } from './config/index.js'
import { SignoffError } from './domain/index.js'
import { buildApp, type BuildAppOptions } from './http/index.js'
import { createServices, type CreateServicesOptions, type SignoffServices, type WorkerLogger } from './services/index.js'
import { configuredChannels } from './services/configured-channels.js'
import { Store } from './store/index.js'

/** Options for {@link startServer}. */
export interface StartServerOptions {
  readonly config: SignoffConfig
  /** Where the first-start banner (admin token, URL) goes; stdout by default. */
  readonly print?: (line: string) => void
  /** Fastify logger options, or `false`. */
  readonly logger?: BuildAppOptions['logger']
  /** Passed through to createServices (tests: clock, fetch, channels). */
  readonly services?: Omit<CreateServicesOptions, 'config' | 'store' | 'log'>
  /** Listen (default true); `false` builds the app for `inject()` only. */
  readonly listen?: boolean
}

/** A running signoff. */
export interface RunningServer {
  readonly app: FastifyInstance
  readonly services: SignoffServices
  /** `http://host:port` actually bound (port 0 resolved). */
  readonly url: string
  /** Drains and stops everything. */
  close(): Promise<void>
}

/**
 * Starts signoff: opens and migrates the database, loads the policy (refusing to start on a
 * broken one, naming file:row:col), creates the first-start admin token, serves HTTP, and runs
 * the outbox worker, policy file watching and (PostgreSQL) LISTEN wakeups.
 */
export async function startServer(opts: StartServerOptions): Promise<RunningServer> {
  const { config } = opts
  const print = opts.print ?? ((line: string) => process.stdout.write(line + '\n'))
  const store = await Store.open(config.database)
  let app: FastifyInstance | null = null
  let startedChannels: SignoffServices | null = null
  let ready = false
  try {
    const migrated = await store.migrate()
    if (!migrated.ok) throw new Error(`database migration failed: ${migrated.error}`)
    const log: WorkerLogger = {
      info: (o, m) => app?.log.info(o, m),
      warn: (o, m) => app?.log.warn(o, m),
      error: (o, m) => app?.log.error(o, m),
    }
    const services = await createServices({
      ...(opts.services ?? {}),
      channels: [...configuredChannels(config), ...(opts.services?.channels ?? [])],
      config,
      store,
      log,
    })
    startedChannels = services
    if (services.policyHost) {
      const loaded = await services.policyHost.load()
      if (!loaded.ok) {
        throw new SignoffError('SIGNOFF_POLICY_ERROR', `policy failed to load:\n${loaded.problems.map((p) => `  ${p.message}`).join('\n')}`, {
          problems: loaded.problems,
        })
      }
    }
    app = await buildApp({ context: { config, services, now: services.now, ready: () => ready }, ...(opts.logger !== undefined ? { logger: opts.logger } : {}) })
    if (config.defaults.approvers.length === 0) {
      app.log.warn('defaults.approvers is empty: anyone holding an approval link may approve seed-form requests')
    }
    const adminToken = await services.auth.bootstrapAdmin(services.now())
    await services.startChannels()
    let url = config.public_url
    if (opts.listen !== false) {
      await app.listen({ port: config.port, host: config.host })
      const addr = app.server.address()
      if (addr && typeof addr === 'object') url = `http://${addr.family === 'IPv6' ? `[${addr.address}]` : addr.address}:${addr.port}`
    }
    const stopListening = await store.listen((id) => services.events.emit(id))
    services.worker.start()
    if (config.policy.watch) services.policyHost?.watch()
    ready = true
    print(`signoff listening on ${url} (database ${config.database.replace(/\/\/[^@/]*@/, '//***@')}, policy ${config.policy.package})`)
    if (adminToken) {
      print('First start: created an admin token. It is shown only this once and stored hashed:')
      print(`  export SIGNOFF_URL=${config.public_url}`)
      print(`  export SIGNOFF_TOKEN=${adminToken}`)
    }
    const running = app
    return {
      app: running,
      services,
      url,
      async close() {
        ready = false
        await running.close()
        await services.worker.stop()
        await services.stopChannels()
        services.policyHost?.close()
        await stopListening()
        await store.close()
      },
    }
  } catch (e) {
    await app?.close().catch(() => {})
    await startedChannels?.stopChannels().catch(() => {})
    await store.close().catch(() => {})
    throw e
  }
}

/** `node dist/server.js [--config signoff.yaml]`: what `npm start` runs. */
async function main(argv: readonly string[]): Promise<void> {
  const i = argv.indexOf('--config')
  let config: SignoffConfig
  try {
    config = loadConfig({ file: i >= 0 ? (argv[i + 1] ?? null) : null })
  } catch (e) {
    process.stderr.write(`signoff: ${(e as Error).message}\n`)
    process.exit(3)
  }
  let server: RunningServer
  try {
    server = await startServer({ config })
  } catch (e) {
    process.stderr.write(`signoff: ${(e as Error).message}\n`)
    process.exit(3)
  }
  const stop = (): void => {
    void server.close().then(() => process.exit(0))
  }
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) void main(process.argv.slice(2))
