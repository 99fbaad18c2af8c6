import { DeliveryError } from '../channel.js'
import { deliveryErrorOf, networkError } from './teams-http-errors.js'

/** The scope of tokens for the Bot Connector. */
export const BOT_FRAMEWORK_SCOPE = 'https://api.botframework.com/.default'

/** Refresh this long before the token's expiry, so no call carries a token that dies in flight. */
const EARLY_REFRESH_MS = 5 * 60_000

/** Options of {@link ConnectorTokenSource}. */
export interface ConnectorTokenOptions {
  /** `https://login.microsoftonline.com` or a sovereign cloud's (a loopback fake in tests). */
  readonly loginUrl: string
  readonly tenantId: string
  readonly appId: string
  readonly appPassword: string
  readonly fetch: typeof fetch
  /** Epoch milliseconds. */
  readonly now: () => number
}

/**
 * The bot's outbound token: OAuth client credentials at `{login_url}/{tenant}/oauth2/v2.0/token`,
 * cached until five minutes before it expires, with one fetch in flight however many calls wait.
 * The secret and the token never reach a log or an error message.
 */
export class ConnectorTokenSource {
  readonly #o: ConnectorTokenOptions
  #cached: { token: string; refreshAt: number } | null = null
  #inflight: Promise<string> | null = null

  constructor(options: ConnectorTokenOptions) {
    this.#o = options
  }

  /** A valid bearer token (cached, or fetched once for all concurrent callers). */
  async token(): Promise<string> {
    if (this.#cached && this.#o.now() < this.#cached.refreshAt) return this.#cached.token
    this.#inflight ??= this.#fetch().finally(() => {
      this.#inflight = null
    })
    return this.#inflight
  }

  /** Forgets the cached token (the connector answered 401 with it). */
  invalidate(): void {
    this.#cached = null
  }

  async #fetch(): Promise<string> {
    const url = `${this.#o.loginUrl}/${encodeURIComponent(this.#o.tenantId)}/oauth2/v2.0/token`
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: this.#o.appId,
      client_secret: this.#o.appPassword,
      scope: BOT_FRAMEWORK_SCOPE,
    })
    let res: Response
    try {
      res = await this.#o.fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: form.toString(),
        signal: AbortSignal.timeout(10_000),
      })
    } catch (e) {
      throw networkError('token endpoint', e)
    }
    const body = (await res.json().catch(() => null)) as { access_token?: unknown; expires_in?: unknown; error?: unknown } | null
    if (!res.ok) {
      // 400/401 from the token endpoint mean a wrong app id, secret or tenant: retrying cannot fix it.
      const err = deliveryErrorOf(res, typeof body?.error === 'string' ? `token_${body.error}` : null, 'token endpoint')
      throw res.status === 400 || res.status === 401 ? new DeliveryError(err.message, { code: err.code, permanent: true }) : err
    }
    const token = body?.access_token
    const expiresIn = Number(body?.expires_in)
    if (typeof token !== 'string' || token === '' || !Number.isFinite(expiresIn)) {
      throw new DeliveryError('the token endpoint answered without access_token/expires_in', { code: 'token_malformed' })
    }
    this.#cached = { token, refreshAt: this.#o.now() + Math.max(0, expiresIn * 1000 - EARLY_REFRESH_MS) }
    return token
  }
}
