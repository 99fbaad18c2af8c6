import { CliError } from '../cli-error.js'
import type { CommandContext } from '../command-context.js'
import type { ExitCode } from '../exit-code.js'

/** Options of `signoff db migrate`. */
export interface DbMigrateOptions {
  readonly config?: string
}

/** `signoff db migrate`. */
export async function dbMigrateCommand(_opts: DbMigrateOptions, _ctx: CommandContext): Promise<ExitCode> {
  throw new CliError('db migrate: the store is not available in this build')
}
