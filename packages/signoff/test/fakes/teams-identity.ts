import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto'
import type { AddressInfo } from 'node:net'

let keys: { signer: { privateKey: KeyObject; publicKey: KeyObject }; forger: KeyObject } | null = null

/** The connector's signing key pair and a forger's key, generated once per test process (RSA keygen is slow). */
function testKeys(): NonNullable<typeof keys> {
  keys ??= {
    signer: generateKeyPairSync('rsa', { modulusLength: 2048 }),
    forger: generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey,
  }
  return keys
}

/** What a test puts in (or leaves out of) a connector token it mints. */
export interface MintOptions {
  readonly serviceUrl: string
  readonly aud?: string
  readonly iss?: string
  /** Seconds from the clock's now until `exp` (default 300). */
  readonly expiresInSec?: number
  /** Sign with a key the JWKS does not publish, under the published kid. */
  readonly forged?: boolean
  readonly alg?: string
}

/**
 * The Microsoft identity side on loopback: the Bot Framework OpenID metadata and JWKS (a key pair
 * generated here, so tests mint the connector's inbound tokens), and the Entra token endpoint
 * the bot gets its outbound client-credentials token from. Issued tokens are opaque strings the
 * fake connector accepts; every token request is recorded.
 */
export class FakeTeamsIdentity {
  readonly appId: string
  readonly appPassword: string
  readonly tenantId: string
  readonly issuer = 'https://api.botframework.com'
  readonly kid = 'test-kid'
  /** Token requests as received (form fields; the secret is replaced by whether it matched). */
  readonly tokenRequests: Array<{ tenant: string; grantType: string | null; clientId: string | null; secretOk: boolean; scope: string | null }> = []
  /** Lifetime of issued tokens, seconds. */
  expiresIn = 3600
  /** Requests to the metadata and keys documents. */
  metadataHits = 0
  keysHits = 0
  /** When set, the keys document answers 503 (an outage of the signing-key endpoint). */
  keysDown = false
  /** When set, the metadata advertises this `jwks_uri` instead of the fake's own. */
  jwksUri: string | null = null
  readonly #issued = new Set<string>()
  readonly #key: KeyObject
  readonly #forger: KeyObject
  readonly #publicJwk: Record<string, unknown>
  readonly #now: () => number
  #server: Server | null = null
  #url = ''

  constructor(opts: { appId: string; appPassword: string; tenantId: string; now: () => number }) {
    this.appId = opts.appId
    this.appPassword = opts.appPassword
    this.tenantId = opts.tenantId
    this.#now = opts.now
    const keys = testKeys()
    this.#key = keys.signer.privateKey
    this.#forger = keys.forger
    this.#publicJwk = { ...keys.signer.publicKey.export({ format: 'jwk' }), kid: this.kid, use: 'sig', endorsements: ['msteams'] }
  }

  get url(): string {
    return this.#url
  }

  get openIdMetadataUrl(): string {
    return `${this.#url}/v1/.well-known/openidconfiguration`
  }

  /** Whether the connector should accept `token` (one this endpoint issued). */
  issued(token: string): boolean {
    return this.#issued.has(token)
  }

  /** Revokes every token issued so far (the connector then answers 401). */
  revokeAll(): void {
    this.#issued.clear()
  }

  async start(): Promise<this> {
    this.#server = createServer((req, res) => void this.#handle(req, res))
    await new Promise<void>((resolve) => this.#server!.listen(0, '127.0.0.1', resolve))
    this.#url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`
    return this
  }

  async close(): Promise<void> {
    this.#server?.closeAllConnections()
    await new Promise<void>((resolve) => (this.#server ? this.#server.close(() => resolve()) : resolve()))
  }

  /** A connector token for an activity to `serviceUrl`, as the Bot Framework would sign it. */
  mint(o: MintOptions): string {
    const nowSec = Math.floor(this.#now() / 1000)
    const header = { alg: o.alg ?? 'RS256', typ: 'JWT', kid: this.kid }
    const payload = {
      iss: o.iss ?? this.issuer,
      aud: o.aud ?? this.appId,
      serviceurl: o.serviceUrl,
      nbf: nowSec - 60,
      iat: nowSec - 60,
      exp: nowSec + (o.expiresInSec ?? 300),
    }
    const enc = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString('base64url')
    const input = `${enc(header)}.${enc(payload)}`
    const signature = sign('RSA-SHA256', Buffer.from(input), o.forged ? this.#forger : this.#key).toString('base64url')
    return `${input}.${signature}`
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.#url)
    const json = (status: number, body: unknown): void => void res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body))
    if (req.method === 'GET' && url.pathname === '/v1/.well-known/openidconfiguration') {
      this.metadataHits++
      return json(200, { issuer: this.issuer, jwks_uri: this.jwksUri ?? `${this.#url}/v1/.well-known/keys`, id_token_signing_alg_values_supported: ['RS256'] })
    }
    if (req.method === 'GET' && url.pathname === '/v1/.well-known/keys') {
      this.keysHits++
      if (this.keysDown) return json(503, { error: 'unavailable' })
      return json(200, { keys: [this.#publicJwk] })
    }
    const m = /^\/([^/]+)\/oauth2\/v2\.0\/token$/.exec(url.pathname)
    if (req.method === 'POST' && m) {
      let raw = ''
      for await (const chunk of req) raw += String(chunk)
      const form = new URLSearchParams(raw)
      const record = {
        tenant: decodeURIComponent(m[1]!),
        grantType: form.get('grant_type'),
        clientId: form.get('client_id'),
        secretOk: form.get('client_secret') === this.appPassword,
        scope: form.get('scope'),
      }
      this.tokenRequests.push(record)
      if (record.tenant !== this.tenantId) return json(400, { error: 'invalid_request', error_description: 'AADSTS90002: Tenant not found.' })
      if (record.grantType !== 'client_credentials' || record.clientId !== this.appId || !record.secretOk) {
        return json(401, { error: 'invalid_client', error_description: 'AADSTS7000215: Invalid client secret provided.' })
      }
      const token = `fake-access-${this.#issued.size + 1}-${Math.random().toString(36).slice(2)}`
      this.#issued.add(token)
      return json(200, { token_type: 'Bearer', expires_in: this.expiresIn, ext_expires_in: this.expiresIn, access_token: token })
    }
    json(404, { error: 'not_found' })
  }
}
