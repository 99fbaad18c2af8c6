import { timingSafeEqual } from 'node:crypto'
import type { SignedToken } from './signed-token.js'

/**
 * The per-form anti-forgery token for `action` within `scope` (a link nonce or a session id).
 * Forms carry it in a hidden field; a cross-site page cannot compute it without the server key.
 */
export function formToken(tokens: SignedToken, scope: string, action: string): string {
  return tokens.digest('form', scope, action)
}

/** Checks a submitted form token in constant time. */
export function checkFormToken(tokens: SignedToken, scope: string, action: string, given: unknown): boolean {
  if (typeof given !== 'string') return false
  const a = Buffer.from(given)
  const b = Buffer.from(formToken(tokens, scope, action))
  return a.length === b.length && timingSafeEqual(a, b)
}
