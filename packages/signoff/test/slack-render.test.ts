import { strict as assert } from 'node:assert'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import type { ChannelRequestView } from '../src/channels/channel.js'
import { assertBlockKitLimits, LIMITS, truncate } from '../src/channels/slack/slack-limits.js'
import { refusalText, rejectModal, renderOutcomeNotice, renderRequestMessage, renderVoteReply } from '../src/channels/slack/slack-message.js'
import { checkSlackSignature, signSlackRequest } from '../src/channels/slack/slack-signature.js'

const GOLDEN = join(import.meta.dirname, 'slack-golden')

/** Compares with the golden file; `UPDATE_GOLDEN=1` rewrites it. */
function golden(name: string, value: unknown): void {
  const path = join(GOLDEN, name)
  const text = JSON.stringify(value, null, 2) + '\n'
  if (process.env['UPDATE_GOLDEN'] === '1') writeFileSync(path, text)
  assert.equal(text, readFileSync(path, 'utf8'), `${name} differs from its golden file`)
}

const pending: ChannelRequestView = {
  id: 'r_0golden0000000000000',
  status: 'pending',
  requester: 'ci@example.com',
  reason: 'production deploys need two SREs',
  input: { action: 'deploy', service: 'api', environment: 'production', version: '1.4.2', replicas: 3 },
  digest: '9ca39866d49b73887ec6d9df7d3ee3ced00f5ae53e0dc9588de7ade36814d80a',
  createdAt: '2026-01-01T12:00:00.000Z',
  expiresAt: '2026-01-01T13:00:00.000Z',
  decidedAt: null,
  minApprovals: 2,
  approvers: ['group:sre', 'slack:S0ONCALL'],
  approvals: [{ approver: 'alice@example.com', decision: 'approve', comment: 'looks fine', at: '2026-01-01T12:05:00.000Z', via: 'slack' }],
  eligible: ['alice@example.com', 'bob@example.com'],
  selfApproval: false,
  detailsUrl: 'https://signoff.example.com/ui/requests/r_0golden0000000000000',
}

const approved: ChannelRequestView = {
  ...pending,
  status: 'approved',
  decidedAt: '2026-01-01T12:07:00.000Z',
  approvals: [...pending.approvals, { approver: 'bob@example.com', decision: 'approve', comment: null, at: '2026-01-01T12:07:00.000Z', via: 'web' }],
}

describe('slack: rendering', () => {
  it('pending message: who, what, reason, digest, approvers, 1 of 2, expiry, Approve / Reject, Details (golden)', () => {
    const m = renderRequestMessage(pending)
    golden('pending.json', m)
    assertBlockKitLimits(m.blocks)
    assert.match(m.text, /^Approval needed \(1 of 2 approvals\): action=deploy/)
  })

  it('final message: outcome, who and when, no buttons (golden)', () => {
    const m = renderRequestMessage(approved)
    golden('approved.json', m)
    assert.ok(!m.blocks.some((b) => b.type === 'actions'))
    for (const status of ['rejected', 'expired', 'cancelled'] as const) {
      const final = renderRequestMessage({ ...approved, status, approvals: status === 'rejected' ? [{ ...pending.approvals[0]!, decision: 'reject' }] : pending.approvals })
      assert.ok(!final.blocks.some((b) => b.type === 'actions'), status)
      assert.match(JSON.stringify(final.blocks), new RegExp(`\\*${status[0]!.toUpperCase()}${status.slice(1)}\\*`))
    }
  })

  it('vote reply, outcome notice and reject modal (golden)', () => {
    golden('vote-reply.json', renderVoteReply({ approver: 'carol@example.com', decision: 'reject', comment: 'not on a Friday', at: '2026-01-01T12:06:00.000Z', via: 'slack' }, { ...pending, status: 'rejected', decidedAt: '2026-01-01T12:06:00.000Z' }))
    golden('outcome.json', renderOutcomeNotice(approved))
    const modal = rejectModal({ requestId: pending.id, channel: 'C0DEPLOYS' })
    golden('reject-modal.json', modal)
    assertBlockKitLimits(modal['blocks'] as unknown[], LIMITS.blocksPerModal)
    assert.ok(String((modal['title'] as { text: string }).text).length <= LIMITS.modalTitle)
  })

  it('a huge input, reason, approver list and vote history stay within every Block Kit limit, with a link to the full input', () => {
    const huge: ChannelRequestView = {
      ...pending,
      requester: 'r'.repeat(5000) + '@example.com',
      reason: 'because '.repeat(2000),
      input: { manifest: 'x'.repeat(1_000_000), nested: Array.from({ length: 2000 }, (_, i) => ({ i, name: `item-${i}` })) },
      approvers: Array.from({ length: 500 }, (_, i) => `user:person-${i}@example.com`),
      approvals: Array.from({ length: 300 }, (_, i) => ({ approver: `person-${i}@example.com`, decision: 'approve' as const, comment: 'c'.repeat(1000), at: '2026-01-01T12:05:00.000Z', via: 'slack' })),
    }
    for (const view of [huge, { ...huge, status: 'approved' as const, decidedAt: '2026-01-01T12:07:00.000Z' }]) {
      const m = renderRequestMessage(view)
      assertBlockKitLimits(m.blocks)
      assert.ok(m.text.length <= LIMITS.messageText)
      const input = JSON.stringify(m.blocks.find((b) => JSON.stringify(b).includes('```')))
      assert.match(input, /Truncated: <https:\/\/signoff\.example\.com\/ui\/requests\/r_0golden0000000000000\|see the full input>/)
      const outcome = renderOutcomeNotice(view)
      assertBlockKitLimits(outcome.blocks)
    }
    assert.equal(truncate('ab😀cd', 4), 'ab…', 'never splits a surrogate pair')
  })

  it('the Block Kit check names the broken limit', () => {
    assert.throws(() => assertBlockKitLimits(Array.from({ length: 51 }, () => ({ type: 'divider' }))), /\/blocks: 51 blocks; at most 50/)
    assert.throws(() => assertBlockKitLimits([{ type: 'section', text: { type: 'mrkdwn', text: 'x'.repeat(3001) } }]), /\/blocks\/0\/text: text length 3001/)
    assert.throws(() => assertBlockKitLimits([{ type: 'actions', elements: [{ type: 'button', text: { type: 'plain_text', text: 'ok' }, value: 'v'.repeat(2001) }] }]), /\/blocks\/0\/elements\/0\/value/)
  })

  it('refusal texts say why, per code', () => {
    assert.match(refusalText('SIGNOFF_ALREADY_DECIDED', '', approved), /already approved; nothing changed/)
    assert.match(refusalText('SIGNOFF_NOT_ELIGIBLE', '', pending), /\(group:sre, slack:S0ONCALL\)/)
    assert.match(refusalText('SOMETHING_ELSE', 'a <b>', null), /a &lt;b&gt;/)
  })
})

