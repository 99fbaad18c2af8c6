import type { Kysely, Transaction } from 'kysely'
import type { Database } from '../schema.js'
import type { CommitResult, FinishedJob, WriteSet } from '../write-set.js'

/**
 * Everything that differs between SQLite and PostgreSQL, chosen once per connection in
 * `db.ts` (directus' helpers). Repositories call these and never branch on the dialect.
 */
export abstract class DialectHelper {
  /** `sqlite` or `postgres`. */
  abstract readonly name: 'sqlite' | 'postgres'

  /**
   * Claims up to `limit` due outbox rows for `leaseMs` and returns their ids. PostgreSQL uses
   * `FOR UPDATE SKIP LOCKED` so replicas never claim the same row; SQLite has one writer.
   */
  abstract claimDue(trx: Transaction<Database>, now: number, leaseMs: number, limit: number): Promise<string[]>

  /**
   * Leases the claimed rows. A row still holding an earlier lease was claimed by a worker that
   * never finished it (the process died mid-delivery), so that try counts as an attempt: the
   * channel then knows its message may already have reached the platform.
   */
  protected async lease(trx: Transaction<Database>, ids: readonly string[], now: number, leaseMs: number): Promise<void> {
    if (ids.length === 0) return
    await trx
      .updateTable('outbox')
      .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
      .where('id', 'in', ids)
      .where('claimed_until', 'is not', null)
      .execute()
    await trx.updateTable('outbox').set({ claimed_until: now + leaseMs }).where('id', 'in', ids).execute()
  }

  /** Wakes waiters on other replicas when `requestId` changed (delivered at commit). */
  abstract notify(trx: Transaction<Database>, requestId: string): Promise<void>

  /** Calls `onChange` with the id of every request another replica changed; returns a stop function. */
  abstract listen(db: Kysely<Database>, onChange: (requestId: string) => void): Promise<() => Promise<void>>

  /** Commits a write set; by default as one Kysely transaction (`generic`). */
  commit(ws: WriteSet, generic: (ws: WriteSet) => Promise<CommitResult>): Promise<CommitResult> {
    return generic(ws)
  }

  /** Finishes outbox jobs; by default as one Kysely transaction (`generic`). */
  finishJobs(_jobs: readonly FinishedJob[], _now: number, generic: () => Promise<void>): Promise<void> {
    return generic()
  }

  /**
   * The request's version inside `trx`, locking the row until commit where the dialect can
   * (PostgreSQL `FOR UPDATE`; SQLite has one writer); `null` when there is no such request.
   */
  abstract requestVersionForUpdate(trx: Transaction<Database>, requestId: string): Promise<number | null>

  /** Closes the connection(s). */
  abstract close(db: Kysely<Database>): Promise<void>
}
