import type { CommandContext } from '../command-context.js'
import { exitCodeForStatus, type ExitCode } from '../exit-code.js'
import { parseDuration } from '../parse-duration.js'
import { statusLine, waitForOutcome } from '../request-waiter.js'

/** Options of `signoff wait`. */
export interface WaitOptions {
  readonly timeout?: string
  readonly json?: boolean
}

/**
 * `signoff wait ID`: attaches to an existing request (after a CI job restarted, say) and waits
 * for its outcome with the same status line and exit codes as `signoff request --wait`.
 */
export async function waitCommand(id: string, opts: WaitOptions, ctx: CommandContext): Promise<ExitCode> {
  const timeoutMs = opts.timeout === undefined ? null : parseDuration(opts.timeout, '--timeout')
  const human = opts.json ? ctx.io.stderr : ctx.io.stdout
  let request = await ctx.client().getRequest(id)
  human.write(`request ${request.id}: ${statusLine(request, ctx.now())}\n`)
  let code = exitCodeForStatus(request.status)
  if (code === null) {
    const outcome = await waitForOutcome(request, timeoutMs, ctx, human)
    request = outcome.request
    code = outcome.code
  }
  if (opts.json) ctx.io.stdout.write(JSON.stringify(request, null, 2) + '\n')
  return code
}
