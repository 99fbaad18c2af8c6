import { sql, type Kysely } from 'kysely'

/**
 * Indexes only the rows their queries look for: pending requests by expiry (the expiry sweep) and
 * approved requests by digest (grant reuse). Most requests are allowed or denied at once; they
 * no longer pay for two index entries, one of them on a random digest (a random page per write).
 * The queries name the status as a literal, which is what lets SQLite use a partial index.
 */
export const partialIndexes = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropIndex('requests_status_expires').execute()
    await db.schema.dropIndex('requests_digest').execute()
    await db.schema.createIndex('requests_pending_expires').on('requests').column('expires_at').where(sql.ref('status'), '=', sql.lit('pending')).execute()
    await db.schema
      .createIndex('requests_approved_digest')
      .on('requests')
      .columns(['digest', 'decided_at'])
      .where(sql.ref('status'), '=', sql.lit('approved'))
      .execute()
  },
}
