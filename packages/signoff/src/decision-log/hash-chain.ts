import { createHash } from 'node:crypto'
import { canonicalJson, type LogEntry } from '../domain/index.js'

/** An entry before it is chained: everything but `seq`, `prevHash` and `hash`. */
export type LogEntryFields = Omit<LogEntry, 'seq' | 'prevHash' | 'hash'>

/** SHA-256(prevHash ‖ canonical JSON of the entry's fields, seq included), hex. */
export function entryHash(prevHash: string, e: Omit<LogEntry, 'prevHash' | 'hash'>): string {
  const body = canonicalJson({
    seq: e.seq,
    id: e.id,
    at: e.at,
    request_id: e.requestId,
    event: e.event,
    actor: e.actor,
    input_digest: e.inputDigest,
    policy_revision: e.policyRevision,
    result: e.result ?? null,
  })
  return createHash('sha256').update(prevHash).update(body).digest('hex')
}

/** Chains `fields` after the entry whose hash is `prevHash`, at `seq`. */
export function chainEntry(fields: LogEntryFields, seq: number, prevHash: string): LogEntry {
  const e = { ...fields, seq }
  return { ...e, prevHash, hash: entryHash(prevHash, e) }
}

/** The first entry that does not check out, and why. */
export interface ChainBreak {
  readonly ok: false
  readonly seq: number
  readonly id: string | null
  readonly reason: string
}

/** A chain that checks out. */
export interface ChainOk {
  readonly ok: true
  readonly count: number
  readonly headHash: string
}

/**
 * Checks entries in order: no gap in `seq`, each `prevHash` equal to the previous `hash`, each
 * `hash` recomputed. Call {@link ChainVerifier.push} per entry and {@link ChainVerifier.finish}
 * with the stored head, which catches entries removed from the end.
 */
export class ChainVerifier {
  #prev: string
  #seq: number
  #count = 0
  #break: ChainBreak | null = null

  constructor(prevHash: string, seq = 0) {
    this.#prev = prevHash
    this.#seq = seq
  }

  /** Checks the next entry; returns the break once one is found. */
  push(e: LogEntry): ChainBreak | null {
    if (this.#break) return this.#break
    if (e.seq !== this.#seq + 1) return (this.#break = { ok: false, seq: this.#seq + 1, id: null, reason: `entry ${this.#seq + 1} is missing (found ${e.seq})` })
    if (e.prevHash !== this.#prev) return (this.#break = { ok: false, seq: e.seq, id: e.id, reason: 'previous hash does not match the entry before it' })
    if (entryHash(e.prevHash, e) !== e.hash) return (this.#break = { ok: false, seq: e.seq, id: e.id, reason: 'hash does not match the entry contents' })
    this.#prev = e.hash
    this.#seq = e.seq
    this.#count++
    return null
  }

  /** The verdict, given the stored head (`seq`, `hash`). */
  finish(head: { seq: number; hash: string }): ChainOk | ChainBreak {
    if (this.#break) return this.#break
    if (head.seq !== this.#seq || head.hash !== this.#prev) {
      return { ok: false, seq: this.#seq + 1, id: null, reason: `the log ends at ${this.#seq} but its head says ${head.seq}: entries were removed` }
    }
    return { ok: true, count: this.#count, headHash: this.#prev }
  }
}
