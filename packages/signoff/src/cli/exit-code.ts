/** Process exit codes of the CLI; scripts and pipelines depend on them, so they never change. */
export const ExitCode = Object.freeze({
  /** Approved or allowed; or the command succeeded. */
  Ok: 0,
  /** Rejected, denied or cancelled; `signoff test` with a failing test; `log verify` found a bad entry. */
  Refused: 1,
  /** Expired, or the CLI stopped waiting (`--timeout`). */
  TimedOut: 2,
  /** Anything else: bad usage, unreachable server, policy error. */
  Error: 3,
})

/** One of {@link ExitCode}'s values. */
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode]

/** The exit code a request status maps to; `null` while the request is still pending. */
export function exitCodeForStatus(status: string): ExitCode | null {
  switch (status) {
    case 'approved':
    case 'allowed':
      return ExitCode.Ok
    case 'rejected':
    case 'denied':
    case 'cancelled':
      return ExitCode.Refused
    case 'expired':
      return ExitCode.TimedOut
    case 'pending':
      return null
    default:
      return ExitCode.Error
  }
}
