import { Readable } from 'node:stream'
import type { CliIo } from '../src/cli/cli-io.js'
import { main } from '../src/cli/main.js'

/** Captured output of one in-process CLI run. */
export interface CliRun {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

/** Options for {@link runCli}. */
export interface RunCliOptions {
  readonly cwd?: string
  readonly env?: Record<string, string | undefined>
  readonly stdin?: string
  /** Pretend stdout is a terminal (enables the live status line). */
  readonly tty?: boolean
  /** Sees standard output as it is written (to react to a printed link or token). */
  readonly onStdout?: (text: string) => void
  /** Resolving it acts like Ctrl-C. */
  readonly interrupt?: Promise<void>
}

/** Runs `signoff <argv>` in-process with captured streams. */
export async function runCli(argv: readonly string[], options: RunCliOptions = {}): Promise<CliRun> {
  let stdout = ''
  let stderr = ''
  const io: CliIo = {
    stdout: {
      write: (s: string) => {
        stdout += s
        options.onStdout?.(stdout)
      },
      isTTY: options.tty ?? false,
    },
    stderr: { write: (s: string) => (stderr += s), isTTY: false },
    stdin: Readable.from([options.stdin ?? '']),
    env: options.env ?? {},
    cwd: options.cwd ?? process.cwd(),
    ...(options.interrupt
      ? {
          onInterrupt: (handler: () => void) => {
            let on = true
            void options.interrupt!.then(() => on && handler())
            return () => void (on = false)
          },
        }
      : {}),
  }
  const code = await main(argv, io)
  return { code, stdout, stderr }
}
