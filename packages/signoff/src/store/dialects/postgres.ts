import { Kysely, PostgresDialect, sql, type Transaction } from 'kysely'
import pg from 'pg'
import type { Database } from '../schema.js'
import { DialectHelper } from './dialect-helper.js'

const CHANNEL = 'signoff_requests'

/** PostgreSQL through `pg`: SKIP LOCKED claiming and LISTEN/NOTIFY wakeups across replicas. */
export class PostgresHelper extends DialectHelper {
  readonly name = 'postgres' as const
  readonly #config: pg.PoolConfig

  private constructor(config: pg.PoolConfig) {
    super()
    this.#config = config
  }

  /** Connects a pool to `url`; `schema`, when given, becomes the search path (tests isolate with it). */
  static open(url: string, schema?: string): { db: Kysely<Database>; helper: PostgresHelper } {
    const config: pg.PoolConfig = {
      connectionString: url,
      max: 10,
      // int8 (bigint) columns hold epoch milliseconds and sequence numbers: safe as numbers.
      types: {
        getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
          oid === 20 ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
      },
      ...(schema ? { options: `-c search_path=${schema}` } : {}),
    }
    const pool = new pg.Pool(config)
    return { db: new Kysely<Database>({ dialect: new PostgresDialect({ pool }) }), helper: new PostgresHelper(config) }
  }

  override async requestVersionForUpdate(trx: Transaction<Database>, requestId: string): Promise<number | null> {
    const row = await trx.selectFrom('requests').select('version').where('id', '=', requestId).forUpdate().executeTakeFirst()
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
      .forUpdate()
      .skipLocked()
      .execute()
    const ids = rows.map((r) => r.id)
    await this.lease(trx, ids, now, leaseMs)
    return ids
  }

  override async notify(trx: Transaction<Database>, requestId: string): Promise<void> {
    await sql`select pg_notify(${CHANNEL}, ${requestId})`.execute(trx)
  }

  override async listen(_db: Kysely<Database>, onChange: (requestId: string) => void): Promise<() => Promise<void>> {
    const client = new pg.Client(this.#config)
    await client.connect()
    client.on('notification', (n) => {
      if (n.channel === CHANNEL && n.payload) onChange(n.payload)
    })
    client.on('error', () => {})
    await client.query(`LISTEN ${CHANNEL}`)
    return async () => {
      await client.end().catch(() => {})
    }
  }

  override async close(db: Kysely<Database>): Promise<void> {
    await db.destroy()
  }
}
