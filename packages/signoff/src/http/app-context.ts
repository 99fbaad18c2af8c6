/**
 * What every route plugin receives from the app factory: the running app's configuration,
 * services and clock. Grows as the service layer lands; route plugins read, never mutate it.
 */
export interface AppContext {
  /** Epoch milliseconds; injected so tests control time. */
  readonly now: () => number
}
