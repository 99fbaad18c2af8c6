/**
 * Slack interaction payloads as Slack sends them (chat-platforms.md §1.2, §1.6), and signed HTTP
 * requests carrying them (form field `payload`, v0 signature over the raw body).
 */
import { signSlackRequest } from '../../src/channels/slack/slack-signature.js'
import { TEAM } from './slack-fake.js'

export const SIGNING_SECRET = 'test-signing-secret-0123456789abcdef'

let triggers = 0

/** A button click on a posted approval message. */
export function blockActions(opts: {
  user: string
  requestId: string
  action: 'approve' | 'reject'
  channel: string
  messageTs: string
  responseUrl: string
  team?: string
}): Record<string, unknown> {
  const team = opts.team ?? TEAM
  return {
    type: 'block_actions',
    user: { id: opts.user, username: opts.user.toLowerCase(), name: opts.user.toLowerCase(), team_id: team },
    team: { id: team, domain: 'fake' },
    api_app_id: 'A0SIGNOFF',
    token: 'legacy-verification-token',
    container: { type: 'message', message_ts: opts.messageTs, channel_id: opts.channel, is_ephemeral: false },
    trigger_id: `${++triggers}.1.trigger`,
    channel: { id: opts.channel, name: 'deploys' },
    message: { type: 'message', ts: opts.messageTs, text: 'Approval needed', bot_id: 'B0BOT', blocks: [] },
    response_url: opts.responseUrl,
    actions: [
      {
        type: 'button',
        action_id: opts.action === 'approve' ? 'signoff_approve' : 'signoff_reject',
        block_id: `signoff:0:${opts.requestId}`,
        value: opts.requestId,
        action_ts: '1719936123.000100',
        text: { type: 'plain_text', text: opts.action === 'approve' ? 'Approve' : 'Reject…' },
      },
    ],
  }
}

/** The reject modal submitted with `reason`, carrying the `private_metadata` the modal was opened with. */
export function viewSubmission(opts: { user: string; privateMetadata: string; reason: string; team?: string }): Record<string, unknown> {
  const team = opts.team ?? TEAM
  return {
    type: 'view_submission',
    team: { id: team, domain: 'fake' },
    user: { id: opts.user, name: opts.user.toLowerCase(), team_id: team },
    api_app_id: 'A0SIGNOFF',
    token: 'legacy-verification-token',
    trigger_id: `${++triggers}.2.trigger`,
    view: {
      id: 'V0MODAL',
      team_id: team,
      type: 'modal',
      callback_id: 'signoff_reject_reason',
      private_metadata: opts.privateMetadata,
      hash: '1719936200.abc',
      state: { values: { reason: { value: { type: 'plain_text_input', value: opts.reason } } } },
      root_view_id: 'V0MODAL',
      previous_view_id: null,
      app_id: 'A0SIGNOFF',
      bot_id: 'B0BOT',
    },
    response_urls: [],
  }
}

/** A signed interactivity POST: headers (lower-cased) and the raw form body. */
export function signedRequest(payload: Record<string, unknown>, nowMs: number, opts: { secret?: string; skewSeconds?: number } = {}): { headers: Record<string, string>; body: string } {
  const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString()
  const ts = Math.floor(nowMs / 1000) + (opts.skewSeconds ?? 0)
  return {
    body,
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': String(ts),
      'x-slack-signature': signSlackRequest(opts.secret ?? SIGNING_SECRET, ts, body),
    },
  }
}
