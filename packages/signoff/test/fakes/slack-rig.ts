/**
 * A signoff with the Slack channel wired to a {@link SlackFake}: services on a given store, the
 * Fastify app for `inject()`, and helpers to create requests, click, and drain the outbox.
 */
import type { FastifyInstance } from 'fastify'
import { SlackChannel } from '../../src/channels/slack/index.js'
import type { ApprovalRequest } from '../../src/domain/index.js'
import { buildApp } from '../../src/http/index.js'
import type { Caller, SignoffServices } from '../../src/services/index.js'
import type { Store } from '../../src/store/index.js'
import { TestClock, richPolicy, tempDir, testServices } from '../fixtures.js'
import type { SlackFake } from './slack-fake.js';
import { APP_TOKEN, BOT_TOKEN, TEAM } from './slack-fake.js'
import { SIGNING_SECRET, signedRequest } from './slack-payloads.js'

export const CI: Caller = { subject: 'ci@example.com', scopes: ['request'] }

/** A policy naming `approvers` (JSON list) and Slack `channels`, needing `min` approvals. */
export function slackPolicy(min: number, channels: readonly string[], approvers: readonly string[] = ['group:sre']): string {
  return richPolicy(min, `, "channels": ${JSON.stringify(channels)}`).replace('"approvers": ["group:sre"]', `"approvers": ${JSON.stringify(approvers)}`)
}

/** The fake workspace every test starts from. */
export function seedWorkspace(fake: SlackFake): SlackFake {
  return fake
    .addUser({ id: 'UALICE', email: 'alice@example.com' })
    .addUser({ id: 'UBOB', email: 'bob@example.com' })
    .addUser({ id: 'UCAROL', email: 'carol@example.com' })
    .addUser({ id: 'UMALLORY', email: 'mallory@example.com' })
    .addUser({ id: 'UCI', email: 'ci@example.com' })
    .addUser({ id: 'UDAVE', email: 'dave@example.com' })
    .addUser({ id: 'UNOMAIL', email: null })
    .addChannel('C0DEPLOYS', 'deploys')
    .addChannel('C0OPS', 'ops')
    .addChannel('C0SECRET', 'secret', false)
}

export interface SlackRig {
  readonly fake: SlackFake
  readonly services: SignoffServices
  readonly channel: SlackChannel
  readonly app: FastifyInstance
  readonly clock: TestClock
  readonly logs: Array<{ level: string; obj: object; msg?: string }>
  create(input?: Record<string, unknown>, caller?: Caller): Promise<ApprovalRequest>
  /** POSTs a signed interaction; waits for the work after the ack. */
  click(payload: Record<string, unknown>, opts?: { skewSeconds?: number; secret?: string }): Promise<{ status: number; body: string }>
  /** Ticks the outbox until it has nothing due. */
  drain(): Promise<void>
  request(id: string): Promise<ApprovalRequest>
  close(): Promise<void>
}

/** Starts services with a Slack channel on `store`; `socket` selects Socket Mode instead of HTTP. */
export async function slackRig(
  store: Store,
  fake: SlackFake,
  opts: {
    policy: string
    socket?: boolean
    clock?: TestClock
    teamId?: string | null
    outbox?: { maxAttempts?: number; baseDelayMs?: number }
    /** Web API call timeout, ms. */
    timeoutMs?: number
  },
): Promise<SlackRig> {
  const clock = opts.clock ?? new TestClock()
  const logs: SlackRig['logs'] = []
  const log = {
    info: (obj: object, msg?: string) => void logs.push({ level: 'info', obj, ...(msg ? { msg } : {}) }),
    warn: (obj: object, msg?: string) => void logs.push({ level: 'warn', obj, ...(msg ? { msg } : {}) }),
    error: (obj: object, msg?: string) => void logs.push({ level: 'error', obj, ...(msg ? { msg } : {}) }),
  }
  const channel = new SlackChannel({
    botToken: BOT_TOKEN,
    signingSecret: opts.socket ? null : SIGNING_SECRET,
    appToken: opts.socket ? APP_TOKEN : null,
    apiUrl: fake.apiUrl,
    teamId: opts.teamId === undefined ? TEAM : opts.teamId,
    // Quick keep-alive, so a dropped connection is noticed and re-opened within a test's time.
    socket: { clientPingTimeout: 400, retryMs: 50 },
    ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}),
  })
  const { services } = await testServices(store, tempDir({ 'p.rego': opts.policy }), {
    clock,
    services: { channels: [channel], log, outbox: opts.outbox ?? { baseDelayMs: 1000, maxAttempts: 5 } },
  })
  await services.startChannels()
  const app = await buildApp({ context: { config: services.config, services, now: services.now, ready: () => true }, logger: false })
  const rig: SlackRig = {
    fake,
    services,
    channel,
    app,
    clock,
    logs,
    async create(input = { environment: 'production', service: 'api' }, caller = CI) {
      return (await services.requests.create({ input }, caller)).request
    },
    async click(payload, o = {}) {
      const { headers, body } = signedRequest(payload, clock.now(), o)
      const res = await app.inject({ method: 'POST', url: '/slack/interactions', headers, payload: body })
      await channel.settled()
      return { status: res.statusCode, body: res.body }
    },
    async drain() {
      for (let i = 0; i < 20; i++) if ((await services.worker.tick()) === 0) return
      throw new Error('the outbox did not drain')
    },
    async request(id) {
      return services.requests.get(id)
    },
    async close() {
      await services.worker.stop()
      await services.stopChannels()
      await app.close()
    },
  }
  return rig
}
