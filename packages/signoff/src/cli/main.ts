import { CommanderError } from 'commander'
import { CliError } from './cli-error.js'
import type { CliIo } from './cli-io.js'
import { ExitCode } from './exit-code.js'
import { buildProgram, type ExitBox } from './program.js'

/**
 * Runs the CLI with `argv` (without `node` and the script) and returns the exit code. Never
 * calls `process.exit`, so tests run it in-process.
 */
export async function main(argv: readonly string[], io: CliIo, fetchImpl?: typeof fetch): Promise<ExitCode> {
  const box: ExitBox = { code: ExitCode.Ok }
  const program = buildProgram(io, box, fetchImpl)
  try {
    await program.parseAsync([...argv], { from: 'user' })
    return box.code
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version are successes; every usage error is exit 3.
      return e.exitCode === 0 ? ExitCode.Ok : ExitCode.Error
    }
    if (e instanceof CliError) {
      io.stderr.write(`signoff: ${e.message}\n`)
      return e.exitCode
    }
    io.stderr.write(`signoff: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`)
    return ExitCode.Error
  }
}
