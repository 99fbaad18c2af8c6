import type { ApiRequest } from '../api-client.js'
import { CliError } from '../cli-error.js'
import type { CommandContext } from '../command-context.js'
import { ExitCode, exitCodeForStatus } from '../exit-code.js'
import { formatDuration, parseDuration } from '../parse-duration.js'
import { readJsonArgument } from '../read-input.js'

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

/** Longest single long-poll; the server returns earlier on any change. */
const POLL_SECONDS = 25
const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏']

function approvalsSoFar(r: ApiRequest): number {
  return (r.approvals ?? []).filter((a) => a.decision === 'approve' || a.decision === 'approved').length
}

/** The approval links to print (the API includes them when this caller may see them). */
export function approvalLinks(r: ApiRequest): { approver: string | null; url: string }[] {
  return (r.links ?? []).filter((l) => typeof l.url === 'string').map((l) => ({ approver: l.approver && l.approver !== '*' ? l.approver : null, url: l.url }))
}

/** One line describing where a request stands. */
export function statusLine(r: ApiRequest, now: number): string {
  const parts = [r.status]
  if (r.status === 'pending') {
    const min = r.approval?.min_approvals
    if (typeof min === 'number') parts.push(`${approvalsSoFar(r)} of ${min} approval${min === 1 ? '' : 's'}`)
    if (r.expires_at) parts.push(`expires in ${formatDuration(Date.parse(r.expires_at) - now)}`)
  } else if (r.reason) {
    parts.push(r.reason)
  }
  return parts.join(' · ')
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
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

async function waitForOutcome(
  first: ApiRequest,
  timeoutMs: number | null,
  ctx: CommandContext,
  human: CommandContext['io']['stdout'],
): Promise<{ request: ApiRequest; code: ExitCode }> {
  const { io } = ctx
  const client = ctx.client()
  const started = ctx.now()
  const deadline = timeoutMs === null ? Infinity : started + timeoutMs
  const live = human.isTTY === true
  let request = first
  let frame = 0
  let stop = false
  let lost = false
  const abort = new AbortController()
  const unsubscribe = io.onInterrupt?.(() => {
    stop = true
    abort.abort()
  })
  const draw = (): void => {
    const line = `${SPINNER[frame++ % SPINNER.length]} ${statusLine(request, ctx.now())} · waited ${formatDuration(ctx.now() - started)}${lost ? ' · reconnecting' : ''}`
    human.write(`\r\x1b[2K${line}`)
  }
  const ticker = live ? setInterval(draw, 1000) : null
  if (live) draw()
  let lastLine = statusLine(request, ctx.now())
  try {
    while (!stop) {
      const left = deadline - ctx.now()
      if (left <= 0) break
      const seconds = Math.max(1, Math.min(POLL_SECONDS, Math.ceil(left / 1000)))
      const polled = ctx.now()
      try {
        request = await client.waitRequest(request.id, seconds, abort.signal)
        if (lost) human.write(live ? '' : `request ${request.id}: reconnected\n`)
        lost = false
      } catch (e) {
        if (abort.signal.aborted) break
        // The server restarting or a load balancer hiccup must not end the wait: retry each second.
        if (!(e instanceof CliError) || !e.transient) throw e
        if (!lost && !live) human.write(`request ${request.id}: ${e.message}; retrying\n`)
        lost = true
        await sleep(Math.min(1000, Math.max(0, deadline - ctx.now())))
        continue
      }
      const code = exitCodeForStatus(request.status)
      if (!live) {
        const line = statusLine(request, ctx.now())
        if (line.split(' · ')[0] !== lastLine.split(' · ')[0] || approvalsSoFar(request) !== approvalsSoFar(first)) {
          if (code === null) human.write(`request ${request.id}: ${line}\n`)
          lastLine = line
        }
      } else {
        draw()
      }
      if (code !== null) {
        if (live) human.write('\r\x1b[2K')
        human.write(`request ${request.id}: ${statusLine(request, ctx.now())}\n`)
        return { request, code }
      }
      if (ctx.now() >= deadline) break
      // A change that did not finish the request, or a server that answers at once: do not spin.
      if (ctx.now() - polled < 250) await sleep(Math.min(250, Math.max(0, deadline - ctx.now())))
    }
  } finally {
    if (ticker) clearInterval(ticker)
    unsubscribe?.()
  }
  if (live) human.write('\r\x1b[2K')
  human.write(`request ${request.id}: still pending; ${stop ? 'interrupted' : 'stopped waiting (--timeout)'}\n`)
  return { request, code: ExitCode.TimedOut }
}
