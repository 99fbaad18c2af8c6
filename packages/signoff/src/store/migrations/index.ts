import type { Migration, MigrationProvider } from 'kysely'
import { createTables } from './202611250400-create-tables.js'
import { channelDelivery } from './202612021600-channel-delivery.js'
import { partialIndexes } from './202612021700-partial-indexes.js'

/** Every migration, by name; names sort in the order they run. Never edit one after release. */
export const MIGRATIONS: Readonly<Record<string, Migration>> = Object.freeze({
  '202611250400-create-tables': createTables,
  '202612021600-channel-delivery': channelDelivery,
  '202612021700-partial-indexes': partialIndexes,
})

/** A provider for Kysely's Migrator over {@link MIGRATIONS} (no file-system scanning). */
export const migrationProvider: MigrationProvider = {
  async getMigrations() {
    return { ...MIGRATIONS }
  },
}
