import { CliError } from '../cli-error.js'
import type { CommandContext } from '../command-context.js'
import type { ExitCode } from '../exit-code.js'

/** Options of `signoff log verify`. */
export interface LogVerifyOptions {
  readonly config?: string
  readonly remote?: boolean
}

/** Options of `signoff log export`. */
export interface LogExportOptions {
  readonly config?: string
  readonly output?: string
}

/** `signoff log verify`. */
export async function logVerifyCommand(_opts: LogVerifyOptions, _ctx: CommandContext): Promise<ExitCode> {
  throw new CliError('log verify: the decision log is not available in this build')
}

/** `signoff log export`. */
export async function logExportCommand(_opts: LogExportOptions, _ctx: CommandContext): Promise<ExitCode> {
  throw new CliError('log export: the decision log is not available in this build')
}
