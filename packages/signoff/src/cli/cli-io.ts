/** A stream the CLI writes to (process.stdout in production, a buffer in tests). */
export interface CliOutput {
  write(text: string): unknown
  /** True when the stream is a terminal: enables the live status line. */
  readonly isTTY?: boolean
}

/**
 * Everything a command touches outside itself, injected so commands run in-process in tests:
 * output streams, standard input, the environment and the working directory.
 */
export interface CliIo {
  readonly stdout: CliOutput
  readonly stderr: CliOutput
  /** Read when `--input -` asks for standard input. */
  readonly stdin: AsyncIterable<string | Buffer>
  readonly env: Readonly<Record<string, string | undefined>>
  readonly cwd: string
  /**
   * Calls `handler` once when the user interrupts (Ctrl-C, or SIGTERM) and returns a function
   * that removes it. Commands that wait or serve use it to stop cleanly; the others keep the
   * signals' default.
   */
  readonly onInterrupt?: (handler: () => void) => () => void
}

/** The real process's streams and environment. */
export function processIo(): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    cwd: process.cwd(),
    onInterrupt(handler) {
      const once = (): void => {
        off()
        handler()
      }
      const off = (): void => {
        process.off('SIGINT', once)
        process.off('SIGTERM', once)
      }
      process.on('SIGINT', once)
      process.on('SIGTERM', once)
      return off
    },
  }
}
