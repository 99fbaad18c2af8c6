import type { SignoffConfig } from '../config/index.js'
import type { SignoffServices } from '../services/index.js'

/**
 * What every route plugin receives from the app factory: the running app's configuration,
 * services and clock. Route plugins read it, never mutate it.
 */
export interface AppContext {
  readonly config: SignoffConfig
  readonly services: SignoffServices
  /** Epoch milliseconds; injected so tests control time. */
  readonly now: () => number
  /** Whether the app is ready to take traffic (false while starting or draining). */
  readonly ready: () => boolean
}
