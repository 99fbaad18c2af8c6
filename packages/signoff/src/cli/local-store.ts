import { loadConfig, type SignoffConfig } from '../config/index.js'
import { SignoffError } from '../domain/index.js'
import { Store } from '../store/index.js'
import { CliError } from './cli-error.js'
import type { CliIo } from './cli-io.js'

/**
 * Runs `fn` with the store the configuration names (`--config`, else `./signoff.yaml` when
 * present, plus `SIGNOFF_*` variables), for the commands that work on the database directly
 * (`db migrate`, `log verify`, `log export`). The store is closed afterwards.
 */
export async function withLocalStore<T>(configFile: string | undefined, io: CliIo, fn: (store: Store, config: SignoffConfig) => Promise<T>): Promise<T> {
  let config: SignoffConfig
  try {
    config = loadConfig({ file: configFile ?? null, env: io.env })
  } catch (e) {
    if (e instanceof SignoffError) throw new CliError(e.message, { code: e.code })
    throw e
  }
  let store: Store
  try {
    store = await Store.open(config.database)
  } catch (e) {
    throw new CliError(`cannot open the database: ${(e as Error).message}`)
  }
  try {
    return await fn(store, config)
  } finally {
    await store.close()
  }
}
