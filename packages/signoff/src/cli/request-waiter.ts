import type { ApiRequest } from './api-client.js'
import { CliError } from './cli-error.js'
import type { CliOutput } from './cli-io.js'
import type { CommandContext } from './command-context.js'
import { ExitCode, exitCodeForStatus } from './exit-code.js'
import { formatDuration } from './parse-duration.js'

/** Longest single long-poll; the server returns earlier on any change. */
const POLL_SECONDS = 25
const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏']

/** Approvals recorded so far (rejections excluded). */
export function approvalsSoFar(r: ApiRequest): number {
  return (r.approvals ?? []).filter((a) => a.decision === 'approve' || a.decision === 'approved').length
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
 * Waits for `first` to reach a final state with long-polls: a live status line on a terminal,
 * a line per change otherwise; keeps waiting through a server restart. Exit code of the outcome,
 * or {@link ExitCode.TimedOut} when `timeoutMs` passes or the user interrupts.
 */
export async function waitForOutcome(
  first: ApiRequest,
  timeoutMs: number | null,
  ctx: CommandContext,
  human: CliOutput,
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
  let seen = `${request.status}/${approvalsSoFar(request)}`
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
        // Without a terminal, one line per change (a new approval), not per poll.
        const now = `${request.status}/${approvalsSoFar(request)}`
        if (now !== seen && code === null) human.write(`request ${request.id}: ${statusLine(request, ctx.now())}\n`)
        seen = now
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
