import type { Kysely } from 'kysely'

/**
 * Channel delivery: the code of an outbox job's last error and when it was given up (shown on
 * the request as delivery errors), and `channel_state` for records a channel keeps (Teams
 * conversation references learnt from install events).
 */
export const channelDelivery = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('outbox').addColumn('last_code', 'text').execute()
    await db.schema.alterTable('outbox').addColumn('failed_at', 'bigint').execute()
    await db.schema
      .createTable('channel_state')
      .addColumn('channel', 'text', (c) => c.notNull())
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('value', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('channel_state_pk', ['channel', 'key'])
      .execute()
  },
}
