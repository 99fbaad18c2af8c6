import type { CardElementArray, IAdaptiveCard, IExecuteAction, IFact, IOpenUrlAction, ITextBlock } from '@microsoft/teams.cards'
import type { ChannelApprovalView, ChannelRequestStatus, ChannelRequestView } from '../channel.js'

/**
 * Adaptive Cards for a request (pure: no I/O, no clock). Teams renders schema 1.5 at most, and
 * Universal Actions (`Action.Execute`, `refresh`) stop working below 1.5, so approval cards are 1.5.
 */

/** The verbs of the card's `Action.Execute` buttons and of its refresh. */
export const VERB = { approve: 'signoff.approve', reject: 'signoff.reject', refresh: 'signoff.refresh' } as const

/** The `Input.Text` id whose value arrives merged into the action's `data`. */
export const COMMENT_INPUT = 'comment'

/** The attachment content type of an Adaptive Card. */
export const ADAPTIVE_CARD = 'application/vnd.microsoft.card.adaptive'

/**
 * Teams refuses messages above about 28 KB (chat-platforms.md §8.3, not an exact documented
 * figure); the whole activity JSON must stay below it.
 */
export const TEAMS_MESSAGE_LIMIT_BYTES = 28 * 1024

/** `refresh.userIds` takes at most 60 user MRIs. */
const MAX_REFRESH_USERS = 60
const MAX_REASON = 2_000
const MAX_INPUT = 6_000
const MAX_COMMENT = 500
const MAX_APPROVERS_TEXT = 1_000
const MAX_APPROVALS_SHOWN = 25

/** How a card is drawn: the refresh audience, and what the clicker should read first. */
export interface TeamsCardOptions {
  /** AAD object ids of approvers the channel knows; their clients fetch the current card. */
  readonly refreshUserIds?: readonly string[]
  /** A line shown on top, for this viewer only (why a click was refused). */
  readonly notice?: string
  /** Buttons (`Action.Execute`) or a link only (Workflows webhooks, which take no callbacks). */
  readonly interactive?: boolean
  /** Leave the input out and show fewer approvals, to fit Teams' size limit. */
  readonly compact?: boolean
  /** Where "Open in signoff" leads: the viewer's own signed approval link in a 1:1 chat; the request page otherwise. */
  readonly openUrl?: string
}

const TITLE: Readonly<Record<ChannelRequestStatus, string>> = {
  pending: 'Approval needed',
  approved: 'Approved',
  rejected: 'Rejected',
  expired: 'Expired',
  cancelled: 'Cancelled',
  allowed: 'Allowed',
  denied: 'Denied',
}

const TITLE_COLOR: Readonly<Record<ChannelRequestStatus, ITextBlock['color']>> = {
  pending: 'Accent',
  approved: 'Good',
  rejected: 'Attention',
  expired: 'Warning',
  cancelled: 'Warning',
  allowed: 'Good',
  denied: 'Attention',
}

/** The card for `view`: details and quorum, plus comment field and buttons while pending. */
export function teamsCard(view: ChannelRequestView, opts: TeamsCardOptions = {}): IAdaptiveCard {
  const interactive = (opts.interactive ?? true) && view.status === 'pending'
  const body: CardElementArray = []
  if (opts.notice) body.push(text(opts.notice, { color: 'Attention', weight: 'Bolder' }))
  body.push(text(`${TITLE[view.status]}: request ${view.id}`, { size: 'Medium', weight: 'Bolder', color: TITLE_COLOR[view.status] }))
  if (view.reason) body.push(text(clip(view.reason, MAX_REASON)))
  body.push({ type: 'FactSet', facts: facts(view) })
  if (opts.compact) body.push(text('The input is too large to show here; open the request in signoff to see it.', { isSubtle: true }))
  else {
    body.push(text('Input', { weight: 'Bolder', spacing: 'Medium' }))
    body.push(text(clip(JSON.stringify(view.input, null, 2) ?? 'null', MAX_INPUT), { fontType: 'Monospace', size: 'Small' }))
  }
  body.push(...approvalLines(view.approvals, opts.compact ? 5 : MAX_APPROVALS_SHOWN))
  const open: IOpenUrlAction = { type: 'Action.OpenUrl', title: 'Open in signoff', url: opts.openUrl ?? view.detailsUrl }
  const card: IAdaptiveCard = {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: interactive ? '1.5' : '1.4',
    body,
    actions: [open],
  }
  if (!interactive) return card
  body.push({
    type: 'Input.Text',
    id: COMMENT_INPUT,
    label: 'Comment (recorded with your decision)',
    placeholder: 'Why you approve or reject',
    isMultiline: true,
    maxLength: MAX_COMMENT,
  })
  const data = { requestId: view.id }
  const approve: IExecuteAction = { type: 'Action.Execute', title: 'Approve', verb: VERB.approve, data, style: 'positive' }
  const reject: IExecuteAction = { type: 'Action.Execute', title: 'Reject', verb: VERB.reject, data, style: 'destructive' }
  return {
    ...card,
    // Only the approvers' clients refresh automatically (Teams caps the list at 60); an empty
    // list still leaves everyone the "Refresh card" menu.
    refresh: {
      action: { type: 'Action.Execute', title: 'Refresh', verb: VERB.refresh, data },
      userIds: (opts.refreshUserIds ?? []).slice(0, MAX_REFRESH_USERS).map((id) => `8:orgid:${id}`),
    },
    actions: [approve, reject, open],
  }
}

