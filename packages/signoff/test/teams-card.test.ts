import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { ChannelRequestStatus, ChannelRequestView } from '../src/channels/channel.js'
import { TEAMS_MESSAGE_LIMIT_BYTES, activityBytes, messageCard, requestActivity, teamsCard } from '../src/channels/teams/index.js'
import { TeamsWebhookChannel } from '../src/channels/teams/index.js'
import { cardProblems } from './fakes/teams-card-check.js'
import { assertValidCard, cardText, cardVerbs } from './fakes/teams-harness.js'

const view = (over: Partial<ChannelRequestView> = {}): ChannelRequestView => ({
  id: 'r_1',
  status: 'pending',
  requester: 'ci@example.com',
  reason: 'production deploys need SREs',
  input: { environment: 'production', service: 'payments' },
  digest: 'a'.repeat(64),
  createdAt: '2026-01-01T12:00:00.000Z',
  expiresAt: '2026-01-01T13:00:00.000Z',
  decidedAt: null,
  minApprovals: 2,
  approvers: ['group:sre'],
  approvals: [],
  eligible: ['alice@example.com', 'bob@example.com'],
  selfApproval: false,
  detailsUrl: 'https://signoff.example/ui/requests/r_1',
  ...over,
})

describe('Teams cards (pure rendering)', () => {
  it('a pending card is Adaptive Card 1.5 with details, a comment field, Approve/Reject Action.Execute and a refresh for the approvers', () => {
    const card = teamsCard(view(), { refreshUserIds: ['aad-alice', 'aad-bob'] })
    assertValidCard(card)
    assert.equal(card.version, '1.5')
    assert.deepEqual(cardVerbs(card as unknown as Record<string, unknown>), ['signoff.approve', 'signoff.reject'])
    for (const a of card.actions!.filter((x) => x.type === 'Action.Execute')) assert.deepEqual((a as { data: unknown }).data, { requestId: 'r_1' })
    assert.deepEqual(card.refresh, {
      action: { type: 'Action.Execute', title: 'Refresh', verb: 'signoff.refresh', data: { requestId: 'r_1' } },
      userIds: ['8:orgid:aad-alice', '8:orgid:aad-bob'],
    })
    const input = card.body.find((b) => b.type === 'Input.Text') as { id: string; isMultiline: boolean }
    assert.equal(input.id, 'comment')
    const text = cardText(card)
    for (const expected of ['Approval needed: request r_1', 'production deploys need SREs', 'Requester: ci@example.com', 'Approvals: 0 of 2', 'Expires: 2026-01-01 13:00:00 UTC', `Input digest: sha256:${'a'.repeat(64)}`, '"service": "payments"']) {
      assert.ok(text.includes(expected), expected)
    }
  })

  it('every final status renders a valid card without buttons, inputs or refresh', () => {
    const statuses: ChannelRequestStatus[] = ['approved', 'rejected', 'expired', 'cancelled', 'allowed', 'denied']
    for (const status of statuses) {
      const card = teamsCard(view({ status, decidedAt: '2026-01-01T12:30:00.000Z', approvals: [{ approver: 'bob@example.com', decision: 'approve', comment: 'ok', at: '2026-01-01T12:30:00.000Z', via: 'slack' }] }))
      assertValidCard(card)
      assert.deepEqual(cardVerbs(card as unknown as Record<string, unknown>), [], status)
      assert.equal(card.refresh, undefined)
      assert.ok(!JSON.stringify(card).includes('Input.Text'))
      assert.match(cardText(card), /Decided: 2026-01-01 12:30:00 UTC/)
      assert.match(cardText(card), /bob@example\.com approved via slack, 2026-01-01 12:30:00 UTC: "ok"/)
    }
  })

  it('a refusal notice comes first; a bare message card is valid', () => {
    const card = teamsCard(view(), { notice: 'Not recorded: you are not an approver' })
    assertValidCard(card)
    assert.ok(cardText(card).startsWith('Not recorded: you are not an approver\nApproval needed'))
    assertValidCard(messageCard('signoff has no request r_9.'))
  })

  it('caps the refresh audience at 60 users', () => {
    const ids = Array.from({ length: 75 }, (_, i) => `aad-${i}`)
    assert.equal(teamsCard(view(), { refreshUserIds: ids }).refresh!.userIds!.length, 60)
  })

  it('compacts a card that would exceed the Teams size limit (long comments, multi-byte input)', () => {
    const approvals = Array.from({ length: 40 }, (_, i) => ({ approver: `user${i}@example.com`, decision: 'approve' as const, comment: '€'.repeat(800), at: '2026-01-01T12:10:00.000Z', via: 'teams' }))
    const big = view({ input: { blob: '€'.repeat(10_000) }, reason: '€'.repeat(3_000), approvals, minApprovals: 50 })
    assert.ok(activityBytes({ type: 'message', attachments: [{ content: teamsCard(big) }] }) > TEAMS_MESSAGE_LIMIT_BYTES, 'the uncompacted card is too big')
    const activity = requestActivity(big)
    assert.ok(activityBytes(activity) <= TEAMS_MESSAGE_LIMIT_BYTES)
    const card = activity.attachments[0]!.content
    assertValidCard(card)
    assert.match(cardText(card), /input is too large to show here/)
    assert.match(cardText(card), /Decisions \(35 earlier not shown\)/)
    assert.equal(activity.summary, 'Approval needed: request r_1')
  })

  it('the card check itself refuses unknown elements, bad properties and oversized cards', () => {
    const base = { type: 'AdaptiveCard', version: '1.5' }
    assert.match(cardProblems({ ...base, body: [{ type: 'Bogus' }] }).join('\n'), /Unknown element type "Bogus"/)
    assert.ok(cardProblems({ ...base, body: [{ type: 'Input.Text', id: 'c', isRequired: true }] }).length > 0, 'a required input without a label')
    assert.match(cardProblems({ ...base, body: [{ type: 'TextBlock', text: 'x'.repeat(30_000) }] }).join('\n'), /over Teams' 28672/)
    assert.deepEqual(cardProblems({ ...base, body: [{ type: 'TextBlock', text: 'fine' }] }), [])
  })

  it('the Workflows webhook card is notify-only: an Action.OpenUrl to the request page', () => {
    const card = new TeamsWebhookChannel({ webhooks: {} }).render(view())
    assertValidCard(card)
    assert.deepEqual(card.actions, [{ type: 'Action.OpenUrl', title: 'Open in signoff', url: 'https://signoff.example/ui/requests/r_1' }])
    assert.equal(card.refresh, undefined)
    assert.ok(!JSON.stringify(card).includes('Action.Execute'))
  })
})
