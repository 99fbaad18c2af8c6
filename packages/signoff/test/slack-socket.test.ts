import { strict as assert } from 'node:assert'
import { afterEach, beforeEach, describe, it } from 'node:test'
import { SlackChannel } from '../src/channels/slack/index.js'
import type { ChannelHost } from '../src/channels/channel.js'
import type { Store } from '../src/store/index.js'
import { DIALECTS } from './dialects.js'
import { BOT_TOKEN, SlackFake } from './fakes/slack-fake.js'
import { blockActions, viewSubmission } from './fakes/slack-payloads.js'
import { seedWorkspace, slackPolicy, slackRig, type SlackRig } from './fakes/slack-rig.js'
import { TestClock } from './fixtures.js'

/** Polls `check` until it holds, for at most `ms`. */
async function eventually(check: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not reached in time')
    await new Promise((r) => setTimeout(r, 5))
  }
}

for (const dialect of DIALECTS) {
  describe(`${dialect.name}: slack over Socket Mode`, () => {
    let store: Store
    let cleanup: () => Promise<void>
    let fake: SlackFake
    const rigs: SlackRig[] = []
    const open = async (policy: string, clock?: TestClock): Promise<SlackRig> => {
      const rig = await slackRig(store, fake, { policy, socket: true, ...(clock ? { clock } : {}) })
      rigs.push(rig)
      return rig
    }
    beforeEach(async () => {
      ;({ store, cleanup } = await dialect.open())
      fake = seedWorkspace(await SlackFake.start())
    })
    afterEach(async () => {
      for (const r of rigs.splice(0)) await r.close()
      await fake.close()
      await cleanup()
    })

    it('several replicas each holding a connection apply one envelope delivered to all of them exactly once', async () => {
      const clock = new TestClock()
      const a = await open(slackPolicy(2, ['slack:#deploys']), clock)
      const b = await open(slackPolicy(2, ['slack:#deploys']), clock)
      assert.equal(fake.connections, 2)
      const r = await a.create()
      await a.drain()
      const ts = fake.posts('C0DEPLOYS')[0]!.ts
      const acks = await fake.pushInteractive(blockActions({ user: 'UBOB', requestId: r.id, action: 'approve', channel: 'C0DEPLOYS', messageTs: ts, responseUrl: fake.responseUrl('bob') }), { to: 'all' })
      assert.deepEqual(acks, [{}, {}], 'both connections acknowledged')
      await Promise.all([a.channel.settled(), b.channel.settled()])
      const after = await a.request(r.id)
      assert.deepEqual(after.approvals.map((x) => x.approver), ['bob@example.com'])
      assert.equal(after.version, r.version + 1)
      assert.deepEqual((await store.logForRequest(r.id)).map((e) => e.event), ['pending', 'approval'])
      assert.ok(fake.responses.length <= 1)
      for (const res of fake.responses) assert.match(String(res.body['text']), /already voted/)
    })
  })
}

