export { Store, StoreTx, newId } from './store.js'
export type { Checkpoint, MigrateResult, OutboxJob, PostRecord, RequestFilter, RequestPage, StoreOpenOptions, StoredToken } from './store.js'
export type { Database } from './schema.js'
export { MIGRATIONS } from './migrations/index.js'
