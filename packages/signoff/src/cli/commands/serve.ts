import { loadConfig, type SignoffConfig } from '../../config/index.js'
import { SignoffError } from '../../domain/index.js'
import { startServer, type RunningServer } from '../../server.js'
import { CliError } from '../cli-error.js'
import type { CommandContext } from '../command-context.js'
import { ExitCode } from '../exit-code.js'

/** Options of `signoff serve`. */
export interface ServeOptions {
  readonly config?: string
}

/**
 * `signoff serve`: loads and validates the configuration (`--config`, else `./signoff.yaml` when
 * present, plus `SIGNOFF_*`), starts the server, prints where it listens (and, on first start,
 * the admin token), and runs until interrupted (SIGINT/SIGTERM), then drains and exits 0.
 */
export async function serveCommand(opts: ServeOptions, ctx: CommandContext): Promise<ExitCode> {
  const { io } = ctx
  let config: SignoffConfig
  let server: RunningServer
  try {
    config = loadConfig({ file: opts.config ?? null, env: io.env })
    server = await startServer({ config, print: (line) => void io.stdout.write(line + '\n') })
  } catch (e) {
    if (e instanceof SignoffError) throw new CliError(e.message, { code: e.code })
    throw e
  }
  await new Promise<void>((resolve) => {
    if (!io.onInterrupt) return
    io.onInterrupt(resolve)
  })
  io.stdout.write('signoff: stopping\n')
  await server.close()
  return ExitCode.Ok
}
