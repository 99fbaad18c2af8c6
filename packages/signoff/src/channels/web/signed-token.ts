import { createHmac, timingSafeEqual } from 'node:crypto'

/** Why a token was refused. */
export type SignedTokenFault = 'malformed' | 'forged' | 'expired'

/** The result of opening a token: its claims, or why it was refused. */
export type SignedTokenResult<T> =
  | { readonly ok: true; readonly claims: T; readonly expiresAt: number }
  | { readonly ok: false; readonly fault: SignedTokenFault }

/**
 * Compact HMAC-SHA256 tokens: `base64url(JSON {p, e, c}).base64url(mac)`, where `p` is the
 * purpose (a link, a session, a form), `e` the expiry in epoch milliseconds and `c` the claims.
 * The purpose is inside the MAC, so a token minted for one purpose never opens as another.
 * Time is injected so expiry is deterministic in tests.
 */
export class SignedToken {
  readonly #key: Buffer
  readonly #now: () => number

  /**
   * @param secret the server's signing secret (at least 32 bytes of entropy).
   * @param now the clock, epoch milliseconds.
   */
  constructor(secret: string | Uint8Array, now: () => number = Date.now) {
    if (secret.length < 16) throw new RangeError('signing secret must be at least 16 bytes')
    this.#key = Buffer.from(secret)
    this.#now = now
  }

  /** The current time of the injected clock, epoch milliseconds. */
  now(): number {
    return this.#now()
  }

  /** Signs `claims` for `purpose`, valid until `expiresAt` (epoch milliseconds). */
  seal(purpose: string, claims: unknown, expiresAt: number): string {
    const body = Buffer.from(JSON.stringify({ p: purpose, e: expiresAt, c: claims })).toString('base64url')
    return `${body}.${this.#mac(body)}`
  }

  /** Checks the MAC, the purpose and the expiry, and returns the claims. */
  open<T>(purpose: string, token: string): SignedTokenResult<T> {
    const dot = token.indexOf('.')
    if (dot <= 0 || dot !== token.lastIndexOf('.') || token.length > 4096) return { ok: false, fault: 'malformed' }
    const body = token.slice(0, dot)
    const given = Buffer.from(token.slice(dot + 1), 'base64url')
    const want = Buffer.from(this.#mac(body), 'base64url')
    if (given.length !== want.length || !timingSafeEqual(given, want)) return { ok: false, fault: 'forged' }
    let parsed: { p?: unknown; e?: unknown; c?: unknown }
    try {
      parsed = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as typeof parsed
    } catch {
      return { ok: false, fault: 'malformed' }
    }
    if (parsed.p !== purpose || typeof parsed.e !== 'number') return { ok: false, fault: 'forged' }
    if (parsed.e <= this.#now()) return { ok: false, fault: 'expired' }
    return { ok: true, claims: parsed.c as T, expiresAt: parsed.e }
  }

  /** A keyed digest of `parts` (for per-form tokens and other derived values), base64url. */
  digest(...parts: readonly string[]): string {
    return this.#mac(parts.map((p) => `${p.length}:${p}`).join('|'))
  }

  #mac(text: string): string {
    return createHmac('sha256', this.#key).update(text).digest('base64url')
  }
}
