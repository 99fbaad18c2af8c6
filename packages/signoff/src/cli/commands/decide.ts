import type { CommandContext } from '../command-context.js'
import { ExitCode } from '../exit-code.js'
import { statusLine } from '../request-waiter.js'

/** Options of `signoff approve|reject|cancel`. */
export interface DecideOptions {
  readonly comment?: string
  readonly json?: boolean
}

/**
 * `signoff approve ID`, `signoff reject ID`, `signoff cancel ID`: records the decision with the
 * caller's token (an approver's for approve/reject, the requester's for cancel) and prints where
 * the request now stands. Exit 0 when the server accepted it, 3 otherwise (with its error code).
 */
export async function decideCommand(verb: 'approve' | 'reject' | 'cancel', id: string, opts: DecideOptions, ctx: CommandContext): Promise<ExitCode> {
  const request = await ctx.client().decide(id, verb, opts.comment)
  if (opts.json) ctx.io.stdout.write(JSON.stringify(request, null, 2) + '\n')
  else ctx.io.stdout.write(`request ${request.id}: ${statusLine(request, ctx.now())}\n`)
  return ExitCode.Ok
}
