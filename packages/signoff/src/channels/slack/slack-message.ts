/**
 * Pure Block Kit rendering of a request: the approval message (pending and final), the thread
 * reply for a vote, the requester's outcome DM, the reject-reason modal and refusal notes.
 * No I/O and no clock: times are Slack date tokens, which every reader sees in their own zone.
 */
import type { ChannelApprovalView, ChannelRequestStatus, ChannelRequestView } from '../channel.js'
import { LIMITS, fencedWithin, truncate } from './slack-limits.js'

/** A Block Kit block (the SDK's `KnownBlock` is structurally compatible). */
export type SlackBlock = { readonly type: string } & Readonly<Record<string, unknown>>

/** What `chat.postMessage` / `chat.update` send. */
export interface SlackMessage {
  /** Fallback text for notifications and screen readers. */
  readonly text: string
  readonly blocks: readonly SlackBlock[]
}

/** Button action ids; the button value is the request id. */
export const APPROVE_ACTION = 'signoff_approve'
export const REJECT_ACTION = 'signoff_reject'
/** The reject-reason modal: callback id, and the input's block and action ids. */
export const REJECT_MODAL = 'signoff_reject_reason'
export const REASON_BLOCK = 'reason'
export const REASON_ACTION = 'value'
/** Longest rejection reason the modal accepts. */
export const MAX_REASON = 3000

/** What the reject modal carries between the click and the submission. */
export interface RejectModalMetadata {
  readonly requestId: string
  /** Where the click came from, for the ephemeral answer to a refused submission. */
  readonly channel: string | null
}

const TITLES: Readonly<Record<ChannelRequestStatus, string>> = {
  pending: ':hourglass_flowing_sand: Approval needed',
  approved: ':white_check_mark: Approved',
  rejected: ':x: Rejected',
  expired: ':alarm_clock: Expired',
  cancelled: ':no_entry_sign: Cancelled',
  allowed: ':white_check_mark: Allowed',
  denied: ':x: Denied',
}

/** Escapes the three characters mrkdwn treats as control characters. */
export function escapeMrkdwn(s: string): string {
  return s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;')
}

/** A Slack date token: each reader sees the time in their own zone; `iso` is the fallback. */
export function slackDate(iso: string): string {
  const sec = Math.floor(Date.parse(iso) / 1000)
  return `<!date^${sec}^{date_short_pretty} at {time}|${iso}>`
}

/**
 * A one-line summary of what is asked for: the input's scalar top-level fields (`action=deploy,
 * service=api`), which is what callers put there; the whole input is shown below it.
 */
export function summarize(input: unknown, max = 200): string {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return truncate(JSON.stringify(input) ?? 'null', max)
  const parts = Object.entries(input as Record<string, unknown>)
    .filter(([, v]) => v === null || ['string', 'number', 'boolean'].includes(typeof v))
    .map(([k, v]) => `${k}=${String(v)}`)
  return truncate(parts.length > 0 ? parts.join(', ') : 'see the input below', max)
}

function progress(view: ChannelRequestView): string {
  const approvals = view.approvals.filter((a) => a.decision === 'approve').length
  return `${approvals} of ${view.minApprovals} approval${view.minApprovals === 1 ? '' : 's'}`
}

function statusLine(view: ChannelRequestView): string {
  return view.status === 'pending' ? `Pending · ${progress(view)}` : `${view.status[0]!.toUpperCase()}${view.status.slice(1)} · ${progress(view)}`
}

function voteLine(a: ChannelApprovalView): string {
  const verb = a.decision === 'approve' ? ':white_check_mark: approved' : ':x: rejected'
  const comment = a.comment ? `: “${escapeMrkdwn(truncate(a.comment, 300))}”` : ''
  return `${escapeMrkdwn(a.approver)} ${verb}${comment} (${a.via}, ${slackDate(a.at)})`
}

