import { sql, type Kysely } from 'kysely'

/** The first schema: requests, outbox, posts, decision log, checkpoints, tokens, settings, used links. */
export const createTables = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('requests')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('input', 'text', (c) => c.notNull())
      .addColumn('digest', 'text', (c) => c.notNull())
      .addColumn('requester', 'text')
      .addColumn('reason', 'text')
      .addColumn('spec', 'text')
      .addColumn('approvals', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('expires_at', 'bigint')
      .addColumn('decided_at', 'bigint')
      .addColumn('idempotency_key', 'text', (c) => c.unique())
      .addColumn('callback_url', 'text')
      .addColumn('policy_revision', 'text', (c) => c.notNull())
      .addColumn('result', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .execute()
    await db.schema.createIndex('requests_status_expires').on('requests').columns(['status', 'expires_at']).execute()
    await db.schema.createIndex('requests_digest').on('requests').columns(['digest', 'status', 'decided_at']).execute()
    await db.schema.createIndex('requests_created').on('requests').columns(['created_at', 'id']).execute()

    await db.schema
      .createTable('outbox')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('request_id', 'text', (c) => c.notNull())
      .addColumn('payload', 'text', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull())
      .addColumn('next_at', 'bigint', (c) => c.notNull())
      .addColumn('claimed_until', 'bigint')
      .addColumn('done_at', 'bigint')
      .addColumn('last_error', 'text')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute()
    await db.schema.createIndex('outbox_due').on('outbox').columns(['done_at', 'next_at']).execute()

    await db.schema
      .createTable('posts')
      .addColumn('request_id', 'text', (c) => c.notNull())
      .addColumn('channel', 'text', (c) => c.notNull())
      .addColumn('destination', 'text', (c) => c.notNull())
      .addColumn('message_id', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('posts_pk', ['request_id', 'channel', 'destination'])
      .execute()

    await db.schema
      .createTable('decision_log')
      .addColumn('seq', 'bigint', (c) => c.primaryKey())
      .addColumn('id', 'text', (c) => c.notNull().unique())
      .addColumn('at', 'bigint', (c) => c.notNull())
      .addColumn('request_id', 'text', (c) => c.notNull())
      .addColumn('event', 'text', (c) => c.notNull())
      .addColumn('actor', 'text')
      .addColumn('input_digest', 'text', (c) => c.notNull())
      .addColumn('policy_revision', 'text', (c) => c.notNull())
      .addColumn('result', 'text', (c) => c.notNull())
      .addColumn('prev_hash', 'text', (c) => c.notNull())
      .addColumn('hash', 'text', (c) => c.notNull())
      .execute()
    await db.schema.createIndex('decision_log_request').on('decision_log').columns(['request_id', 'seq']).execute()

    await db.schema
      .createTable('log_head')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('seq', 'bigint', (c) => c.notNull())
      .addColumn('hash', 'text', (c) => c.notNull())
      .execute()
    await sql`insert into log_head (id, seq, hash) values (1, 0, ${'0'.repeat(64)})`.execute(db)

    await db.schema
      .createTable('checkpoints')
      .addColumn('seq', 'bigint', (c) => c.primaryKey())
      .addColumn('hash', 'text', (c) => c.notNull())
      .addColumn('at', 'bigint', (c) => c.notNull())
      .addColumn('public_key', 'text', (c) => c.notNull())
      .addColumn('signature', 'text', (c) => c.notNull())
      .execute()

    await db.schema
      .createTable('tokens')
      .addColumn('hash', 'text', (c) => c.primaryKey())
      .addColumn('subject', 'text', (c) => c.notNull())
      .addColumn('scopes', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute()

    await db.schema
      .createTable('settings')
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('value', 'text', (c) => c.notNull())
      .execute()

    await db.schema
      .createTable('used_links')
      .addColumn('nonce', 'text', (c) => c.primaryKey())
      .addColumn('request_id', 'text', (c) => c.notNull())
      .addColumn('approver', 'text', (c) => c.notNull())
      .addColumn('used_at', 'bigint', (c) => c.notNull())
      .execute()
  },

  async down(db: Kysely<unknown>): Promise<void> {
    for (const t of ['used_links', 'settings', 'tokens', 'checkpoints', 'log_head', 'decision_log', 'posts', 'outbox', 'requests']) {
      await db.schema.dropTable(t).ifExists().execute()
    }
  },
}
