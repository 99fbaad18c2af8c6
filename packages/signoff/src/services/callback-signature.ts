import { createHmac, timingSafeEqual } from 'node:crypto'

/** The header carrying a callback's signature. */
export const SIGNATURE_HEADER = 'x-signoff-signature'

/**
 * Signs a callback body: `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`. The
 * timestamp inside the MAC lets receivers refuse replays.
 */
export function signCallback(secret: string, body: string, nowMs: number): string {
  const t = Math.floor(nowMs / 1000)
  return `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}`
}

/** Checks a callback signature (for receivers and tests); `toleranceSec` bounds its age. */
export function verifyCallback(secret: string, body: string, header: string, nowMs: number, toleranceSec = 300): boolean {
  const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header)
  if (!m) return false
  const t = Number(m[1])
  if (Math.abs(nowMs / 1000 - t) > toleranceSec) return false
  const want = createHmac('sha256', secret).update(`${t}.${body}`).digest()
  return timingSafeEqual(want, Buffer.from(m[2]!, 'hex'))
}
