import BetterSqlite3 from 'better-sqlite3'
import { Kysely, SqliteDialect, type Transaction } from 'kysely'
import type { Database } from '../schema.js'
import { DialectHelper } from './dialect-helper.js'

/** SQLite through better-sqlite3: WAL, one writer, in-process wakeups only. */
export class SqliteHelper extends DialectHelper {
  readonly name = 'sqlite' as const

  /** Opens `file` (or `:memory:`) with WAL and a busy timeout. */
  static open(file: string): { db: Kysely<Database>; helper: SqliteHelper } {
    const database = new BetterSqlite3(file)
    if (file !== ':memory:') database.pragma('journal_mode = WAL')
    database.pragma('synchronous = NORMAL')
    database.pragma('busy_timeout = 5000')
    database.pragma('foreign_keys = ON')
    return { db: new Kysely<Database>({ dialect: new SqliteDialect({ database }) }), helper: new SqliteHelper() }
  }

  override async claimDue(trx: Transaction<Database>, now: number, leaseMs: number, limit: number): Promise<string[]> {
    const rows = await trx
      .selectFrom('outbox')
      .select('id')
      .where('done_at', 'is', null)
      .where('next_at', '<=', now)
      .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<=', now)]))
      .orderBy('next_at')
      .orderBy('id')
      .limit(limit)
      .execute()
    const ids = rows.map((r) => r.id)
    if (ids.length > 0) await trx.updateTable('outbox').set({ claimed_until: now + leaseMs }).where('id', 'in', ids).execute()
    return ids
  }

  override async notify(): Promise<void> {}

  override async listen(): Promise<() => Promise<void>> {
    return async () => {}
  }

  override async close(db: Kysely<Database>): Promise<void> {
    await db.destroy()
  }
}
