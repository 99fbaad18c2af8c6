import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { Store } from '../src/store/index.js'

/** A database the store and service tests run on. */
export interface TestDialect {
  readonly name: 'sqlite' | 'postgres'
  /** Opens a fresh, migrated store (its own schema on PostgreSQL) and a cleanup function. */
  open(): Promise<{ store: Store; url: string; schema?: string; cleanup: () => Promise<void> }>
}

const PG_URL = process.env['SIGNOFF_TEST_DATABASE_URL']
if (!PG_URL && process.env['CI'] === 'true') {
  throw new Error('SIGNOFF_TEST_DATABASE_URL must be set in CI: the PostgreSQL store tests are never skipped there')
}

const sqlite: TestDialect = {
  name: 'sqlite',
  async open() {
    const url = 'sqlite::memory:'
    const store = await Store.open(url)
    const m = await store.migrate()
    if (!m.ok) throw new Error(m.error)
    return { store, url, cleanup: () => store.close() }
  },
}

const postgres: TestDialect = {
  name: 'postgres',
  async open() {
    const schema = `t_${randomBytes(6).toString('hex')}`
    const store = await Store.open(PG_URL!, { schema })
    const m = await store.migrate()
    if (!m.ok) throw new Error(m.error)
    return {
      store,
      url: PG_URL!,
      schema,
      cleanup: async () => {
        await store.close()
        const client = new pg.Client({ connectionString: PG_URL })
        await client.connect()
        await client.query(`drop schema if exists ${schema} cascade`)
        await client.end()
      },
    }
  },
}

/** SQLite always; PostgreSQL at SIGNOFF_TEST_DATABASE_URL (required when CI=true). */
export const DIALECTS: readonly TestDialect[] = PG_URL ? [sqlite, postgres] : [sqlite]
