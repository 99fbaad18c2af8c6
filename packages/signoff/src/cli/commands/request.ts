import type { ApiRequest } from '../api-client.js'
import { CliError } from '../cli-error.js'
import type { CommandContext } from '../command-context.js'
import { ExitCode, exitCodeForStatus } from '../exit-code.js'
import { parseDuration } from '../parse-duration.js'
import { readJsonArgument } from '../read-input.js'
import { statusLine, waitForOutcome } from '../request-waiter.js'

/** Options of `signoff request`. */
export interface RequestOptions {
  readonly input: string
  readonly requester?: string
  readonly idempotencyKey?: string
  readonly callbackUrl?: string
  readonly wait?: boolean
  readonly timeout?: string
  readonly json?: boolean
}

/** The approval links to print (the API includes them when this caller may see them). */
export function approvalLinks(r: ApiRequest): { approver: string | null; url: string }[] {
  return (r.links ?? []).filter((l) => typeof l.url === 'string').map((l) => ({ approver: l.approver && l.approver !== '*' ? l.approver : null, url: l.url }))
}

/**
 * `signoff request`: creates an approval request and, with `--wait`, waits for its outcome with a
 * live status line on a terminal. Exit 0 approved/allowed, 1 rejected/denied/cancelled, 2
 * expired or `--timeout` reached, 3 error.
 */
export async function requestCommand(opts: RequestOptions, ctx: CommandContext): Promise<ExitCode> {
  const { io } = ctx
  const input = await readJsonArgument(opts.input, '--input', io)
  if (input === null || typeof input !== 'object' || Array.isArray(input)) throw new CliError('--input: the input document must be a JSON object')
  const timeoutMs = opts.timeout === undefined ? null : parseDuration(opts.timeout, '--timeout')
  const human = opts.json ? io.stderr : io.stdout
  const client = ctx.client()

  const body: Record<string, unknown> = { input }
  if (opts.requester !== undefined) body.requester = opts.requester
  if (opts.idempotencyKey !== undefined) body.idempotency_key = opts.idempotencyKey
  if (opts.callbackUrl !== undefined) body.callback_url = opts.callbackUrl
  let request = await client.createRequest(body)

  human.write(`request ${request.id}: ${statusLine(request, ctx.now())}\n`)
  const links = approvalLinks(request)
  if (request.status === 'pending') {
    for (const l of links) human.write(`  approve at ${l.url}${l.approver ? `  (for ${l.approver})` : ''}\n`)
    const who = request.approval?.approvers ?? []
    if (links.length === 0 && who.length > 0) {
      human.write(`  waiting for ${who.join(', ')} (${(request.approval?.channels ?? []).join(', ') || 'web'})\n`)
    }
  }

  let code = exitCodeForStatus(request.status)
  if (code === null && opts.wait) {
    const outcome = await waitForOutcome(request, timeoutMs, ctx, human)
    request = outcome.request
    code = outcome.code
  }
  if (opts.json) io.stdout.write(JSON.stringify(request, null, 2) + '\n')
  return code ?? ExitCode.Ok
}
