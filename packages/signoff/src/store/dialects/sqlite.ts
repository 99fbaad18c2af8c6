import BetterSqlite3 from 'better-sqlite3'
import { Kysely, SqliteDialect, type Transaction } from 'kysely'
import type { Database } from '../schema.js'
import type { CommitResult, FinishedJob, WriteSet } from '../write-set.js'
import { DialectHelper } from './dialect-helper.js'
import { SqliteWriter } from './sqlite-writer.js'

/** SQLite through better-sqlite3: WAL, one writer, in-process wakeups only. */
export class SqliteHelper extends DialectHelper {
  readonly name = 'sqlite' as const
  readonly #writer: SqliteWriter

  private constructor(writer: SqliteWriter) {
    super()
    this.#writer = writer
  }

  /** Opens `file` (or `:memory:`) with WAL and a busy timeout. */
  static open(file: string): { db: Kysely<Database>; helper: SqliteHelper } {
    const database = new BetterSqlite3(file)
    if (file !== ':memory:') database.pragma('journal_mode = WAL')
    database.pragma('synchronous = NORMAL')
    database.pragma('busy_timeout = 5000')
    database.pragma('foreign_keys = ON')
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: cachingPrepare(database) }) })
    return { db, helper: new SqliteHelper(new SqliteWriter(database, db)) }
  }

  override async requestVersionForUpdate(trx: Transaction<Database>, requestId: string): Promise<number | null> {
    const row = await trx.selectFrom('requests').select('version').where('id', '=', requestId).executeTakeFirst()
    return row ? Number(row.version) : null
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
    await this.lease(trx, ids, now, leaseMs)
    return ids
  }

  override commit(ws: WriteSet): Promise<CommitResult> {
    return this.#writer.commit(ws)
  }

  override finishJobs(jobs: readonly FinishedJob[], now: number): Promise<void> {
    return this.#writer.finishJobs(jobs, now)
  }

  override async notify(): Promise<void> {}

  override async listen(): Promise<() => Promise<void>> {
    return async () => {}
  }

  override async close(db: Kysely<Database>): Promise<void> {
    await db.destroy()
  }
}

const STATEMENT_CACHE = 256

/**
 * Kysely prepares every query anew; preparing (parsing SQL) costs more than running a small
 * statement. This keeps the prepared statements by SQL text, so the hot paths run at
 * better-sqlite3 speed. Statements are reused one at a time (SQLite has one connection here).
 */
function cachingPrepare(db: BetterSqlite3.Database): BetterSqlite3.Database {
  const cache = new Map<string, BetterSqlite3.Statement>()
  return new Proxy(db, {
    get(target, prop, receiver) {
      if (prop !== 'prepare') {
        const v = Reflect.get(target, prop, receiver) as unknown
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v
      }
      return (sql: string) => {
        let stmt = cache.get(sql)
        if (!stmt) {
          stmt = target.prepare(sql)
          if (cache.size >= STATEMENT_CACHE) cache.delete(cache.keys().next().value as string)
          cache.set(sql, stmt)
        }
        return stmt
      }
    },
  })
}
