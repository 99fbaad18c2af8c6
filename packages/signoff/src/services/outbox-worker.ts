import type { Channel, PostedMessage } from '../channels/channel.js'
import type { ApprovalRequest } from '../domain/index.js'
import type { FinishedJob, OutboxJob, Store } from '../store/index.js'
import { signCallback, SIGNATURE_HEADER } from './callback-signature.js'
import type { Metrics } from './metrics.js'
import { toChannelView, toRequestJson } from './request-json.js'
import type { RequestService } from './request-service.js'

/** The logger the worker writes to (pino's shape). */
export interface WorkerLogger {
  info(obj: object, msg?: string): void
  warn(obj: object, msg?: string): void
  error(obj: object, msg?: string): void
}

/** What the outbox worker needs. */
export interface OutboxWorkerDeps {
  readonly store: Store
  readonly service: RequestService
  /** Channels by name (`web`, `slack`, `teams`). */
  readonly channels: ReadonlyMap<string, Channel>
  readonly now: () => number
  readonly metrics: Metrics
  /** HMAC key for callback signatures. */
  readonly secret: string
  readonly log: WorkerLogger
  /** Sweep interval, milliseconds. */
  readonly intervalMs: number
  /** Injected for tests; global fetch by default. */
  readonly fetch?: typeof fetch
  /** Attempts before a job is given up (default 10). */
  readonly maxAttempts?: number
  /** First retry delay; doubles per attempt up to 5 minutes (default 1 s). */
  readonly baseDelayMs?: number
  /** Extra periodic work (decision-log checkpoints). */
  readonly onTick?: () => Promise<void>
}

const LEASE_MS = 60_000
const MAX_DELAY_MS = 300_000

/**
 * Delivers outbox jobs (channel posts, message updates, signed callbacks) with retries and
 * exponential backoff, and expires due requests. Jobs are claimed with a lease (SKIP LOCKED on
 * PostgreSQL), so replicas share the work and a crash only delays a job.
 */
export class OutboxWorker {
  readonly #d: OutboxWorkerDeps
  #timer: NodeJS.Timeout | null = null
  #running: Promise<void> | null = null
  #again = false
  #stopped = true

  constructor(deps: OutboxWorkerDeps) {
    this.#d = deps
  }

  /** Starts the periodic sweep. */
  start(): void {
    this.#stopped = false
    this.#schedule(0)
  }

  /** Stops and waits for the current sweep. */
  async stop(): Promise<void> {
    this.#stopped = true
    if (this.#timer) clearTimeout(this.#timer)
    this.#timer = null
    await this.#running
  }

  /** Runs a sweep soon (after a commit that queued work). */
  wake(): void {
    if (this.#stopped) return
    if (this.#running) this.#again = true
    else this.#schedule(0)
  }

  #schedule(ms: number): void {
    if (this.#timer) clearTimeout(this.#timer)
    this.#timer = setTimeout(() => {
      this.#timer = null
      this.#running = this.tick()
        .then(() => undefined, (e: unknown) => this.#d.log.error({ err: e }, 'outbox sweep failed'))
        .finally(() => {
          this.#running = null
          if (this.#stopped) return
          const again = this.#again
          this.#again = false
          this.#schedule(again ? 0 : this.#d.intervalMs)
        })
    }, ms)
    this.#timer.unref()
  }

  /** One sweep: expire due requests, then deliver due jobs. Returns the jobs processed. */
  async tick(): Promise<number> {
    await this.#d.service.expireDue()
    let total = 0
    for (;;) {
      const jobs = await this.#d.store.claimOutbox(this.#d.now(), LEASE_MS, 50)
      if (jobs.length === 0) break
      total += jobs.length
      const requests = new Map<string, ApprovalRequest | null>()
      for (const id of new Set(jobs.map((j) => j.requestId))) requests.set(id, await this.#d.store.getRequest(id))
      const finished = await Promise.all(jobs.map((j) => this.#run(j, requests.get(j.requestId) ?? null)))
      await this.#d.store.finishJobs(finished.filter((f): f is FinishedJob => f !== null), this.#d.now())
      if (this.#stopped) break
    }
    await this.#d.onTick?.()
    return total
  }

  /** Delivers one job; returns it finished, or `null` after scheduling a retry. */
  async #run(job: OutboxJob, req: ApprovalRequest | null): Promise<FinishedJob | null> {
    try {
      const post = req ? await this.#deliver(job, req) : null
      return post ? { id: job.id, requestId: job.requestId, post } : { id: job.id, requestId: job.requestId }
    } catch (e) {
      const attempts = job.attempts + 1
      const max = this.#d.maxAttempts ?? 10
      const delay = Math.min(MAX_DELAY_MS, (this.#d.baseDelayMs ?? 1000) * 2 ** (attempts - 1))
      const now = this.#d.now()
      const message = (e as Error).message ?? String(e)
      const channel = job.kind === 'callback' ? 'callback' : String(job.payload['channel'] ?? 'all')
      this.#d.metrics.inc('signoff_channel_delivery_failures_total', { kind: job.kind, channel })
      const giveUp = attempts >= max
      this.#d.log.warn({ job: job.id, kind: job.kind, request: job.requestId, attempts, giveUp, error: message }, 'outbox delivery failed')
      await this.#d.store.retryOutbox(job.id, attempts, giveUp ? null : now + delay, message, now)
      return null
    }
  }

  async #deliver(job: OutboxJob, req: ApprovalRequest): Promise<PostedMessage | null> {
    switch (job.kind) {
      case 'notify': {
        const target = String(job.payload['channel'] ?? '')
        const colon = target.indexOf(':')
        const name = colon < 0 ? target : target.slice(0, colon)
        const given = job.payload['destination']
        const destination = typeof given === 'string' ? given : colon < 0 ? target : target.slice(colon + 1)
        const channel = this.#d.channels.get(name)
        if (!channel) throw new Error(`channel ${name} is not configured`)
        return channel.post(destination, toChannelView(req))
      }
      case 'update': {
        const view = toChannelView(req)
        for (const post of await this.#d.store.postsFor(req.id)) {
          const channel = this.#d.channels.get(post.channel)
          if (!channel) throw new Error(`channel ${post.channel} is not configured`)
          await channel.update(post, view)
        }
        return null
      }
      case 'callback': {
        if (!req.callbackUrl) return null
        const body = JSON.stringify(toRequestJson(req))
        const res = await (this.#d.fetch ?? fetch)(req.callbackUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: signCallback(this.#d.secret, body, this.#d.now()) },
          body,
          signal: AbortSignal.timeout(10_000),
        })
        if (res.status < 200 || res.status >= 300) throw new Error(`callback answered ${res.status}`)
        return null
      }
      default:
        throw new Error(`unknown outbox job kind ${job.kind}`)
    }
  }
}
