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
  /** The server could not be reached or was not ready: worth retrying while waiting. */
  readonly transient: boolean

  constructor(message: string, options: { exitCode?: ExitCode; code?: string; transient?: boolean } = {}) {
    super(message)
    this.name = 'CliError'
    this.exitCode = options.exitCode ?? ExitCode.Error
    this.code = options.code
    this.transient = options.transient ?? false
  }
}
