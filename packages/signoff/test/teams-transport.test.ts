import assert from 'node:assert/strict'
import { afterEach, beforeEach, describe, it } from 'node:test'
import type { Store } from '../src/store/index.js'
import { DIALECTS } from './dialects.js'
import {
  APPROVALS_CHANNEL,
  USERS,
  assertValidCard,
  cardText,
  cardVerbs,
  click,
  drain,
  personalInstall,
  sendActivity,
  teamInstall,
  teamsSignoff,
  teamsWorld,
  type TeamsSignoff,
  type TeamsWorld,
} from './fakes/teams-harness.js'
import { TestClock, richPolicy, tempDir } from './fixtures.js'

const REQUESTER = 'tok-requester-0000000000'
const ADMIN = 'tok-admin-000000000000000'

describe('Teams transport: inbound auth, outbound token, delivery errors, webhooks', () => {
  const sqlite = DIALECTS.find((d) => d.name === 'sqlite')!
  let store: Store
  let cleanup: () => Promise<void>
  let world: TeamsWorld
  let s: TeamsSignoff
  let clock: TestClock
  const policy = (min: number, channels: string[]) => tempDir({ 'p.rego': richPolicy(min, `, "channels": ${JSON.stringify(channels)}`) })

  beforeEach(async () => {
    clock = new TestClock()
    world = await teamsWorld(clock)
    ;({ store, cleanup } = await sqlite.open())
  })
  afterEach(async () => {
    try {
      assert.deepEqual(world.invalidCards(), [], 'every card sent passes the adaptivecards parser and the size limit')
    } finally {
      await s.close()
      await cleanup()
      await world.close()
    }
  })

  const create = async (input: Record<string, unknown> = {}): Promise<string> => {
    const res = await s.app.inject({
      method: 'POST',
      url: '/v1/requests',
      headers: { authorization: `Bearer ${REQUESTER}` },
      payload: { input: { environment: 'production', nonce: Math.random(), ...input } },
    })
    assert.equal(res.statusCode, 201, res.body)
    return (res.json() as { id: string }).id
  }
  const details = async (id: string) => {
    const res = await s.app.inject({ method: 'GET', url: `/v1/requests/${id}`, headers: { authorization: `Bearer ${ADMIN}` } })
    return res.json() as { status: string; approvals: unknown[]; delivery_errors?: Array<{ kind: string; channel: string; code: string; message: string; attempts: number }> }
  }
  const posted = (id: string) => world.connector.callsTo('POST', /\/activities$/).filter((c) => c.status === 201 && cardText(c.body).includes(id))
  const firstPost = (id: string) => {
    const conv = world.connector.activities.get(APPROVALS_CHANNEL)!
    return { conversationId: APPROVALS_CHANNEL, activityId: [...conv.entries()].find(([, a]) => cardText(a).includes(id))![0] }
  }

  it('refuses forged, expired, wrong-audience, wrong-issuer, wrong-serviceurl, unsigned and missing tokens with 401, recording nothing', async () => {
    s = await teamsSignoff(store, policy(1, ['teams:ops']), world, clock)
    await sendActivity(s, world, teamInstall(world))
    const id = await create()
    await drain(s)
    const activity = click(world, USERS.bob, 'signoff.approve', id, firstPost(id))
    const serviceUrl = world.connector.serviceUrl
    const [h, p] = world.identity.mint({ serviceUrl }).split('.')
    const cases: Array<[string, string, RegExp]> = [
      ['forged signature', world.identity.mint({ serviceUrl, forged: true }), /signature does not verify/],
      ['expired', world.identity.mint({ serviceUrl, expiresInSec: -400 }), /expired/],
      ['wrong audience', world.identity.mint({ serviceUrl, aud: 'someone-else' }), /audience/],
      ['wrong issuer', world.identity.mint({ serviceUrl, iss: 'https://evil.example' }), /issuer/],
      ['wrong serviceurl', world.identity.mint({ serviceUrl: 'https://smba.evil.example/amer/' }), /serviceurl/],
      ['alg none', `${Buffer.from(JSON.stringify({ alg: 'none', kid: 'test-kid' })).toString('base64url')}.${p}.`, /malformed|RS256/],
      ['no signature part', `${h}.${p}`, /malformed/],
    ]
    for (const [name, token, message] of cases) {
      const res = await sendActivity(s, world, activity, token)
      assert.equal(res.status, 401, name)
      const body = JSON.parse(res.body) as { code: string; message: string }
      assert.equal(body.code, 'SIGNOFF_UNAUTHENTICATED', name)
      assert.match(body.message, message, name)
    }
    const missing = await s.app.inject({ method: 'POST', url: '/teams/messages', headers: { 'content-type': 'application/json' }, payload: JSON.stringify(activity) })
    assert.equal(missing.statusCode, 401)
    assert.equal(world.connector.callsTo('GET', /\/members\//).length, 0, 'no roster lookup before the token verifies')
    assert.equal((await details(id)).status, 'pending')
    assert.deepEqual((await details(id)).approvals, [])
    // Within the five-minute skew a just-expired token still passes.
    const res = await sendActivity(s, world, activity, world.identity.mint({ serviceUrl, expiresInSec: -60 }))
    assert.equal(res.status, 200)
    assert.equal((await details(id)).status, 'approved')
  })

  it('refuses activities from another tenant with 403, and malformed bodies with 400', async () => {
    s = await teamsSignoff(store, policy(1, ['teams:ops']), world, clock)
    const foreign = { ...teamInstall(world), conversation: { id: '19:x@thread.tacv2', conversationType: 'channel', tenantId: 'other' }, channelData: { tenant: { id: 'other' }, team: { id: 't', name: 'Operations' } } }
    const res = await sendActivity(s, world, foreign)
    assert.equal(res.status, 403)
    assert.equal((JSON.parse(res.body) as { code: string }).code, 'SIGNOFF_FORBIDDEN')
    assert.deepEqual(await store.listChannelState('teams', ''), [], 'nothing learnt from another tenant')
    const bad = await s.app.inject({ method: 'POST', url: '/teams/messages', headers: { authorization: 'Bearer x', 'content-type': 'application/json' }, payload: '{"type":' })
    assert.equal(bad.statusCode, 400)
    assert.equal((bad.json() as { code: string }).code, 'SIGNOFF_MALFORMED_JSON')
    const shapeless = await s.app.inject({ method: 'POST', url: '/teams/messages', headers: { authorization: 'Bearer x', 'content-type': 'application/json' }, payload: '{"type":"message","serviceUrl":"file:///etc"}' })
    assert.equal(shapeless.statusCode, 400)
    assert.equal((shapeless.json() as { code: string }).code, 'SIGNOFF_VALIDATION_FAILED')
  })

  it('answers 500 while the signing keys are unreachable (the connector redelivers), then recovers', async () => {
    s = await teamsSignoff(store, policy(1, ['teams:ops']), world, clock)
    world.identity.keysDown = true
    const down = await sendActivity(s, world, teamInstall(world))
    assert.equal(down.status, 500)
    assert.match(down.body, /signing keys/)
    world.identity.keysDown = false
    assert.equal((await sendActivity(s, world, teamInstall(world))).status, 200)
  })

  it('refuses signing keys offered over plain http from a non-loopback host', async () => {
    s = await teamsSignoff(store, policy(1, ['teams:ops']), world, clock)
    world.identity.jwksUri = 'http://keys.example.com/v1/.well-known/keys'
    const res = await sendActivity(s, world, teamInstall(world))
    assert.equal(res.status, 500)
    assert.match(res.body, /jwks_uri .* must be https/)
    assert.equal(world.identity.keysHits, 0)
  })

  it('fetches the JWKS once through the OpenID metadata and caches it', async () => {
    s = await teamsSignoff(store, policy(1, ['teams:ops']), world, clock)
    for (let i = 0; i < 3; i++) assert.equal((await sendActivity(s, world, teamInstall(world))).status, 200)
    assert.equal(world.identity.metadataHits, 1)
    assert.equal(world.identity.keysHits, 1)
  })

  it('gets one client-credentials token for concurrent calls, reuses it, and renews it five minutes before expiry or after a 401', async () => {
    s = await teamsSignoff(store, policy(1, ['teams:ops']), world, clock)
    await sendActivity(s, world, teamInstall(world))
    world.identity.expiresIn = 3600
    await Promise.all([create(), create(), create()])
    await drain(s)
    assert.equal(world.connector.callsTo('POST', /\/activities$/).length, 3)
    assert.equal(world.identity.tokenRequests.length, 1, 'one fetch in flight for all callers')
    assert.deepEqual(world.identity.tokenRequests[0], { tenant: 'tenant-1', grantType: 'client_credentials', clientId: 'app-123', secretOk: true, scope: 'https://api.botframework.com/.default' })
    clock.advance(54 * 60_000)
    await create()
    await drain(s)
    assert.equal(world.identity.tokenRequests.length, 1, 'still cached 6 minutes before expiry')
    clock.advance(2 * 60_000)
    await create()
    await drain(s)
    assert.equal(world.identity.tokenRequests.length, 2, 'renewed within 5 minutes of expiry')
    world.identity.revokeAll()
    const id = await create()
    await drain(s)
    assert.equal(posted(id).length, 1, 'the 401 was retried once with a fresh token')
    assert.equal(world.identity.tokenRequests.length, 3)
  })

  it('a wrong app password is a permanent delivery error, and the secret appears nowhere', async () => {
    world.settings['app_password'] = 'wrong-password-value'
    s = await teamsSignoff(store, policy(1, ['teams:ops']), world, clock)
    await sendActivity(s, world, teamInstall(world))
    const id = await create()
    await drain(s)
    const errors = (await details(id)).delivery_errors ?? []
    assert.deepEqual(errors.map((e) => [e.kind, e.code, e.attempts]), [['notify', 'token_invalid_client', 1]])
    assert.ok(!JSON.stringify(errors).includes('wrong-password-value'))
  })

  it('429 with Retry-After is retried after that delay, and posts once', async () => {
    s = await teamsSignoff(store, policy(1, ['teams:ops']), world, clock)
    await sendActivity(s, world, teamInstall(world))
    world.connector.fail({ method: 'POST', path: /\/activities$/, status: 429, headers: { 'retry-after': '7' }, body: { error: { code: 'TooManyRequests', message: 'slow down' } } })
    const id = await create()
    await drain(s)
    assert.equal(posted(id).length, 0)
    clock.advance(6_000)
    await drain(s)
    assert.equal(posted(id).length, 0, 'not before Retry-After')
    clock.advance(1_000)
    await drain(s)
    assert.equal(posted(id).length, 1)
    assert.equal(s.services.metrics.value('signoff_channel_delivery_failures_total', { kind: 'notify', channel: 'teams:ops', code: 'TooManyRequests' }), 1)
  })

  it('a 5xx and a slow connector are transient; a 403 on update is permanent and shows in delivery_errors', async () => {
    s = await teamsSignoff(store, policy(2, ['teams:ops']), world, clock)
    await sendActivity(s, world, teamInstall(world))
    world.connector.fail({ method: 'POST', path: /\/activities$/, status: 502 })
    const id = await create()
    await drain(s)
    assert.equal(posted(id).length, 0)
    clock.advance(1_000)
    world.connector.delayMs = 150
    await drain(s)
    world.connector.delayMs = 0
    assert.equal(posted(id).length, 1)
    world.connector.fail({ method: 'PUT', status: 403, body: { error: { code: 'BotNotInConversationRoster', message: 'The bot is not part of the conversation roster.' } } })
    const vote = await s.app.inject({ method: 'POST', url: `/v1/requests/${id}/approve`, headers: { authorization: 'Bearer tok-bob-00000000000000000' }, payload: {} })
    assert.equal(vote.statusCode, 200)
    await drain(s)
    const errors = (await details(id)).delivery_errors ?? []
    assert.deepEqual(errors.map((e) => [e.kind, e.channel, e.code, e.attempts]), [['update', 'teams', 'BotNotInConversationRoster', 1]])
    clock.advance(30 * 60_000)
    await drain(s)
    assert.equal(world.connector.callsTo('PUT', /./).length, 1, 'a permanent failure is not retried')
  })

  it('an unknown team channel is a permanent, explained delivery error', async () => {
    s = await teamsSignoff(store, policy(1, ['teams:missing']), world, clock)
    await sendActivity(s, world, teamInstall(world))
    const id = await create()
    await drain(s)
    const [error] = (await details(id)).delivery_errors ?? []
    assert.equal(error?.code, 'teams_conversation_unknown')
    assert.match(error!.message, /not installed in team "Operations" with a channel "Nowhere"/)
  })

  it('a teams:dm fan-out that fails half way does not post the first DM twice on retry', async () => {
    s = await teamsSignoff(store, policy(1, ['teams:dm']), world, clock)
    for (const u of [USERS.alice, USERS.bob]) await sendActivity(s, world, personalInstall(world, u))
    world.connector.fail({ method: 'POST', path: new RegExp(`a:dm-${USERS.bob.objectId}/activities$`), status: 500 })
    const id = await create()
    await drain(s)
    clock.advance(1_000)
    await drain(s)
    const dms = posted(id).map((c) => c.conversationId).sort()
    assert.deepEqual(dms, [`a:dm-${USERS.alice.objectId}`, `a:dm-${USERS.bob.objectId}`])
  })

  it('teams:dm opens a 1:1 chat with an approver signoff met in a team channel, skipping one the bot may not message', async () => {
    s = await teamsSignoff(store, policy(1, ['teams:dm']), world, clock)
    await sendActivity(s, world, teamInstall(world))
    await sendActivity(s, world, personalInstall(world, USERS.bob))
    const somewhere = { conversationId: APPROVALS_CHANNEL, activityId: '1999' }
    for (const u of [USERS.alice, USERS.carol]) {
      const res = await sendActivity(s, world, click(world, u, 'signoff.refresh', 'r_unknown', somewhere))
      assert.match(res.body, /signoff has no request r_unknown/)
    }
    world.connector.fail({ method: 'POST', path: /^\/v3\/conversations$/, status: 403, times: 1, body: { error: { code: 'Forbidden', message: 'The bot is not permitted to message this user' } } })
    const id = await create()
    await drain(s)
    const opened = world.connector.callsTo('POST', /^\/v3\/conversations$/)
    assert.equal(opened.length, 2, 'one try for alice (403), one for carol')
    const carolOpen = opened.find((c) => JSON.stringify(c.body).includes(USERS.carol.id))!
    assert.deepEqual(carolOpen.body, { bot: { id: '28:app-123' }, members: [{ id: USERS.carol.id }], isGroup: false, tenantId: 'tenant-1', channelData: { tenant: { id: 'tenant-1' } } })
    assert.deepEqual(posted(id).map((c) => c.conversationId).sort(), [`a:created-${USERS.carol.objectId}`, `a:dm-${USERS.bob.objectId}`])
    assert.deepEqual((await details(id)).delivery_errors ?? [], [])
  })

  it('tells the requester the outcome in their personal chat, once', async () => {
    s = await teamsSignoff(store, policy(1, ['teams:ops']), world, clock)
    await sendActivity(s, world, teamInstall(world))
    await sendActivity(s, world, personalInstall(world, USERS.ci))
    const id = await create()
    await drain(s)
    invokeOk(await sendActivity(s, world, click(world, USERS.bob, 'signoff.approve', id, firstPost(id))))
    await drain(s)
    const dm = posted(id).filter((c) => c.conversationId === `a:dm-${USERS.ci.objectId}`)
    assert.equal(dm.length, 1)
    assert.match(cardText(dm[0]!.body), /Approved: request/)
  })

  it('posts a notify-only card to a Workflows webhook once, and a final card once decided (it cannot be edited)', async () => {
    s = await teamsSignoff(store, policy(1, ['teams-webhook:security']), world, clock)
    world.workflows.statuses.push({ status: 429, retryAfter: '2' })
    const id = await create()
    await drain(s)
    assert.equal(world.workflows.posts.length, 0)
    clock.advance(2_000)
    await drain(s)
    assert.equal(world.workflows.posts.length, 1)
    const envelope = world.workflows.posts[0]!.body as { type: string; attachments: Array<{ contentType: string; content: Record<string, unknown> }> }
    assert.equal(envelope.type, 'message')
    assert.equal(envelope.attachments[0]!.contentType, 'application/vnd.microsoft.card.adaptive')
    const card = envelope.attachments[0]!.content
    assertValidCard(card)
    assert.deepEqual(cardVerbs(card), [], 'no Action.Execute: nobody would receive it')
    assert.deepEqual(card['actions'], [{ type: 'Action.OpenUrl', title: 'Open in signoff', url: `${s.services.config.public_url}/ui/requests/${id}` }])
    assert.equal(card['body'] && JSON.stringify(card['body']).includes('Input.Text'), false)
    const vote = await s.app.inject({ method: 'POST', url: `/v1/requests/${id}/approve`, headers: { authorization: 'Bearer tok-bob-00000000000000000' }, payload: {} })
    assert.equal(vote.statusCode, 200)
    await drain(s)
    assert.equal(world.workflows.posts.length, 2, 'the first card is not edited; one final card follows')
    const final = (world.workflows.posts[1]!.body as typeof envelope).attachments[0]!.content
    assertValidCard(final)
    assert.match(cardText(final), /Approved: request/)
    assert.match(cardText(final), /bob@example\.com approved via api/)
    clock.advance(60_000)
    await drain(s)
    assert.equal(world.workflows.posts.length, 2)
    assert.deepEqual((await details(id)).delivery_errors ?? [], [])
  })

  it('clips a huge input so the card stays under the Teams size limit', async () => {
    s = await teamsSignoff(store, policy(1, ['teams:ops']), world, clock)
    await sendActivity(s, world, teamInstall(world))
    const id = await create({ blob: '\u0001€'.repeat(10_000), list: Array.from({ length: 500 }, (_, i) => `item-${i}`) })
    await drain(s)
    assert.equal(posted(id).length, 1)
    const card = world.connector.card(APPROVALS_CHANNEL, firstPost(id).activityId)!
    assertValidCard(card)
    const input = (card['body'] as Array<{ fontType?: string; text?: string }>).find((b) => b.fontType === 'Monospace')!.text!
    assert.ok(input.startsWith('{\n  "environment": "production"'))
    assert.ok(input.endsWith('…') && input.length <= 6_000, 'the input is clipped')
  })
})

function invokeOk(res: { status: number; body: string }): void {
  assert.equal(res.status, 200, res.body)
  assert.equal((JSON.parse(res.body) as { statusCode: number }).statusCode, 200)
}
