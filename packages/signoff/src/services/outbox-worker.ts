import { DeliveryError, type Channel, type ChannelApprovalView, type ChannelRequestView, type PostedMessage } from '../channels/channel.js'
import { channelTarget, type ApprovalRequest } from '../domain/index.js'
import type { FinishedJob, OutboxJob, Store } from '../store/index.js'
import { signCallback, SIGNATURE_HEADER } from './callback-signature.js'
import type { Metrics } from './metrics.js'
import { toRequestJson } from './request-json.js'
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
  /** The channel view of a request. */
  readonly view: (r: ApprovalRequest) => ChannelRequestView
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
  /** Set by stop(): a sweep in progress ends after its current batch. */
  #halting = false

  constructor(deps: OutboxWorkerDeps) {
    this.#d = deps
  }

  /** Starts the periodic sweep. */
  start(): void {
    this.#stopped = false
    this.#halting = false
    this.#schedule(0)
  }

  /** Stops and waits for the current sweep. */
  async stop(): Promise<void> {
    this.#stopped = true
    this.#halting = true
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
      if (this.#halting) break
    }
    await this.#d.onTick?.()
    return total
  }

  /** Delivers one job; returns it finished, or `null` after scheduling a retry (or giving up). */
  async #run(job: OutboxJob, req: ApprovalRequest | null): Promise<FinishedJob | null> {
    try {
      return req ? await this.#deliver(job, req) : { id: job.id, requestId: job.requestId }
    } catch (e) {
      const attempts = job.attempts + 1
      const max = this.#d.maxAttempts ?? 10
      const known = e instanceof DeliveryError ? e : null
      const code = known?.code ?? 'error'
      const backoff = Math.min(MAX_DELAY_MS, (this.#d.baseDelayMs ?? 1000) * 2 ** (attempts - 1))
      const delay = known?.retryAfterMs ?? backoff
      const now = this.#d.now()
      const message = e instanceof Error ? e.message : String(e)
      const channel = job.kind === 'callback' ? 'callback' : channelOf(job)
      this.#d.metrics.inc('signoff_channel_delivery_failures_total', { kind: job.kind, channel, code })
      // A platform that asked us to wait (429) is not failing: its retries never use up the attempts.
      const rateLimited = known !== null && known.retryAfterMs !== null
      const giveUp = known?.permanent === true || (attempts >= max && !rateLimited)
      const fields = { job: job.id, kind: job.kind, request: job.requestId, channel, code, attempts, giveUp, error: message }
      if (giveUp) this.#d.log.error(fields, 'outbox delivery failed; giving up')
      else this.#d.log.warn({ ...fields, retryInMs: delay }, 'outbox delivery failed; will retry')
      await this.#d.store.retryOutbox(job.id, attempts, giveUp ? null : now + delay, { code, message }, now)
      return null
    }
  }

  async #deliver(job: OutboxJob, req: ApprovalRequest): Promise<FinishedJob> {
    const done = { id: job.id, requestId: job.requestId }
    const ctx = { attempt: job.attempts }
    switch (job.kind) {
      case 'notify': {
        const { channel, destination } = channelTarget(channelOf(job))
        const given = job.payload['destination']
        // A bare `web` entry posts to `web` (the web channel gets its approver as `destination`).
        const posted = await this.#channel(channel).post(typeof given === 'string' ? given : (destination ?? channel), this.#d.view(req), ctx)
        const posts = Array.isArray(posted) ? (posted as readonly PostedMessage[]) : [posted as PostedMessage]
        // A change that committed while this post was in flight must still reach it: the store
        // compares the version rendered here with the current one when it records the posts.
        return { ...done, posts, renderedVersion: req.version }
      }
      case 'update': {
        const post = job.payload['post'] as PostedMessage | undefined
        const vote = (job.payload['vote'] as ChannelApprovalView | undefined) ?? null
        // A state change fans out into one job per post, so one failing destination delays no other.
        if (!post) return { ...done, enqueue: (await this.#d.store.postsFor(req.id)).map((p) => ({ kind: 'update', payload: { post: p, vote } })) }
        await this.#updateConverging(post, req, { ...ctx, vote })
        return done
      }
      case 'outcome': {
        await this.#channel(channelOf(job)).notifyOutcome?.(this.#d.view(req), ctx)
        return done
      }
      case 'callback': {
        if (!req.callbackUrl) return done
        const body = JSON.stringify(toRequestJson(req))
        const res = await (this.#d.fetch ?? fetch)(req.callbackUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: signCallback(this.#d.secret, body, this.#d.now()) },
          body,
          signal: AbortSignal.timeout(10_000),
        })
        if (res.status < 200 || res.status >= 300) throw new DeliveryError(`callback answered ${res.status}`, { code: `http_${res.status}` })
        return done
      }
      default:
        throw new DeliveryError(`unknown outbox job kind ${job.kind}`, { code: 'unknown_kind', permanent: true })
    }
  }

  /**
   * Updates one post, then re-reads the request: if it changed meanwhile (another replica's
   * update may have landed first with an older state), renders again, so the last write shows
   * the latest state.
   */
  async #updateConverging(post: PostedMessage, req: ApprovalRequest, ctx: { attempt: number; vote: ChannelApprovalView | null }): Promise<void> {
    const channel = this.#channel(post.channel)
    let current = req
    for (let round = 0; round < 3; round++) {
      await channel.update(post, this.#d.view(current), round === 0 ? ctx : { ...ctx, vote: null })
      const latest = await this.#d.store.getRequest(req.id)
      if (!latest || latest.version === current.version) return
      current = latest
    }
  }

  #channel(name: string): Channel {
    const channel = this.#d.channels.get(name)
    if (!channel) throw new DeliveryError(`channel ${name} is not configured`, { code: 'channel_not_configured', permanent: true })
    return channel
  }
}

/** The job's `channel` payload (`slack:#deploys`, `web`, `teams`), or its post's channel. */
function channelOf(job: OutboxJob): string {
  return String(job.payload['channel'] ?? (job.payload['post'] as PostedMessage | undefined)?.channel ?? 'all')
}
