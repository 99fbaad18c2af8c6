import { strict as assert } from 'node:assert'
import { after, before, describe, it } from 'node:test'
import {
  DeliveryError,
  type Channel,
  type ChannelHost,
  type ChannelRequestView,
  type DeliveryContext,
  type PostedMessage,
  type UpdateContext,
} from '../src/channels/channel.js'
import { buildApp } from '../src/http/index.js'
import type { Caller } from '../src/services/index.js'
import type { Store } from '../src/store/index.js'
import { DIALECTS } from './dialects.js'
import { tempDir, testServices } from './fixtures.js'

const ci: Caller = { subject: 'ci@example.com', scopes: ['request'] }

/** Production needs `min` approvals from `approvers`, asked in the `rec` channel's room and by DM. */
function policy(approvers: string[], min: number): string {
  return `package signoff
decision := {
  "allow": input.approved,
  "reason": "needs approval",
  "approval": {"approvers": ${JSON.stringify(approvers)}, "min_approvals": ${min}, "channels": ["rec:room", "rec:dm"], "timeout": "1h"},
}
`
}

/**
 * A channel double that records what the outbox asks of it. `dm` fans out into one post per
 * eligible approver; failures and pauses are scripted per destination.
 */
class RecordingChannel implements Channel<string> {
  readonly name = 'rec'
  readonly interactionPath = '/rec/hook'
  readonly posts: Array<{ destination: string; status: string; attempt: number }> = []
  readonly updates: Array<{ destination: string; status: string; vote: string | null; attempt: number }> = []
  readonly outcomes: string[] = []
  readonly inbound: Array<{ body: string; contentType: string | undefined }> = []
  /** Destination → error thrown by the next update of a post there. */
  readonly failUpdate = new Map<string, DeliveryError>()
  /** Destination → error thrown by the next post there. */
  readonly failPost = new Map<string, DeliveryError>()
  /** Held before a post returns, to let a state change commit meanwhile; `onPost` says a post is in flight. */
  gate: Promise<void> | null = null
  onPost: (() => void) | null = null
  host: ChannelHost | null = null

  render(view: ChannelRequestView): string {
    return `${view.id}:${view.status}`
  }

  async post(destination: string, view: ChannelRequestView, ctx: DeliveryContext): Promise<PostedMessage | readonly PostedMessage[]> {
    const failure = this.failPost.get(destination)
    if (failure) {
      this.failPost.delete(destination)
      throw failure
    }
    this.onPost?.()
    if (this.gate) await this.gate
    const targets = destination === 'dm' ? view.eligible.map((e) => `dm-${e}`) : [destination]
    for (const t of targets) this.posts.push({ destination: t, status: view.status, attempt: ctx.attempt })
    const posted = targets.map((t) => ({ channel: this.name, destination: t, messageId: `m-${t}` }))
    return destination === 'dm' ? posted : posted[0]!
  }

  async update(message: PostedMessage, view: ChannelRequestView, ctx: UpdateContext): Promise<void> {
    const failure = this.failUpdate.get(message.destination)
    if (failure) {
      this.failUpdate.delete(message.destination)
      throw failure
    }
    this.updates.push({ destination: message.destination, status: view.status, vote: ctx.vote?.approver ?? null, attempt: ctx.attempt })
  }

  async notifyOutcome(view: ChannelRequestView): Promise<void> {
    this.outcomes.push(`${view.requester}:${view.status}`)
  }

  async interactions(inbound: { headers: Readonly<Record<string, string | undefined>>; rawBody: string }) {
    this.inbound.push({ body: inbound.rawBody, contentType: inbound.headers['content-type'] })
    return { status: 202, headers: { 'x-rec': 'yes' }, body: `got ${inbound.rawBody.length}` }
  }

  async start(host: ChannelHost): Promise<void> {
    this.host = host
  }
}

