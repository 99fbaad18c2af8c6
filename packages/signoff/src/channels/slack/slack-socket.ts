import { SocketModeClient } from '@slack/socket-mode'
import type { ChannelLogger } from '../channel.js'
import { sdkLogger } from './slack-logger.js'

/** What an `interactive` envelope hands its listener. */
export interface InteractiveEnvelope {
  readonly ack: (response?: Record<string, unknown>) => Promise<void>
  readonly body: unknown
}

/** Options of {@link SlackSocket}. */
export interface SlackSocketOptions {
  /** `xapp-…`. */
  readonly appToken: string
  /** Web API base URL (`apps.connections.open` goes there too). */
  readonly apiUrl: string
  readonly log: () => ChannelLogger
  readonly onInteractive: (envelope: InteractiveEnvelope) => void
  /** Keep-alive tuning (defaults: the SDK's 5 s and 30 s). */
  readonly clientPingTimeout?: number
  readonly serverPingTimeout?: number
  /** First delay after a failed connect, doubling up to a minute (default 1 s). */
  readonly retryMs?: number
}

const MAX_RETRY_MS = 60_000

/** `apps.connections.open` errors no retry can fix: the app token itself is refused. */
const REFUSED_TOKEN = new Set(['not_authed', 'invalid_auth', 'account_inactive', 'user_removed_from_team', 'team_disabled', 'token_revoked'])

/**
 * One Socket Mode connection, kept up by signoff rather than by the SDK. Left to itself the SDK
 * retries `apps.connections.open` inside `start()` (so a Slack outage at boot holds the whole
 * server back), and when a reconnect of its own fails for good (a token revoked meanwhile) the
 * rejection is unhandled, which ends a Node process. Here the SDK's reconnect is off: `start()`
 * returns after one try, a dropped connection is reopened at once, a failed connect is retried
 * with backoff (logged) for as long as it takes, and a refused app token stops it — by failing
 * `start()`, or later with an error in the log.
 */
export class SlackSocket {
  readonly #o: SlackSocketOptions
  #client: SocketModeClient | null = null
  #timer: NodeJS.Timeout | null = null
  #delay: number
  #stopping = false

  constructor(options: SlackSocketOptions) {
    this.#o = options
    this.#delay = options.retryMs ?? 1000
  }

  /** Connects; rejects only when Slack refuses the app token (a transient failure is retried in the background). */
  async start(): Promise<void> {
    this.#stopping = false
    await this.#connect(true)
  }

  /** Disconnects and stops reconnecting. */
  async stop(): Promise<void> {
    this.#stopping = true
    if (this.#timer) clearTimeout(this.#timer)
    this.#timer = null
    const client = this.#client
    this.#client = null
    await client?.disconnect()
  }

  async #connect(first: boolean): Promise<void> {
    const client = new SocketModeClient({
      appToken: this.#o.appToken,
      logger: sdkLogger(this.#o.log),
      autoReconnectEnabled: false,
      clientOptions: { slackApiUrl: this.#o.apiUrl, retryConfig: { retries: 0 } },
      ...(this.#o.clientPingTimeout ? { clientPingTimeout: this.#o.clientPingTimeout } : {}),
      ...(this.#o.serverPingTimeout ? { serverPingTimeout: this.#o.serverPingTimeout } : {}),
    })
    let connected = false
    client.on('interactive', this.#o.onInteractive)
    client.on('connected', () => (connected = true))
    client.on('disconnected', () => {
      // A failed connect also ends in `disconnected`; that case is handled where start() rejects.
      if (!connected || this.#client !== client || this.#stopping) return
      this.#client = null
      this.#o.log().warn({}, 'slack socket mode connection closed; reconnecting')
      this.#schedule(0)
    })
    this.#client = client
    try {
      await client.start()
      this.#delay = this.#o.retryMs ?? 1000
      this.#o.log().info({}, 'slack socket mode connected')
    } catch (e) {
      if (this.#client === client) this.#client = null
      const code = platformError(e)
      const message = e instanceof Error ? e.message : String(e)
      if (code !== null && REFUSED_TOKEN.has(code)) {
        if (first) throw new Error(`Slack Socket Mode could not connect: ${message}`)
        this.#o.log().error({ error: message }, 'slack socket mode: Slack refused the app token; not reconnecting')
        return
      }
      if (this.#stopping) return
      this.#o.log().error({ error: message, retryInMs: this.#delay }, 'slack socket mode could not connect; retrying')
      this.#schedule(this.#delay)
      this.#delay = Math.min(MAX_RETRY_MS, this.#delay * 2)
    }
  }

  #schedule(ms: number): void {
    if (this.#stopping) return
    this.#timer = setTimeout(() => {
      this.#timer = null
      void this.#connect(false)
    }, ms)
    this.#timer.unref()
  }
}

/** The Slack error code of a Web API platform error (`invalid_auth`…), or `null`. */
function platformError(e: unknown): string | null {
  const data = (e as { data?: { error?: unknown } } | null)?.data
  return typeof data?.error === 'string' ? data.error : null
}
