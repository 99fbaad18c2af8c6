import { ExitCode } from './exit-code.js'

/**
 * An expected failure of a command (bad usage, server error answer, unreadable file): printed as
 * one line without a stack trace, exiting with {@link exitCode}.
 */
export class CliError extends Error {
  /** The process exit code. */
  readonly exitCode: ExitCode
  /** The server's `SIGNOFF_*` code when the failure came from the API. */
  readonly code?: string

  constructor(message: string, options: { exitCode?: ExitCode; code?: string } = {}) {
    super(message)
    this.name = 'CliError'
    this.exitCode = options.exitCode ?? ExitCode.Error
    this.code = options.code
  }
}