describe('slack over Socket Mode', () => {
  let store: Store
  let cleanup: () => Promise<void>
  let fake: SlackFake
  let rig: SlackRig | null = null
  beforeEach(async () => {
    ;({ store, cleanup } = await DIALECTS[0]!.open())
    fake = seedWorkspace(await SlackFake.start())
  })
  afterEach(async () => {
    await rig?.close()
    rig = null
    await fake.close()
    await cleanup()
  })

  it('full approve flow: connects with the app token, acks the envelope, approves, updates the message', async () => {
    rig = await slackRig(store, fake, { policy: slackPolicy(1, ['slack:#deploys']), socket: true })
    const open = fake.callsOf('apps.connections.open')
    assert.equal(open.length, 1)
    assert.match(open[0]!.token ?? '', /^xapp-/)
    assert.equal(rig.channel.interactionPath, undefined, 'no HTTP endpoint without a signing secret')
    assert.equal((await rig.app.inject({ method: 'POST', url: '/slack/interactions', payload: 'x' })).statusCode, 404)
    const r = await rig.create()
    await rig.drain()
    const post = fake.posts('C0DEPLOYS')[0]!
    const acks = await fake.pushInteractive(blockActions({ user: 'UBOB', requestId: r.id, action: 'approve', channel: 'C0DEPLOYS', messageTs: post.ts, responseUrl: fake.responseUrl('bob') }))
    assert.deepEqual(acks, [{}])
    await rig.channel.settled()
    assert.equal((await rig.request(r.id)).status, 'approved')
    await rig.drain()
    assert.ok(!post.blocks.some((b) => (b as { type: string }).type === 'actions'))
    assert.equal(fake.replies('C0DEPLOYS', post.ts).length, 1)
  })

  it('reject with reason through the modal; an empty reason is answered in the ack', async () => {
    rig = await slackRig(store, fake, { policy: slackPolicy(1, ['slack:#deploys']), socket: true })
    const r = await rig.create()
    await rig.drain()
    const ts = fake.posts('C0DEPLOYS')[0]!.ts
    await fake.pushInteractive(blockActions({ user: 'UALICE', requestId: r.id, action: 'reject', channel: 'C0DEPLOYS', messageTs: ts, responseUrl: fake.responseUrl('alice') }))
    await rig.channel.settled()
    const meta = String(fake.views[0]!.view['private_metadata'])
    const [empty] = await fake.pushInteractive(viewSubmission({ user: 'UALICE', privateMetadata: meta, reason: '' }))
    assert.deepEqual(empty, { response_action: 'errors', errors: { reason: 'Please say why you reject this request.' } })
    const [ok] = await fake.pushInteractive(viewSubmission({ user: 'UALICE', privateMetadata: meta, reason: 'wrong build' }))
    assert.deepEqual(ok, {})
    await rig.channel.settled()
    const done = await rig.request(r.id)
    assert.equal(done.status, 'rejected')
    assert.equal(done.approvals[0]!.comment, 'wrong build')
  })

  it('reconnects by itself when Slack asks it to, and keeps taking clicks', async () => {
    rig = await slackRig(store, fake, { policy: slackPolicy(1, ['slack:#deploys']), socket: true })
    const r = await rig.create()
    await rig.drain()
    fake.disconnectAll('refresh_requested')
    await eventually(() => fake.callsOf('apps.connections.open').length === 2 && fake.connections === 1)
    const ts = fake.posts('C0DEPLOYS')[0]!.ts
    await fake.pushInteractive(blockActions({ user: 'UBOB', requestId: r.id, action: 'approve', channel: 'C0DEPLOYS', messageTs: ts, responseUrl: fake.responseUrl('bob') }))
    await rig.channel.settled()
    assert.equal((await rig.request(r.id)).status, 'approved')
  })

  it('rides out a Slack outage: starts while apps.connections.open fails, reconnects after a drop that meets another failure', async () => {
    fake.httpErrorNext('apps.connections.open', 503)
    rig = await slackRig(store, fake, { policy: slackPolicy(1, ['slack:#deploys']), socket: true })
    await eventually(() => fake.connections === 1)
    assert.equal(fake.callsOf('apps.connections.open').length, 2, 'the failed connect was retried')
    fake.httpErrorNext('apps.connections.open', 502)
    fake.disconnectAll('refresh_requested')
    await eventually(() => fake.callsOf('apps.connections.open').length === 4 && fake.connections === 1)
    const r = await rig.create()
    await rig.drain()
    const ts = fake.posts('C0DEPLOYS')[0]!.ts
    await fake.pushInteractive(blockActions({ user: 'UBOB', requestId: r.id, action: 'approve', channel: 'C0DEPLOYS', messageTs: ts, responseUrl: fake.responseUrl('bob') }))
    await rig.channel.settled()
    assert.equal((await rig.request(r.id)).status, 'approved')
    assert.ok(rig.logs.some((l) => l.msg === 'slack socket mode could not connect; retrying'), 'the outage is logged')
  })

  it('stops reconnecting, with an error in the log, when Slack refuses the app token after it was revoked', async () => {
    rig = await slackRig(store, fake, { policy: slackPolicy(1, ['slack:#deploys']), socket: true })
    fake.failNext('apps.connections.open', 'invalid_auth', 5)
    fake.disconnectAll('refresh_requested')
    await eventually(() => rig!.logs.some((l) => l.msg === 'slack socket mode: Slack refused the app token; not reconnecting'))
    assert.equal(fake.callsOf('apps.connections.open').length, 2, 'one try after the drop, no more')
    assert.equal(fake.connections, 0)
  })

  it('refuses to start with an app token Slack rejects, saying so', async () => {
    const channel = new SlackChannel({ botToken: BOT_TOKEN, signingSecret: null, appToken: 'xapp-wrong', apiUrl: fake.apiUrl, teamId: null })
    const quiet = { info() {}, warn() {}, error() {} }
    const host = { log: quiet, now: () => Date.now() } as unknown as ChannelHost
    await assert.rejects(channel.start(host), /Slack Socket Mode could not connect: .*invalid_auth/)
    await channel.stop()
  })
})