describe('slack: app manifest', () => {
  it('grants exactly the scopes of the Web API methods the channel calls', async () => {
    const { parse } = await import('yaml')
    const manifest = parse(readFileSync(join(import.meta.dirname, '../../../examples/slack-app-manifest.yaml'), 'utf8')) as {
      oauth_config: { scopes: { bot: string[] } }
      settings: { interactivity: { is_enabled: boolean; request_url: string }; socket_mode_enabled: boolean }
    }
    // Every method src/channels/slack calls with the bot token, and the scopes it needs.
    const needs: Record<string, string[]> = {
      'chat.postMessage': ['chat:write'],
      'chat.update': ['chat:write'],
      'chat.postEphemeral': ['chat:write'],
      'conversations.list': ['channels:read', 'groups:read'],
      'conversations.history': ['channels:history', 'groups:history', 'im:history'],
      'conversations.replies': ['channels:history', 'groups:history', 'im:history'],
      'conversations.open': ['im:write'],
      'users.info': ['users:read', 'users:read.email'],
      'users.lookupByEmail': ['users:read.email'],
      'usergroups.users.list': ['usergroups:read'],
      'views.open': [],
    }
    const sources = ['slack-channel.ts', 'slack-identity.ts', 'slack-interactions.ts', 'slack-posts.ts']
      .map((f) => readFileSync(join(import.meta.dirname, '../src/channels/slack', f), 'utf8'))
      .join('\n')
    const called = new Set([...sources.matchAll(/client\.((?:[a-z]+\.)+[a-zA-Z]+)\(/g)].map((m) => m[1]!))
    assert.deepEqual([...called].sort(), Object.keys(needs).sort(), 'the table covers every call')
    assert.deepEqual([...manifest.oauth_config.scopes.bot].sort(), [...new Set(Object.values(needs).flat())].sort())
    assert.equal(manifest.settings.interactivity.request_url, 'https://signoff.example.com/slack/interactions')
    assert.equal(typeof manifest.settings.socket_mode_enabled, 'boolean')
  })
})

describe('slack: request signatures', () => {
  const secret = '8f742231b10e8888abcd99yyyzzz85a5'
  const body = 'payload=%7B%22type%22%3A%22block_actions%22%7D'
  const now = 1_767_268_800_000
  const ts = String(now / 1000)
  const check = (over: Partial<Parameters<typeof checkSlackSignature>[0]>) =>
    checkSlackSignature({ secret, rawBody: body, timestamp: ts, signature: signSlackRequest(secret, ts, body), nowMs: now, ...over })

  it('accepts the v0 HMAC over v0:{ts}:{raw body} within five minutes either way', () => {
    assert.equal(check({}), null)
    assert.equal(check({ nowMs: now + 300_000 }), null)
    assert.equal(check({ nowMs: now - 300_000 }), null)
    assert.match(signSlackRequest(secret, ts, body), /^v0=[0-9a-f]{64}$/)
  })

  it('refuses a changed body, a wrong secret, a stale or future timestamp, and missing or malformed headers', () => {
    assert.equal(check({ rawBody: body + 'x' }), 'bad_signature')
    assert.equal(check({ signature: signSlackRequest('other', ts, body) }), 'bad_signature')
    assert.equal(check({ signature: 'v0=short' }), 'bad_signature')
    assert.equal(check({ nowMs: now + 301_000 }), 'stale_timestamp')
    assert.equal(check({ nowMs: now - 301_000 }), 'stale_timestamp')
    assert.equal(check({ signature: undefined }), 'missing_signature')
    assert.equal(check({ timestamp: undefined }), 'missing_signature')
    assert.equal(check({ timestamp: '17e8' }), 'malformed_timestamp')
  })
})
