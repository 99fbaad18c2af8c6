import { createHmac, timingSafeEqual } from 'node:crypto'

/** Slack's replay window: requests signed more than five minutes from now are refused. */
export const SIGNATURE_WINDOW_MS = 5 * 60_000

/** Why a signed request was refused; `null` when it checks out. */
export type SignatureProblem = 'missing_signature' | 'malformed_timestamp' | 'stale_timestamp' | 'bad_signature'

/** The v0 signature Slack sends in `X-Slack-Signature` for `rawBody` signed at `timestamp` (seconds). */
export function signSlackRequest(secret: string, timestamp: number | string, rawBody: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${rawBody}`).digest('hex')}`
}

/**
 * Checks `X-Slack-Signature` over the exact raw body. The timestamp must lie within
 * {@link SIGNATURE_WINDOW_MS} of `nowMs` in either direction (Bolt only refuses old ones; a
 * timestamp from the future is as suspicious), and the compare runs in constant time.
 */
export function checkSlackSignature(opts: {
  readonly secret: string
  readonly rawBody: string
  readonly timestamp: string | undefined
  readonly signature: string | undefined
  readonly nowMs: number
}): SignatureProblem | null {
  const { timestamp, signature } = opts
  if (!timestamp || !signature) return 'missing_signature'
  if (!/^\d{1,12}$/.test(timestamp)) return 'malformed_timestamp'
  if (Math.abs(opts.nowMs - Number(timestamp) * 1000) > SIGNATURE_WINDOW_MS) return 'stale_timestamp'
  const expected = Buffer.from(signSlackRequest(opts.secret, timestamp, opts.rawBody), 'utf8')
  const given = Buffer.from(signature, 'utf8')
  // timingSafeEqual needs equal lengths; a length mismatch reveals nothing about the secret.
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'bad_signature'
  return null
}
