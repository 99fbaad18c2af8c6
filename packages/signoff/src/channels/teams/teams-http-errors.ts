import { DeliveryError } from '../channel.js'

/**
 * Teams HTTP failures as outbox {@link DeliveryError}s: 429 waits for Retry-After, 5xx (and the
 * 412/502/504 Teams asks to retry) back off, and 400/401/403/404/413 are permanent, since the same
 * call fails the same way again.
 */
export function deliveryErrorOf(res: Response, platformCode: string | null, what: string): DeliveryError {
  const code = platformCode ?? `http_${res.status}`
  const message = `${what} answered ${res.status}${platformCode ? ` (${platformCode})` : ''}`
  if (res.status === 429) return new DeliveryError(message, { code, retryAfterMs: retryAfterMs(res.headers.get('retry-after')) })
  const permanent = [400, 401, 403, 404, 405, 413].includes(res.status)
  return new DeliveryError(message, { code, permanent })
}

/** A connection failure or timeout: transient. The cause's message names no secret. */
export function networkError(what: string, e: unknown): DeliveryError {
  const timeout = e instanceof Error && (e.name === 'TimeoutError' || e.name === 'AbortError')
  return new DeliveryError(`${what} unreachable: ${e instanceof Error ? e.message : String(e)}`, { code: timeout ? 'timeout' : 'network' })
}

/** `Retry-After` as milliseconds: delta-seconds or an HTTP date; `null` when absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number | null {
  if (header === null || header.trim() === '') return null
  const seconds = Number(header)
  if (Number.isFinite(seconds)) return Math.max(0, Math.round(seconds * 1000))
  const at = Date.parse(header)
  return Number.isNaN(at) ? null : Math.max(0, at - now)
}