/** Who made the request final, and when (`null` while pending). */
export function outcomeLine(view: ChannelRequestView): string | null {
  if (view.status === 'pending') return null
  const when = view.decidedAt ? ` ${slackDate(view.decidedAt)}` : ''
  const by = (d: 'approve' | 'reject'): string =>
    view.approvals
      .filter((a) => a.decision === d)
      .map((a) => escapeMrkdwn(a.approver))
      .join(', ')
  switch (view.status) {
    case 'approved':
      return `*Approved* by ${by('approve') || 'policy'}${when}`
    case 'rejected':
      return `*Rejected* by ${by('reject') || 'policy'}${when}`
    case 'expired':
      return `*Expired* without enough approvals${when}`
    case 'cancelled':
      return `*Cancelled* by the requester${when}`
    default:
      return `*${view.status[0]!.toUpperCase()}${view.status.slice(1)}* by policy${when}`
  }
}

/** The approval message for the request's current state: buttons while pending, none once final. */
export function renderRequestMessage(view: ChannelRequestView): SlackMessage {
  const summary = summarize(view.input)
  const requester = view.requester ?? 'unknown requester'
  const blocks: SlackBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: truncate(TITLES[view.status], LIMITS.header), emoji: true } },
    {
      type: 'section',
      text: { type: 'mrkdwn', text: truncate(`*${escapeMrkdwn(requester)}* asks for: \`${escapeMrkdwn(summary)}\``, LIMITS.sectionText) },
    },
    {
      type: 'section',
      fields: [
        { type: 'mrkdwn', text: `*Status*\n${statusLine(view)}` },
        view.status === 'pending' || !view.decidedAt
          ? { type: 'mrkdwn', text: `*Expires*\n${view.expiresAt ? slackDate(view.expiresAt) : 'never'}` }
          : { type: 'mrkdwn', text: `*Decided*\n${slackDate(view.decidedAt)}` },
        { type: 'mrkdwn', text: truncate(`*Approvers*\n${escapeMrkdwn(view.approvers.join(', ') || 'anyone who sees this message')}`, LIMITS.field) },
        { type: 'mrkdwn', text: `*Input digest*\n\`sha256:${view.digest.slice(0, 16)}…\`` },
      ],
    },
  ]
  if (view.reason) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: truncate(`*Reason*\n${escapeMrkdwn(view.reason)}`, LIMITS.sectionText) } })
  blocks.push({ type: 'section', text: { type: 'mrkdwn', text: fencedWithin(escapeMrkdwn(JSON.stringify(view.input, null, 2) ?? 'null'), LIMITS.sectionText, view.detailsUrl) } })
  if (view.approvals.length > 0) {
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: truncate(view.approvals.map(voteLine).join('\n'), LIMITS.sectionText) } })
  }
  const outcome = outcomeLine(view)
  if (outcome) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: truncate(outcome, LIMITS.sectionText) } })
  else {
    blocks.push({
      type: 'actions',
      // A new block id per iteration, as Slack asks, so a stale client cannot replay old buttons.
      block_id: truncate(`signoff:${view.approvals.length}:${view.id}`, LIMITS.id),
      elements: [
        { type: 'button', action_id: APPROVE_ACTION, style: 'primary', value: view.id, text: { type: 'plain_text', text: 'Approve' } },
        { type: 'button', action_id: REJECT_ACTION, style: 'danger', value: view.id, text: { type: 'plain_text', text: 'Reject…' } },
      ],
    })
  }
  blocks.push({
    type: 'context',
    elements: [{ type: 'mrkdwn', text: truncate(`<${view.detailsUrl}|Details> · request \`${view.id}\` · input sha256 \`${view.digest}\``, LIMITS.sectionText) }],
  })
  const head = view.status === 'pending' ? `Approval needed (${progress(view)})` : (outcome ?? view.status).replace(/\*/g, '').replace(/<!date\^[^|]*\|([^>]*)>/g, '$1')
  return { text: truncate(`${head}: ${summary} — requested by ${requester}`, LIMITS.messageText), blocks }
}

