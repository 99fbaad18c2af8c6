import type { CommandContext } from '../command-context.js'
import { CliError } from '../cli-error.js'
import { ExitCode } from '../exit-code.js'
import { withLocalStore } from '../local-store.js'

/** Options of `signoff db migrate`. */
export interface DbMigrateOptions {
  readonly config?: string
}

/** `signoff db migrate`: applies pending migrations to the configured database and lists them. */
export async function dbMigrateCommand(opts: DbMigrateOptions, ctx: CommandContext): Promise<ExitCode> {
  return withLocalStore(opts.config, ctx.io, async (store) => {
    const result = await store.migrate()
    for (const name of result.applied) ctx.io.stdout.write(`applied ${name}\n`)
    if (!result.ok) throw new CliError(`migration failed: ${result.error}`)
    if (result.applied.length === 0) ctx.io.stdout.write('database is up to date\n')
    return ExitCode.Ok
  })
}