/** A card that only says `message` (a click on a request signoff does not know). */
export function messageCard(message: string): IAdaptiveCard {
  return { type: 'AdaptiveCard', $schema: 'http://adaptivecards.io/schemas/adaptive-card.json', version: '1.5', body: [text(message, { color: 'Attention' })] }
}

/** The message activity that carries `card`, with a notification summary. */
export function cardActivity(card: IAdaptiveCard, summary: string): CardActivity {
  return { type: 'message', summary, attachments: [{ contentType: ADAPTIVE_CARD, content: card }] }
}

/** A Bot Framework message activity with one Adaptive Card attachment. */
export interface CardActivity {
  readonly type: 'message'
  readonly summary: string
  readonly attachments: ReadonlyArray<{ readonly contentType: typeof ADAPTIVE_CARD; readonly content: IAdaptiveCard }>
}

/** The activity for `view`, compacted when the full card would exceed Teams' size limit. */
export function requestActivity(view: ChannelRequestView, opts: TeamsCardOptions = {}): CardActivity {
  const summary = `${TITLE[view.status]}: request ${view.id}`
  const full = cardActivity(teamsCard(view, opts), summary)
  if (activityBytes(full) <= TEAMS_MESSAGE_LIMIT_BYTES) return full
  return cardActivity(teamsCard(view, { ...opts, compact: true }), summary)
}

/** The card of {@link requestActivity}: what an invoke response carries, under the same size limit. */
export function fittedCard(view: ChannelRequestView, opts: TeamsCardOptions = {}): IAdaptiveCard {
  return requestActivity(view, opts).attachments[0]!.content
}

/** The UTF-8 size of an activity as sent. */
export function activityBytes(activity: unknown): number {
  return Buffer.byteLength(JSON.stringify(activity), 'utf8')
}

function facts(view: ChannelRequestView): IFact[] {
  const approvals = view.approvals.filter((a) => a.decision === 'approve').length
  const out: IFact[] = [
    { title: 'Status', value: view.status },
    { title: 'Requester', value: view.requester ?? '—' },
    { title: 'Approvals', value: `${approvals} of ${view.minApprovals}` },
    { title: 'Approvers', value: view.approvers.length ? clip(view.approvers.join(', '), MAX_APPROVERS_TEXT) : 'anyone who sees this' },
    { title: 'Self-approval', value: view.selfApproval ? 'allowed' : 'not allowed' },
    { title: 'Created', value: formatTime(view.createdAt) },
    { title: 'Expires', value: formatTime(view.expiresAt) },
  ]
  if (view.decidedAt) out.push({ title: 'Decided', value: formatTime(view.decidedAt) })
  out.push({ title: 'Input digest', value: `sha256:${view.digest}` })
  return out
}

function approvalLines(approvals: readonly ChannelApprovalView[], max: number): ITextBlock[] {
  if (approvals.length === 0) return [text('No approvals yet.', { isSubtle: true, spacing: 'Medium' })]
  const shown = approvals.slice(-max)
  const lines = shown.map((a) => {
    const verb = a.decision === 'approve' ? 'approved' : 'rejected'
    const comment = a.comment ? `: "${clip(a.comment, MAX_COMMENT)}"` : ''
    return text(`${a.approver} ${verb} via ${a.via}, ${formatTime(a.at)}${comment}`, { color: a.decision === 'approve' ? 'Good' : 'Attention' })
  })
  const hidden = approvals.length - shown.length
  return [text(hidden > 0 ? `Decisions (${hidden} earlier not shown)` : 'Decisions', { weight: 'Bolder', spacing: 'Medium' }), ...lines]
}

function text(value: string, extra: Partial<Omit<ITextBlock, 'type' | 'text'>> = {}): ITextBlock {
  return { type: 'TextBlock', text: value, wrap: true, ...extra }
}

function clip(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`
}

/** `2026-01-02T03:04:05.678Z` → `2026-01-02 03:04:05 UTC`. */
function formatTime(iso: string | null): string {
  if (!iso) return '—'
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(?:\.\d+)?Z$/.exec(iso)
  return m ? `${m[1]} ${m[2]} UTC` : iso
}
