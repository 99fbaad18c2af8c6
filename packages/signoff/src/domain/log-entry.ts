/** One entry of the decision log (design.md §7). Times are epoch milliseconds. */
export interface LogEntry {
  /** 1, 2, 3… with no gaps. */
  readonly seq: number
  readonly id: string
  readonly at: number
  readonly requestId: string
  /** `created`, `allowed`, `denied`, `pending`, `approval`, `rejection`, `approved`, `rejected`, `expired`, `cancelled`, `reused`. */
  readonly event: string
  readonly actor: string | null
  readonly inputDigest: string
  readonly policyRevision: string
  readonly result: unknown
  /** The previous entry's hash (64 zeros for the first). */
  readonly prevHash: string
  /** SHA-256(prevHash ‖ canonical JSON of the entry without its hashes), hex. */
  readonly hash: string
}

/** The hash of "no previous entry". */
export const GENESIS_HASH = '0'.repeat(64)
