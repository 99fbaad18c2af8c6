import { randomBytes } from 'node:crypto'

let pool = Buffer.alloc(0)
let poolAt = 0

/** A fresh, time-ordered id with a prefix: `r_…` requests, `o_…` outbox jobs, `d_…` log entries. */
export function newId(prefix: string, now: number): string {
  if (poolAt + 8 > pool.length) {
    pool = randomBytes(4096)
    poolAt = 0
  }
  const rand = pool.subarray(poolAt, poolAt + 8).toString('base64url')
  poolAt += 8
  return `${prefix}_${now.toString(36).padStart(9, '0')}${rand}`
}
