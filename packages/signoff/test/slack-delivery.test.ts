import { strict as assert } from 'node:assert'
import { afterEach, beforeEach, describe, it } from 'node:test'
import type { Store } from '../src/store/index.js'
import { DIALECTS } from './dialects.js'
import { SlackFake } from './fakes/slack-fake.js'
import { blockActions, signedRequest } from './fakes/slack-payloads.js'
import { seedWorkspace, slackPolicy, slackRig, type SlackRig } from './fakes/slack-rig.js'
import { TestClock } from './fixtures.js'

const hasButtons = (blocks: unknown[]): boolean => blocks.some((b) => (b as { type: string }).type === 'actions')

/** Polls `check` until it holds, for at most `ms`. */
async function eventually(check: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not reached in time')
    await new Promise((r) => setTimeout(r, 5))
  }
}

for (const dialect of DIALECTS) {
  describe(`${dialect.name}: slack delivery through the outbox`, () => {
    let store: Store
    let cleanup: () => Promise<void>
    let fake: SlackFake
    const rigs: SlackRig[] = []
    const open = async (policy: string, extra: Parameters<typeof slackRig>[2] extends infer O ? Partial<O> : never = {}): Promise<SlackRig> => {
      const rig = await slackRig(store, fake, { policy, ...extra })
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

    it('2-of-3 quorum: two approvers clicking at the same moment make one approved transition, both votes recorded, every post updated', async () => {
      const rig = await open(slackPolicy(2, ['slack:#deploys', 'slack:C0OPS']))
      const r = await rig.create()
      await rig.drain()
      const posts = [fake.posts('C0DEPLOYS')[0]!, fake.posts('C0OPS')[0]!]
      assert.ok(posts.every(Boolean))
      const click = (user: string) =>
        rig.click(blockActions({ user, requestId: r.id, action: 'approve', channel: 'C0DEPLOYS', messageTs: posts[0]!.ts, responseUrl: fake.responseUrl(user) }))
      const answers = await Promise.all([click('UALICE'), click('UBOB')])
      assert.deepEqual(answers.map((a) => a.status), [200, 200])
      const done = await rig.request(r.id)
      assert.equal(done.status, 'approved')
      assert.deepEqual(done.approvals.map((a) => a.approver).sort(), ['alice@example.com', 'bob@example.com'])
      const log = await store.logForRequest(r.id)
      assert.deepEqual(log.map((e) => e.event).sort(), ['approval', 'approval', 'approved', 'pending'])
      assert.equal(fake.responses.length, 0, 'neither click was refused')
      await rig.drain()
      for (const p of posts) {
        assert.equal(hasButtons(p.blocks), false, `${p.channel} final`)
        assert.match(JSON.stringify(p.blocks), /\*Approved\* by (alice@example\.com, bob@example\.com|bob@example\.com, alice@example\.com)/)
        assert.equal(fake.replies(p.channel, p.ts).length, 2, `both votes threaded in ${p.channel}`)
      }
      assert.equal(fake.posts('DCI').length, 1, 'the requester is told once')
    })

    it('a restart between the click and the update: new services on the same store deliver it, nothing posted twice', async () => {
      const clock = new TestClock()
      const first = await open(slackPolicy(1, ['slack:#deploys']), { clock })
      const r = await first.create()
      await first.drain()
      const post = fake.posts('C0DEPLOYS')[0]!
      await first.click(blockActions({ user: 'UBOB', requestId: r.id, action: 'approve', channel: 'C0DEPLOYS', messageTs: post.ts, responseUrl: fake.responseUrl('bob') }))
      assert.equal((await first.request(r.id)).status, 'approved')
      await first.close()
      rigs.splice(rigs.indexOf(first), 1)
      assert.equal(post.edits, 0, 'the update had not gone out')

      const second = await open(slackPolicy(1, ['slack:#deploys']), { clock })
      await second.drain()
      assert.equal(post.edits, 1)
      assert.equal(hasButtons(post.blocks), false)
      assert.equal(fake.posts('C0DEPLOYS').length, 1)
      assert.equal(fake.replies('C0DEPLOYS', post.ts).length, 1)
      assert.equal(fake.posts('DCI').length, 1)
    })

    it('a crash after chat.postMessage reached Slack but before the job finished: the retry finds the message instead of posting again', async () => {
      const clock = new TestClock()
      const first = await open(slackPolicy(1, ['slack:#deploys']), { clock })
      const r = await first.create()
      const release = fake.hangNext('chat.postMessage')
      const stuck = first.services.worker.tick()
      await eventually(() => fake.posts('C0DEPLOYS').length === 1)

      // The process holding the job is gone; another replica takes the job when its lease ends.
      const second = await open(slackPolicy(1, ['slack:#deploys']), { clock })
      clock.advance(61_000)
      await second.drain()
      assert.equal(fake.posts('C0DEPLOYS').length, 1, 'not posted twice')
      assert.equal(fake.callsOf('chat.postMessage').length, 1)
      const history = fake.callsOf('conversations.history')
      assert.equal(history.length, 1)
      assert.equal(history[0]!.params['include_all_metadata'], 'true')
      const ts = fake.posts('C0DEPLOYS')[0]!.ts
      assert.deepEqual((await store.postsFor(r.id)).map((p) => p.messageId), [ts])
      release()
      await stuck
      assert.deepEqual((await store.postsFor(r.id)).map((p) => p.messageId), [ts], 'the late finish adds nothing')

      // A lost answer to the thread reply: the retry finds the reply in the thread.
      await second.click(blockActions({ user: 'UBOB', requestId: r.id, action: 'approve', channel: 'C0DEPLOYS', messageTs: ts, responseUrl: fake.responseUrl('bob') }))
      fake.loseResponseNext('chat.postMessage', (p) => p['thread_ts'] === ts)
      await second.drain()
      assert.equal(fake.replies('C0DEPLOYS', ts).length, 1, 'the reply reached Slack; its answer was lost')
      clock.advance(1000)
      await second.drain()
      assert.equal(fake.replies('C0DEPLOYS', ts).length, 1, 'the vote is threaded once')
      assert.ok(fake.callsOf('conversations.replies').length >= 1, 'the retry looked in the thread first')
      assert.equal(hasButtons(fake.posts('C0DEPLOYS')[0]!.blocks), false)
    })

    it('429 on chat.postMessage waits for Retry-After, then posts', async () => {
      const rig = await open(slackPolicy(1, ['slack:#deploys']))
      const r = await rig.create()
      fake.rateLimitNext('chat.postMessage', 7)
      await rig.services.worker.tick()
      assert.equal(fake.posts().length, 0)
      const job = (await store.outboxFor(r.id)).find((j) => j.kind === 'notify')!
      assert.equal(job.attempts, 1)
      assert.equal(job.lastCode, 'rate_limited')
      assert.equal(job.nextAt, rig.clock.now() + 7000, 'scheduled after Retry-After, not the 1 s backoff')
      rig.clock.advance(6999)
      await rig.services.worker.tick()
      assert.equal(fake.callsOf('chat.postMessage').length, 1, 'not before Retry-After')
      rig.clock.advance(1)
      await rig.drain()
      assert.equal(fake.posts('C0DEPLOYS').length, 1)
      assert.equal(rig.services.metrics.value('signoff_channel_delivery_failures_total', { kind: 'notify', channel: 'slack:#deploys', code: 'rate_limited' }), 1)
    })

    it('a slow Slack: a call that times out is retried, and the retry finds the post the slow call made', async () => {
      const rig = await open(slackPolicy(1, ['slack:#deploys']), { timeoutMs: 100 })
      const r = await rig.create()
      fake.delay('chat.postMessage', 400)
      await rig.drain()
      const job = (await store.outboxFor(r.id)).find((j) => j.kind === 'notify')!
      assert.equal(job.attempts, 1)
      assert.equal(job.lastCode, 'request_error')
      await eventually(() => fake.posts('C0DEPLOYS').length === 1)
      fake.delay('chat.postMessage', 0)
      rig.clock.advance(1000)
      await rig.drain()
      assert.equal(fake.posts('C0DEPLOYS').length, 1, 'the late post is found, not repeated')
      assert.deepEqual((await store.postsFor(r.id)).map((p) => p.messageId), [fake.posts('C0DEPLOYS')[0]!.ts])
    })

    it('a click is acknowledged before Slack answers the identity lookup', async () => {
      const rig = await open(slackPolicy(1, ['slack:#deploys']))
      const r = await rig.create()
      await rig.drain()
      const release = fake.hangNext('users.info')
      const { headers, body } = signedRequest(
        blockActions({ user: 'UBOB', requestId: r.id, action: 'approve', channel: 'C0DEPLOYS', messageTs: fake.posts()[0]!.ts, responseUrl: fake.responseUrl('bob') }),
        rig.clock.now(),
      )
      const res = await rig.app.inject({ method: 'POST', url: '/slack/interactions', headers, payload: body })
      assert.equal(res.statusCode, 200, 'acked while users.info is still outstanding')
      assert.equal((await rig.request(r.id)).approvals.length, 0)
      release()
      await rig.channel.settled()
      assert.equal((await rig.request(r.id)).status, 'approved')
    })

    it('permanent errors (channel_not_found, not_in_channel, invalid_auth) are recorded on the request and in metrics, and not retried', async () => {
      const rig = await open(slackPolicy(1, ['slack:#nowhere', 'slack:C0SECRET', 'slack:C0OPS']))
      fake.failNext('chat.postMessage', 'invalid_auth', 1, (p) => p['channel'] === 'C0OPS')
      const r = await rig.create()
      // #nowhere resolves to nothing; C0SECRET has not invited the app; C0OPS meets a revoked token.
      await rig.drain()
      rig.clock.advance(3_600_000 - 1)
      await rig.drain()
      const res = await rig.app.inject({ method: 'GET', url: `/v1/requests/${r.id}`, headers: { authorization: 'Bearer tok-admin-000000000000000' } })
      const errors = (JSON.parse(res.body) as { delivery_errors: Array<{ channel: string; destination: string; code: string; attempts: number }> }).delivery_errors
      assert.deepEqual(
        errors.map((e) => [e.channel, e.destination, e.code, e.attempts]).sort(),
        [
          ['slack', 'C0OPS', 'invalid_auth', 1],
          ['slack', 'C0SECRET', 'not_in_channel', 1],
          ['slack', '#nowhere', 'channel_not_found', 1],
        ].sort(),
      )
      for (const [channel, code] of [['slack:#nowhere', 'channel_not_found'], ['slack:C0SECRET', 'not_in_channel'], ['slack:C0OPS', 'invalid_auth']]) {
        assert.equal(rig.services.metrics.value('signoff_channel_delivery_failures_total', { kind: 'notify', channel: channel!, code: code! }), 1, code)
      }
      assert.equal(fake.callsOf('chat.postMessage').length, 2, 'each tried once')
      assert.equal(fake.callsOf('conversations.list').length, 2, 'a missing channel is looked up once more, fresh')
      assert.ok(rig.logs.some((l) => l.level === 'error' && l.msg === 'outbox delivery failed; giving up'))
    })

    it('slack:dm fans out one DM per eligible approver Slack knows, never the requester; a click in one DM updates every DM', async () => {
      fake.addGroup('S0ONCALL', ['UDAVE', 'UBOB'])
      const rig = await open(slackPolicy(1, ['slack:dm'], ['group:sre', 'user:nobody@example.com', 'slack:S0ONCALL', 'slack:UMALLORY']))
      const r = await rig.create({ environment: 'production', service: 'api' }, { subject: 'alice@example.com', scopes: ['request'] })
      await rig.drain()
      const dms = (await store.postsFor(r.id)).map((p) => p.destination).sort()
      assert.deepEqual(dms, ['DBOB', 'DCAROL', 'DDAVE', 'DMALLORY'], 'sre minus the requester, the group members and the named user; no one without Slack')
      assert.ok(rig.logs.some((l) => l.msg === 'approver has no Slack account; no DM' && JSON.stringify(l.obj).includes('nobody@example.com')))
      const ts = fake.posts('DDAVE')[0]!.ts
      await rig.click(blockActions({ user: 'UDAVE', requestId: r.id, action: 'approve', channel: 'DDAVE', messageTs: ts, responseUrl: fake.responseUrl('dave') }))
      assert.equal((await rig.request(r.id)).status, 'approved')
      await rig.drain()
      for (const d of dms) assert.equal(hasButtons(fake.posts(d)[0]!.blocks), false, `${d} final`)
      assert.equal(fake.posts('DALICE').length, 1, 'the requester gets only the outcome')
      assert.match(fake.posts('DALICE')[0]!.text, /is approved/)
    })

    it('a slack:S… user group approves through its members only', async () => {
      fake.addGroup('S0ONCALL', ['UDAVE'])
      const rig = await open(slackPolicy(1, ['slack:#deploys'], ['slack:S0ONCALL']))
      const r = await rig.create()
      await rig.drain()
      const ts = fake.posts('C0DEPLOYS')[0]!.ts
      await rig.click(blockActions({ user: 'UMALLORY', requestId: r.id, action: 'approve', channel: 'C0DEPLOYS', messageTs: ts, responseUrl: fake.responseUrl('mallory') }))
      assert.match(String(fake.responses[0]?.body['text']), /not one of the approvers of this request \(slack:S0ONCALL\)/)
      await rig.click(blockActions({ user: 'UDAVE', requestId: r.id, action: 'approve', channel: 'C0DEPLOYS', messageTs: ts, responseUrl: fake.responseUrl('dave') }))
      const done = await rig.request(r.id)
      assert.equal(done.status, 'approved')
      assert.deepEqual(done.approvals[0]!.aliases, ['slack:UDAVE', 'slack:S0ONCALL'])
      assert.equal(fake.callsOf('usergroups.users.list').length, 1, 'membership cached')
      assert.equal(fake.callsOf('users.info').length, 2)
    })
  })
}
