import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import type { Channel, ChannelRequestView } from '../channels/channel.js'
import { SignedToken, WebChannel, type WebBackend } from '../channels/web/index.js'
import type { SignoffConfig } from '../config/index.js'
import type { ApprovalRequest } from '../domain/index.js'
import { CheckpointSigner } from '../decision-log/index.js'
import { PolicyHost } from '../policy/index.js'
import type { Store } from '../store/index.js'
import { Authenticator } from './auth.js'
import { createChannelHost } from './channel-host.js'
import { DecisionLogService } from './decision-log-service.js'
import { Metrics } from './metrics.js'
import { OutboxWorker, type WorkerLogger } from './outbox-worker.js'
import { RequestEvents } from './request-events.js'
import { toChannelView } from './request-json.js'
import { RequestService, type PolicyEvaluator } from './request-service.js'
import { WebBackendAdapter } from './web-backend-adapter.js'

/** Everything the HTTP layer and the CLI call. Built once per app by {@link createServices}. */
export interface SignoffServices {
  readonly config: SignoffConfig
  readonly store: Store
  /** The policy host (reloads, last problems); `policy` below is what the services evaluate. */
  readonly policyHost: PolicyHost | null
  readonly requests: RequestService
  readonly auth: Authenticator
  readonly events: RequestEvents
  readonly metrics: Metrics
  readonly decisionLog: DecisionLogService
  readonly worker: OutboxWorker
  readonly channels: ReadonlyMap<string, Channel>
  /** The web channel's port and its token signer (links, sessions, form tokens). */
  readonly web: { readonly backend: WebBackend; readonly tokens: SignedToken; readonly channel: WebChannel }
  /** HMAC key for callbacks and links (from config, or generated once and kept in the database). */
  readonly secret: string
  /** Epoch milliseconds. */
  readonly now: () => number
  /** Starts every channel (Slack's Socket Mode connects here); call before serving. */
  startChannels(): Promise<void>
  /** Stops every channel. */
  stopChannels(): Promise<void>
}

/** Options for {@link createServices}. */
export interface CreateServicesOptions {
  readonly config: SignoffConfig
  /** An open, migrated store. */
  readonly store: Store
  /** The policy to evaluate; a PolicyHost over `config.policy` when left out (call `policyHost.load()`). */
  readonly policy?: PolicyEvaluator
  /** Injected clock (epoch ms); `Date.now` by default. */
  readonly now?: () => number
  readonly log?: WorkerLogger
  /** Injected for callback tests. */
  readonly fetch?: typeof fetch
  /** Extra channels (slack, teams) by name; `web` is always there. */
  readonly channels?: readonly Channel[]
  /** Retry tuning for tests. */
  readonly outbox?: { readonly maxAttempts?: number; readonly baseDelayMs?: number }
}

const SILENT: WorkerLogger = { info() {}, warn() {}, error() {} }

/** Wires the service layer: policy, request service, auth, outbox worker, decision log, web port. */
export async function createServices(opts: CreateServicesOptions): Promise<SignoffServices> {
  const { config, store } = opts
  const now = opts.now ?? Date.now
  const log = opts.log ?? SILENT
  const metrics = new Metrics()
  const events = new RequestEvents()
  const viewOf = (r: ApprovalRequest): ChannelRequestView => toChannelView(r, { groups: config.groups, publicUrl: config.public_url })
  const secret = config.secret ?? (await store.setSettingIfAbsent('secret', randomBytes(32).toString('base64url')))
  const tokens = new SignedToken(secret, now)
  const webChannel = new WebChannel({ publicUrl: config.public_url, tokens })
  const loggingWeb: Channel<string> = {
    name: 'web',
    render: (v) => webChannel.render(v),
    post: async (destination, view) => {
      const post = await webChannel.post(destination, view)
      log.info({ request: view.id, approver: destination }, 'approval link ready (GET /v1/requests/:id with an admin token shows it)')
      return post
    },
    update: (m, v) => webChannel.update(m, v),
  }
  const channels = new Map<string, Channel>([['web', loggingWeb]])
  for (const c of opts.channels ?? []) channels.set(c.name, c)

  let policyHost: PolicyHost | null = null
  let policy = opts.policy
  if (!policy) {
    policyHost = new PolicyHost({
      paths: config.policy.paths,
      package: config.policy.package,
      regoVersion: config.policy.rego_version,
      defaults: {
        approvers: config.defaults.approvers,
        minApprovals: config.defaults.min_approvals,
        channels: config.defaults.channels,
        timeoutMs: config.defaults.timeout,
      },
      onLoad: (r) => {
        metrics.inc('signoff_policy_reloads_total', { result: r.ok ? 'ok' : 'error' })
        if (r.ok) log.info({ revision: r.revision, form: r.form }, 'policy loaded')
        else {
          metrics.inc('signoff_policy_errors_total', { kind: 'load' })
          log.error({ problems: r.problems.map((p) => p.message) }, 'policy failed to load; the working policy stays')
        }
      },
    })
    policy = policyHost
  }

  const auth = new Authenticator(config.tokens, store)
  let worker: OutboxWorker | null = null
  const requests = new RequestService({
    store,
    policy,
    config,
    now,
    events,
    metrics,
    onOutbox: () => worker?.wake(),
    mintLink: (req, approver) => webChannel.link(viewOf(req), approver),
  })
  const decisionLog = new DecisionLogService(store, config.policy.package)
  const signer = config.checkpoint_key ? new CheckpointSigner(readFileSync(config.checkpoint_key, 'utf8')) : null
  worker = new OutboxWorker({
    store,
    service: requests,
    channels,
    view: viewOf,
    now,
    metrics,
    secret,
    log,
    intervalMs: config.worker_interval,
    ...(opts.fetch ? { fetch: opts.fetch } : {}),
    ...(opts.outbox ?? {}),
    ...(signer ? { onTick: async () => void (await decisionLog.checkpoint(signer, now())) } : {}),
  })
  const backend = new WebBackendAdapter(requests, store, auth, now, viewOf)
  return {
    config,
    store,
    policyHost,
    requests,
    auth,
    events,
    metrics,
    decisionLog,
    worker,
    channels,
    web: { backend, tokens, channel: webChannel },
    secret,
    now,
    async startChannels() {
      for (const c of channels.values()) {
        const link = (view: ChannelRequestView, approver: string): string => webChannel.link(view, approver).url
        await c.start?.(createChannelHost(c.name, { requests, store, view: viewOf, log, now, link }))
      }
    },
    async stopChannels() {
      for (const c of channels.values()) await c.stop?.()
    },
  }
}
