import { createPublicKey, verify as verifySignature, type JsonWebKey, type KeyObject } from 'node:crypto'

/** Clock skew allowed on `exp` and `nbf` (the Bot Framework documentation's norm). */
const SKEW_MS = 5 * 60_000
/** Keys are re-read daily, as the Bot Framework asks, and sooner when an unknown `kid` shows up. */
const KEYS_TTL_MS = 24 * 3_600_000
/** An unknown `kid` triggers a re-read at most this often, so forged tokens cannot hammer the endpoint. */
const UNKNOWN_KID_REFETCH_MS = 5 * 60_000

/** Options of {@link InboundTokenVerifier}. */
export interface InboundAuthOptions {
  /** The bot's app id: the only audience accepted. */
  readonly appId: string
  /** OpenID metadata URL; its `jwks_uri` names the signing keys. */
  readonly openIdMetadataUrl: string
  /** The `iss` accepted (`https://api.botframework.com`). */
  readonly tokenIssuer: string
  readonly fetch: typeof fetch
  /** Epoch milliseconds. */
  readonly now: () => number
}

/** What the connector's token says about the activity it carries. */
export interface InboundActivityClaims {
  readonly serviceUrl: string
  readonly channelId: string
}

/** The verdict on an inbound token: `status` 401 for a bad token, 500 when the keys are unreachable. */
export type InboundAuthResult = { readonly ok: true } | { readonly ok: false; readonly status: 401 | 500; readonly message: string }

interface SigningKey {
  readonly key: KeyObject
  readonly endorsements: readonly string[] | null
}

/**
 * Verifies the Bot Connector's bearer token on an inbound activity (chat-platforms.md §5.4):
 * RS256 signature by a key from the published JWKS (found through the OpenID metadata), `iss`,
 * `aud` = the app id, `exp`/`nbf` with five minutes of skew, the `serviceurl` claim equal to the
 * activity's `serviceUrl` (so a token minted for one service URL cannot steer replies elsewhere),
 * and the key's endorsements naming the channel when the key lists any.
 */
export class InboundTokenVerifier {
  readonly #o: InboundAuthOptions
  #keys: { byKid: Map<string, SigningKey>; fetchedAt: number } | null = null
  #loading: Promise<void> | null = null

  constructor(options: InboundAuthOptions) {
    this.#o = options
  }

  async verify(authorization: string | undefined, activity: InboundActivityClaims): Promise<InboundAuthResult> {
    const refuse = (message: string): InboundAuthResult => ({ ok: false, status: 401, message })
    const m = /^Bearer ([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)$/.exec(authorization ?? '')
    if (!m) return refuse('missing or malformed bearer token')
    const [, h, p, s] = m as unknown as [string, string, string, string]
    const header = decodeJson(h)
    const claims = decodeJson(p)
    if (!header || !claims) return refuse('token header or payload is not JSON')
    if (header['alg'] !== 'RS256') return refuse('token algorithm must be RS256')
    const kid = header['kid']
    if (typeof kid !== 'string') return refuse('token has no key id')
    let key: SigningKey | undefined
    try {
      key = await this.#key(kid)
    } catch (e) {
      return { ok: false, status: 500, message: `cannot read the Bot Framework signing keys: ${e instanceof Error ? e.message : String(e)}` }
    }
    if (!key) return refuse('token signed by an unknown key')
    if (!verifySignature('RSA-SHA256', Buffer.from(`${h}.${p}`), key.key, Buffer.from(s, 'base64url'))) return refuse('token signature does not verify')
    if (key.endorsements && !key.endorsements.includes(activity.channelId)) return refuse(`signing key is not endorsed for channel ${activity.channelId}`)
    if (claims['iss'] !== this.#o.tokenIssuer) return refuse('token issuer is not the Bot Framework')
    const aud = claims['aud']
    if (!(aud === this.#o.appId || (Array.isArray(aud) && aud.includes(this.#o.appId)))) return refuse('token audience is not this bot')
    const now = this.#o.now()
    const exp = claims['exp']
    if (typeof exp !== 'number' || exp * 1000 + SKEW_MS < now) return refuse('token expired')
    const nbf = claims['nbf']
    if (nbf !== undefined && (typeof nbf !== 'number' || nbf * 1000 - SKEW_MS > now)) return refuse('token not yet valid')
    const serviceUrl = claims['serviceurl']
    if (typeof serviceUrl !== 'string' || trimSlash(serviceUrl) !== trimSlash(activity.serviceUrl)) return refuse('token serviceurl does not match the activity')
    return { ok: true }
  }

  async #key(kid: string): Promise<SigningKey | undefined> {
    const now = this.#o.now()
    const stale = !this.#keys || now - this.#keys.fetchedAt > KEYS_TTL_MS
    const unknown = this.#keys !== null && !this.#keys.byKid.has(kid) && now - this.#keys.fetchedAt > UNKNOWN_KID_REFETCH_MS
    if (stale || unknown) {
      this.#loading ??= this.#load().finally(() => {
        this.#loading = null
      })
      await this.#loading
    }
    return this.#keys?.byKid.get(kid)
  }

  async #load(): Promise<void> {
    const metadata = (await this.#json(this.#o.openIdMetadataUrl)) as { jwks_uri?: unknown }
    if (typeof metadata.jwks_uri !== 'string') throw new Error('OpenID metadata has no jwks_uri')
    // The keys decide what signoff trusts: fetch them over TLS unless the metadata is a loopback fake.
    if (!isTrustedUrl(metadata.jwks_uri)) throw new Error(`jwks_uri ${metadata.jwks_uri} must be https (plain http only on loopback)`)
    const jwks = (await this.#json(metadata.jwks_uri)) as { keys?: unknown }
    if (!Array.isArray(jwks.keys)) throw new Error('JWKS has no keys')
    const byKid = new Map<string, SigningKey>()
    for (const jwk of jwks.keys as Array<JsonWebKey & { kid?: unknown; endorsements?: unknown }>) {
      if (jwk.kty !== 'RSA' || typeof jwk.kid !== 'string') continue
      const endorsements = Array.isArray(jwk.endorsements) ? jwk.endorsements.filter((e): e is string => typeof e === 'string') : null
      try {
        byKid.set(jwk.kid, { key: createPublicKey({ key: { kty: jwk.kty, n: jwk.n, e: jwk.e }, format: 'jwk' }), endorsements })
      } catch {
        // A key this runtime cannot read signs nothing we can check; the others still work.
      }
    }
    this.#keys = { byKid, fetchedAt: this.#o.now() }
  }

  async #json(url: string): Promise<unknown> {
    const res = await this.#o.fetch(url, { signal: AbortSignal.timeout(10_000) })
    if (!res.ok) throw new Error(`${url} answered ${res.status}`)
    return res.json()
  }
}

function decodeJson(part: string): Record<string, unknown> | null {
  try {
    const v = JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as unknown
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null
  } catch {
    return null
  }
}

function isTrustedUrl(u: string): boolean {
  try {
    const url = new URL(u)
    return url.protocol === 'https:' || (url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname))
  } catch {
    return false
  }
}

function trimSlash(u: string): string {
  return u.replace(/\/+$/, '')
}
