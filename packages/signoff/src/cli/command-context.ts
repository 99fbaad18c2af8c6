import { ApiClient } from './api-client.js'
import type { CliIo } from './cli-io.js'

/** The default server address: the port `signoff serve` listens on out of the box. */
export const DEFAULT_URL = 'http://127.0.0.1:8686'

/** The global options every command may use. */
export interface GlobalOptions {
  readonly url?: string
  readonly token?: string
}

/** What a command's action gets besides its own options. */
export interface CommandContext {
  readonly io: CliIo
  /** A client for `--url`/`--token`, falling back to `SIGNOFF_URL`/`SIGNOFF_TOKEN`. */
  client(): ApiClient
  /** Injected clock for waiting and the status line (epoch milliseconds). */
  readonly now: () => number
}

/** Builds the context from parsed global options. */
export function commandContext(io: CliIo, globals: () => GlobalOptions, fetchImpl?: typeof fetch): CommandContext {
  return {
    io,
    now: Date.now,
    client() {
      const g = globals()
      return new ApiClient({
        url: g.url ?? io.env.SIGNOFF_URL ?? DEFAULT_URL,
        token: g.token ?? io.env.SIGNOFF_TOKEN,
        fetch: fetchImpl,
      })
    },
  }
}
