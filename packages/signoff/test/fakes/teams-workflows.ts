import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { activityCardProblems } from './teams-card-check.js'

/**
 * A Teams Workflows trigger ("Post to a channel when a webhook request is received") on
 * loopback: anonymous POSTs authorised by the `sig=` query parameter, answered 202 with no body
 * (so no message id), recording the envelopes; programmable status codes for error paths.
 */
export class FakeWorkflowsWebhook {
  readonly posts: Array<{ sigOk: boolean; body: unknown }> = []
  /** Problems of the cards received (checked with the adaptivecards parser). */
  readonly invalidCards: string[] = []
  /** Statuses the next posts get, in order (then 202). */
  readonly statuses: Array<{ status: number; retryAfter?: string }> = []
  readonly #sig = 'fake-signature'
  #server: Server | null = null
  #url = ''

  /** The trigger URL to configure (it carries its credential, as the real ones do). */
  get url(): string {
    return `${this.#url}/workflows/abc/triggers/manual/paths/invoke?api-version=1&sig=${this.#sig}`
  }

  async start(): Promise<this> {
    this.#server = createServer((req, res) => {
      let raw = ''
      req.on('data', (c) => (raw += String(c)))
      req.on('end', () => {
        const sigOk = new URL(req.url ?? '/', this.#url).searchParams.get('sig') === this.#sig
        const next = this.statuses.shift()
        if (!sigOk) return void res.writeHead(401).end()
        if (next) return void res.writeHead(next.status, next.retryAfter ? { 'retry-after': next.retryAfter } : {}).end()
        const body = JSON.parse(raw) as unknown
        this.invalidCards.push(...activityCardProblems(body))
        this.posts.push({ sigOk, body })
        res.writeHead(202).end()
      })
    })
    await new Promise<void>((resolve) => this.#server!.listen(0, '127.0.0.1', resolve))
    this.#url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`
    return this
  }

  async close(): Promise<void> {
    this.#server?.closeAllConnections()
    await new Promise<void>((resolve) => (this.#server ? this.#server.close(() => resolve()) : resolve()))
  }
}