for (const dialect of DIALECTS) {
  describe(`${dialect.name}: channel delivery through the outbox`, () => {
    let store: Store
    let cleanup: () => Promise<void>
    before(async () => {
      ;({ store, cleanup } = await dialect.open())
    })
    after(async () => cleanup())

    async function setup(approvers = ['group:sre'], min = 2) {
      const rec = new RecordingChannel()
      const { services, clock } = await testServices(store, tempDir({ 'p.rego': policy(approvers, min) }), {
        services: { channels: [rec], outbox: { baseDelayMs: 1000, maxAttempts: 5 } },
      })
      await services.startChannels()
      return { rec, s: services, clock }
    }

    it('fans a DM destination out into one stored post per approver and updates each post on every change', async () => {
      const { rec, s } = await setup()
      const r = (await s.requests.create({ input: { n: 1 } }, ci)).request
      await s.worker.tick()
      const dms = ['dm-alice@example.com', 'dm-bob@example.com', 'dm-carol@example.com']
      assert.deepEqual(rec.posts.map((p) => p.destination).sort(), [...dms, 'room'])
      assert.deepEqual((await store.postsFor(r.id)).map((p) => p.destination).sort(), [...dms, 'room'])

      await s.requests.decide(r.id, { approver: 'alice@example.com', decision: 'approve', comment: 'ok', via: 'api' })
      await s.worker.tick()
      assert.deepEqual(rec.updates.map((u) => u.destination).sort(), [...dms, 'room'])
      assert.ok(rec.updates.every((u) => u.status === 'pending' && u.vote === 'alice@example.com'))
      assert.deepEqual(rec.outcomes, [])

      await s.requests.decide(r.id, { approver: 'bob@example.com', decision: 'approve', comment: null, via: 'api' })
      await s.worker.tick()
      assert.equal(rec.updates.filter((u) => u.status === 'approved' && u.vote === 'bob@example.com').length, 4)
      assert.deepEqual(rec.outcomes, ['ci@example.com:approved'], 'the requester is told once, by the one chat channel')
      assert.equal(await store.pendingOutbox(), 0)
    })

    it('keeps delivering to the other posts when one destination fails permanently, and shows the failure on the request', async () => {
      const { rec, s } = await setup()
      const r = (await s.requests.create({ input: { n: 2 } }, ci)).request
      await s.worker.tick()
      rec.failUpdate.set('room', new DeliveryError('channel_not_found', { code: 'channel_not_found', permanent: true }))
      await s.requests.decide(r.id, { approver: 'alice@example.com', decision: 'approve', comment: null, via: 'api' })
      await s.worker.tick()
      assert.equal(rec.updates.length, 3, 'the three DMs are updated')
      assert.equal(s.metrics.value('signoff_channel_delivery_failures_total', { kind: 'update', channel: 'rec', code: 'channel_not_found' }), 1)
      assert.equal(await store.pendingOutbox(), 0, 'a permanent error is not retried')

      const app = await buildApp({ context: { config: s.config, services: s, now: s.now, ready: () => true }, logger: false })
      const res = await app.inject({ method: 'GET', url: `/v1/requests/${r.id}`, headers: { authorization: 'Bearer tok-admin-000000000000000' } })
      await app.close()
      const errors = res.json().delivery_errors
      assert.equal(errors.length, 1)
      assert.deepEqual({ ...errors[0], at: undefined }, {
        kind: 'update',
        channel: 'rec',
        destination: 'room',
        code: 'channel_not_found',
        message: 'channel_not_found',
        attempts: 1,
        at: undefined,
      })
    })

    it('waits as long as the platform asked (Retry-After) before posting again', async () => {
      const { rec, s, clock } = await setup()
      rec.failPost.set('room', new DeliveryError('rate limited', { code: 'rate_limited', retryAfterMs: 30_000 }))
      const r = (await s.requests.create({ input: { n: 3 } }, ci)).request
      await s.worker.tick()
      assert.equal(rec.posts.filter((p) => p.destination === 'room').length, 0)
      clock.advance(29_999)
      await s.worker.tick()
      assert.equal(rec.posts.filter((p) => p.destination === 'room').length, 0, 'not before Retry-After, although the backoff would be 1 s')
      clock.advance(1)
      await s.worker.tick()
      assert.deepEqual(rec.posts.filter((p) => p.destination === 'room').map((p) => p.attempt), [1], 'the retry knows an earlier try failed')
      assert.equal((await store.postsFor(r.id)).length, 4)
    })

    it('never gives up on a platform that keeps asking to wait (429), however many attempts that takes', async () => {
      const { rec, s, clock } = await setup()
      const r = (await s.requests.create({ input: { n: 6 } }, ci)).request
      // maxAttempts is 5 in this setup: seven rate limits in a row, then the post goes through.
      for (let i = 0; i < 7; i++) {
        rec.failPost.set('room', new DeliveryError('rate limited', { code: 'rate_limited', retryAfterMs: 1000 }))
        await s.worker.tick()
        clock.advance(1000)
      }
      await s.worker.tick()
      assert.deepEqual(rec.posts.filter((p) => p.destination === 'room').map((p) => p.attempt), [7])
      assert.equal((await store.outboxFor(r.id)).filter((j) => j.failedAt !== null).length, 0)
    })

    it('brings a post up to date when the request changed while it was being posted', async () => {
      const { rec, s } = await setup(['group:sre'], 1)
      let open!: () => void
      rec.gate = new Promise((resolve) => (open = resolve))
      const inFlight = new Promise<void>((resolve) => (rec.onPost = resolve))
      const r = (await s.requests.create({ input: { n: 4 } }, ci)).request
      const sweep = s.worker.tick()
      await inFlight
      await s.requests.decide(r.id, { approver: 'carol@example.com', decision: 'approve', comment: null, via: 'web' })
      open()
      await sweep
      assert.ok(rec.posts.every((p) => p.status === 'pending'), 'the posts were rendered before the approval')
      await s.worker.tick()
      const latest = new Map(rec.updates.map((u) => [u.destination, u.status]))
      for (const p of await store.postsFor(r.id)) assert.equal(latest.get(p.destination), 'approved', `${p.destination} shows the outcome`)
    })

    it('lends channels a host: clicks with verified platform aliases count toward the quorum, refusals come back as values', async () => {
      const { rec, s } = await setup(['slack:U0ALICE', 'user:bob@example.com'], 2)
      const r = (await s.requests.create({ input: { n: 5 } }, ci)).request
      const host = rec.host!
      const refused = await host.decide({ requestId: r.id, approver: 'alice@example.com', decision: 'approve', comment: null, via: 'rec' })
      assert.equal(refused.ok, false)
      assert.equal(!refused.ok && refused.code, 'SIGNOFF_NOT_ELIGIBLE')
      assert.equal(!refused.ok && refused.view?.status, 'pending')
      const dry = { requestId: r.id, approver: 'alice@example.com', decision: 'reject' as const, comment: null, via: 'rec' }
      assert.equal((await host.check(dry))?.code, 'SIGNOFF_NOT_ELIGIBLE')
      assert.equal(await host.check({ ...dry, aliases: ['slack:U0ALICE'] }), null, 'a check with the alias would be taken')
      assert.equal((await host.check({ ...dry, requestId: 'nope' }))?.code, 'SIGNOFF_NOT_FOUND')
      assert.equal((await store.getRequest(r.id))!.approvals.length, 0, 'a check records nothing')
      const one = await host.decide({ requestId: r.id, approver: 'alice@example.com', aliases: ['slack:U0ALICE'], decision: 'approve', comment: null, via: 'rec' })
      assert.equal(one.ok && one.view.status, 'pending')
      const again = await host.decide({ requestId: r.id, approver: 'alice@example.com', aliases: ['slack:U0ALICE'], decision: 'approve', comment: null, via: 'rec' })
      assert.equal(!again.ok && again.code, 'SIGNOFF_ALREADY_VOTED')
      const two = await host.decide({ requestId: r.id, approver: 'bob@example.com', decision: 'approve', comment: null, via: 'rec' })
      assert.equal(two.ok && two.view.status, 'approved', 'the alias vote was kept and counted')
      assert.deepEqual((await store.getRequest(r.id))!.approvals[0]!.aliases, ['slack:U0ALICE'])
      assert.equal(await host.view('nope'), null)
      const missing = await host.decide({ requestId: 'nope', approver: 'bob@example.com', decision: 'approve', comment: null, via: 'rec' })
      assert.equal(!missing.ok && missing.code, 'SIGNOFF_NOT_FOUND')
    })

    it('keeps durable records per channel', async () => {
      const { rec } = await setup()
      const state = rec.host!.state
      await state.put('conv:b', { id: 2 })
      await state.put('conv:a', { id: 1 })
      await state.put('conv:a', { id: 3 })
      await state.put('user:x', true)
      assert.deepEqual(await state.get('conv:a'), { id: 3 })
      assert.equal(await state.get('conv:zz'), undefined)
      assert.deepEqual(await state.list('conv:'), [
        { key: 'conv:a', value: { id: 3 } },
        { key: 'conv:b', value: { id: 2 } },
      ])
      assert.equal(await store.getChannelState('other', 'conv:a'), undefined, 'records are scoped by channel')
    })

    it('serves the channel callback path with the exact bytes received, whatever the content type', async () => {
      const { rec, s } = await setup()
      const app = await buildApp({ context: { config: s.config, services: s, now: s.now, ready: () => true }, logger: false })
      const form = 'payload=%7B%22a%22%3A1%7D&x=%20'
      const a = await app.inject({ method: 'POST', url: '/rec/hook', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: form })
      const json = '{"type":"invoke",  "value":{}}'
      const b = await app.inject({ method: 'POST', url: '/rec/hook', headers: { 'content-type': 'application/json; charset=utf-8' }, payload: json })
      await app.close()
      assert.equal(a.statusCode, 202)
      assert.equal(a.headers['x-rec'], 'yes')
      assert.equal(a.body, `got ${form.length}`)
      assert.equal(b.statusCode, 202)
      assert.deepEqual(rec.inbound, [
        { body: form, contentType: 'application/x-www-form-urlencoded' },
        { body: json, contentType: 'application/json; charset=utf-8' },
      ])
    })
  })
}
