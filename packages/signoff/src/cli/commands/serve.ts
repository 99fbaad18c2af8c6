import { CliError } from '../cli-error.js'
import type { CommandContext } from '../command-context.js'
import type { ExitCode } from '../exit-code.js'

/** Options of `signoff serve`. */
export interface ServeOptions {
  readonly config?: string
}

/** `signoff serve`: starts the server (wired to the service layer once it lands). */
export async function serveCommand(_opts: ServeOptions, _ctx: CommandContext): Promise<ExitCode> {
  throw new CliError('serve: the server is not available in this build')
}