/** The thread reply for one vote. */
export function renderVoteReply(vote: ChannelApprovalView, view: ChannelRequestView): SlackMessage {
  const line = voteLine(vote)
  const state = view.status === 'pending' ? `Still pending · ${progress(view)}` : (outcomeLine(view) ?? view.status)
  return {
    text: truncate(`${vote.approver} ${vote.decision === 'approve' ? 'approved' : 'rejected'}${vote.comment ? `: ${vote.comment}` : ''}`, LIMITS.messageText),
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: truncate(line, LIMITS.sectionText) } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: truncate(state, LIMITS.sectionText) }] },
    ],
  }
}

/** The requester's DM once the request is final. */
export function renderOutcomeNotice(view: ChannelRequestView): SlackMessage {
  const summary = summarize(view.input)
  const outcome = outcomeLine(view) ?? view.status
  const reasons = view.approvals.filter((a) => a.decision === 'reject' && a.comment).map((a) => `> ${escapeMrkdwn(truncate(a.comment!, 500))}`)
  const text = `Your request \`${escapeMrkdwn(summary)}\` is final. ${outcome}${reasons.length ? `\n${reasons.join('\n')}` : ''}`
  return {
    text: truncate(`Your request ${view.id} is ${view.status}: ${summary}`, LIMITS.messageText),
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: truncate(text, LIMITS.sectionText) } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: `<${view.detailsUrl}|Details> · request \`${view.id}\`` }] },
    ],
  }
}

/**
 * The modal the Reject button opens: a required reason, with the request carried in
 * `private_metadata`. It names the request only: it must open within Slack's three seconds, so
 * nothing is looked up first.
 */
export function rejectModal(meta: RejectModalMetadata): Record<string, unknown> {
  return {
    type: 'modal',
    callback_id: REJECT_MODAL,
    private_metadata: JSON.stringify(meta),
    title: { type: 'plain_text', text: 'Reject request' },
    submit: { type: 'plain_text', text: 'Reject' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: truncate(`Reject request \`${escapeMrkdwn(meta.requestId)}\`? The requester sees your reason.`, LIMITS.sectionText) } },
      {
        type: 'input',
        block_id: REASON_BLOCK,
        label: { type: 'plain_text', text: 'Reason' },
        element: { type: 'plain_text_input', action_id: REASON_ACTION, multiline: true, min_length: 1, max_length: MAX_REASON },
      },
    ],
  }
}

/** What a clicker is told privately when their click changed nothing, by refusal code. */
export function refusalText(code: string, message: string, view: ChannelRequestView | null): string {
  switch (code) {
    case 'SIGNOFF_NOT_ELIGIBLE':
      return `:no_entry: You are not one of the approvers of this request (${escapeMrkdwn(view?.approvers.join(', ') || 'none named')}). Nothing changed.`
    case 'SIGNOFF_SELF_APPROVAL':
      return ':no_entry: You asked for this request, so someone else has to approve it. Nothing changed.'
    case 'SIGNOFF_ALREADY_VOTED':
      return ':information_source: You already voted on this request; your first vote stands.'
    case 'SIGNOFF_ALREADY_DECIDED':
      return `:information_source: This request is already ${view?.status ?? 'final'}; nothing changed.`
    case 'SIGNOFF_NOT_FOUND':
      return ':warning: signoff does not know this request any more.'
    case 'SLACK_NO_EMAIL':
      return ':no_entry: signoff could not read the email address of your Slack account, so it cannot tell whether you may approve. Nothing changed.'
    case 'SLACK_WRONG_TEAM':
      return ':no_entry: This signoff only takes decisions from its own Slack workspace. Nothing changed.'
    default:
      return `:warning: ${escapeMrkdwn(message)}`
  }
}
