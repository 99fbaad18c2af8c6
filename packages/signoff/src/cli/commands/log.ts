import { createWriteStream } from 'node:fs'
import { resolve } from 'node:path'
import { CliError } from '../cli-error.js'
import type { CommandContext } from '../command-context.js'
import { ExitCode } from '../exit-code.js'
import { withLocalStore } from '../local-store.js'
import { DecisionLogService, type VerifyResult } from '../../services/index.js'

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

function report(v: VerifyResult, out: CommandContext['io']['stdout']): ExitCode {
  if (v.ok) {
    out.write(`decision log OK: ${v.entries} entries, head ${v.head}, ${v.checkpoints} signed checkpoint${v.checkpoints === 1 ? '' : 's'}\n`)
    return ExitCode.Ok
  }
  out.write(`decision log BROKEN at entry ${v.seq}${v.id ? ` (${v.id})` : ''}: ${v.reason}\n`)
  return ExitCode.Refused
}

/**
 * `signoff log verify`: walks the hash chain and the signed checkpoints and names the first entry
 * that does not check out. Reads the configured database, or asks the server with `--remote`.
 * Exit 0 intact, 1 broken, 3 error.
 */
export async function logVerifyCommand(opts: LogVerifyOptions, ctx: CommandContext): Promise<ExitCode> {
  if (opts.remote) {
    const v = (await ctx.client().verifyDecisions()) as unknown as VerifyResult
    if (typeof v?.ok !== 'boolean') throw new CliError('the server answered GET /v1/decisions/verify with an unexpected body')
    return report(v, ctx.io.stdout)
  }
  return withLocalStore(opts.config, ctx.io, async (store, config) => report(await new DecisionLogService(store, config.policy.package).verify(), ctx.io.stdout))
}

/**
 * `signoff log export`: writes every decision-log entry as an OPA decision-log event (one JSON
 * object per line) to standard output or `--output`.
 */
export async function logExportCommand(opts: LogExportOptions, ctx: CommandContext): Promise<ExitCode> {
  return withLocalStore(opts.config, ctx.io, async (store, config) => {
    const service = new DecisionLogService(store, config.policy.package)
    if (!opts.output) {
      const n = await service.export((line) => void ctx.io.stdout.write(line + '\n'))
      ctx.io.stderr.write(`exported ${n} events\n`)
      return ExitCode.Ok
    }
    const file = resolve(ctx.io.cwd, opts.output)
    const stream = createWriteStream(file)
    const opened = new Promise<void>((ok, fail) => stream.once('open', () => ok()).once('error', fail))
    try {
      await opened
    } catch (e) {
      throw new CliError(`--output: cannot write ${file}: ${(e as Error).message}`)
    }
    const n = await service.export((line) => {
      if (!stream.write(line + '\n')) return new Promise<void>((ok) => stream.once('drain', () => ok()))
    })
    await new Promise<void>((ok, fail) => stream.end((err?: Error | null) => (err ? fail(err) : ok())))
    ctx.io.stderr.write(`exported ${n} events to ${file}\n`)
    return ExitCode.Ok
  })
}
