import type { ApprovalRequest, LogEntry } from '../domain/index.js'

/** A log entry before it is chained: everything but `seq`, `prevHash` and `hash`. */
export type LogFields = Omit<LogEntry, 'seq' | 'prevHash' | 'hash'>

/**
 * One state change, committed atomically by {@link Store.commit}: the request written (a new
 * insert, or a compare-and-swap on its version), its decision-log entries and its outbox jobs.
 * Declarative, so each dialect can commit it its own way (SQLite groups concurrent commits into
 * one transaction; PostgreSQL runs one transaction each).
 */
export interface WriteSet {
  /** A new request; the commit does nothing (`ok: false`) when its idempotency key is taken. */
  readonly insert?: ApprovalRequest
  /** Replace the request if its version is still `expected`; otherwise nothing happens (`ok: false`). */
  readonly swap?: { readonly expected: number; readonly next: ApprovalRequest }
  /** Decision-log entries, appended in order. */
  readonly log?: readonly LogFields[]
  /** Chains an entry after the previous hash (the decision log's hash function). */
  readonly seal: (fields: LogFields, seq: number, prevHash: string) => LogEntry
  /** Outbox jobs queued with the change. */
  readonly outbox?: ReadonlyArray<{ readonly kind: string; readonly requestId: string; readonly payload: Record<string, unknown> }>
  /** Wake waiters on other replicas for this request id. */
  readonly notify?: string
  /** Epoch milliseconds (outbox due time, ids). */
  readonly now: number
}

/** The outcome of a commit: whether the compare-and-swap (or insert) won, and the entries appended. */
export interface CommitResult {
  readonly ok: boolean
  readonly log: readonly LogEntry[]
}

/** A finished outbox job: mark it done, record where it was posted, queue follow-up jobs. */
export interface FinishedJob {
  readonly id: string
  readonly requestId: string
  /** Where a notify job posted. */
  readonly posts?: ReadonlyArray<{ readonly channel: string; readonly destination: string; readonly messageId: string }>
  /**
   * The request version the posts were rendered from: if the request has moved on when they are
   * recorded, an update job is queued for each (in the same transaction), so no post stays stale.
   */
  readonly renderedVersion?: number
  /** Jobs for the same request, queued in the same transaction. */
  readonly enqueue?: ReadonlyArray<{ readonly kind: string; readonly payload: Record<string, unknown> }>
}
