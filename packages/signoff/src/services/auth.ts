import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import type { Scope, TokenConfig } from '../config/index.js'
import type { Store } from '../store/index.js'

/** Who is calling: the token's subject and scopes. */
export interface Caller {
  readonly subject: string
  readonly scopes: readonly Scope[]
}

/** Whether the caller holds `scope` (`admin` holds every scope). */
export function hasScope(caller: Caller, scope: Scope): boolean {
  return caller.scopes.includes(scope) || caller.scopes.includes('admin')
}

/** SHA-256 of a token, hex: what the database keeps. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex')
}

/**
 * Checks bearer tokens: configured tokens are compared by SHA-256 digest in constant time (every
 * configured token is compared, match or not); tokens signoff created are looked up by hash.
 */
export class Authenticator {
  readonly #configured: ReadonlyArray<{ digest: Buffer; caller: Caller }>
  readonly #store: Store

  constructor(tokens: readonly TokenConfig[], store: Store) {
    this.#configured = tokens.map((t) => ({
      digest: createHash('sha256').update(t.token).digest(),
      caller: { subject: t.subject, scopes: [...t.scopes] },
    }))
    this.#store = store
  }

  /** Whether any configured token has the admin scope. */
  get hasConfiguredAdmin(): boolean {
    return this.#configured.some((t) => t.caller.scopes.includes('admin'))
  }

  /** The caller for `token`, or `null`. */
  async authenticate(token: string): Promise<Caller | null> {
    const digest = createHash('sha256').update(token).digest()
    let found: Caller | null = null
    for (const t of this.#configured) if (timingSafeEqual(t.digest, digest) && found === null) found = t.caller
    if (found) return found
    const stored = await this.#store.findToken(digest.toString('hex'))
    return stored ? { subject: stored.subject, scopes: stored.scopes as Scope[] } : null
  }

  /**
   * On first start (no admin token configured, none stored), creates an admin token, stores its
   * hash and returns it once; returns `null` otherwise.
   */
  async bootstrapAdmin(now: number): Promise<string | null> {
    if (this.hasConfiguredAdmin || (await this.#store.countTokens()) > 0) return null
    const token = `so_${randomBytes(32).toString('base64url')}`
    await this.#store.insertToken(hashToken(token), { subject: 'admin', scopes: ['admin'] }, now)
    return token
  }
}
