import { strict as assert } from 'node:assert'
import { generateKeyPairSync } from 'node:crypto'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { sql } from 'kysely'
import { SignoffError, type ApprovalRequest } from '../src/domain/index.js'
import { SIGNATURE_HEADER, verifyCallback, type Caller, type SignoffServices } from '../src/services/index.js'
import type { Store } from '../src/store/index.js'
import { DIALECTS } from './dialects.js'
import { TestClock, richPolicy, tempDir, testServices } from './fixtures.js'

const ci: Caller = { subject: 'ci@example.com', scopes: ['request'] }
const admin: Caller = { subject: 'root@example.com', scopes: ['admin'] }
const prod = { environment: 'production', service: 'api' }

async function refused(p: Promise<unknown>, code: string): Promise<void> {
  await assert.rejects(p, (e: unknown) => e instanceof SignoffError && e.code === code)
}

for (const dialect of DIALECTS) {
  describe(`${dialect.name}: request service`, () => {
    let store: Store
    let cleanup: () => Promise<void>
    let s: SignoffServices
    let clock: TestClock
    const policyDir = tempDir({ 'p.rego': richPolicy(2, ', "grant_ttl": "30m"') })

    before(async () => {
      ;({ store, cleanup } = await dialect.open())
      ;({ services: s, clock } = await testServices(store, policyDir))
    })
    after(async () => {
      await s.worker.stop()
      await cleanup()
    })

    const create = async (input: Record<string, unknown> = prod, extra: Record<string, unknown> = {}, caller = ci): Promise<ApprovalRequest> =>
      (await s.requests.create({ input: { ...input, nonce: Math.random() }, ...extra }, caller)).request

    it('decides allow and deny at once, with one log entry each', async () => {
      const a = await create({ environment: 'dev' })
      assert.equal(a.status, 'allowed')
      assert.equal(a.decidedAt, clock.now())
      const d = await create({ environment: 'friday' })
      assert.equal(d.status, 'denied')
      assert.equal(d.reason, 'never on friday')
      assert.deepEqual((await store.logForRequest(a.id)).map((e) => e.event), ['allowed'])
      assert.deepEqual((await store.logForRequest(d.id)).map((e) => e.event), ['denied'])
    })

    it('refuses input that sets approved or approvals', async () => {
      await refused(s.requests.create({ input: { approved: true } }, ci), 'SIGNOFF_RESERVED_INPUT')
      await refused(s.requests.create({ input: { approvals: [] } }, ci), 'SIGNOFF_RESERVED_INPUT')
    })

    it('pending → approved after the quorum of eligible approvers, with the outbox written alongside', async () => {
      const r = await create()
      assert.equal(r.status, 'pending')
      assert.equal(r.expiresAt, clock.now() + 3_600_000)
      assert.equal(r.requester, 'ci@example.com')
      const jobs = await store.outboxFor(r.id)
      assert.deepEqual(jobs.map((j) => [j.kind, j.payload['destination']]).sort(), [
        ['notify', 'alice@example.com'],
        ['notify', 'bob@example.com'],
        ['notify', 'carol@example.com'],
      ])
      await refused(s.requests.decide(r.id, { approver: 'mallory@example.com', decision: 'approve', comment: null, via: 'api' }), 'SIGNOFF_NOT_ELIGIBLE')
      const one = await s.requests.decide(r.id, { approver: 'alice@example.com', decision: 'approve', comment: 'lgtm', via: 'api' })
      assert.equal(one.status, 'pending')
      await refused(s.requests.decide(r.id, { approver: 'alice@example.com', decision: 'approve', comment: null, via: 'web' }), 'SIGNOFF_ALREADY_VOTED')
      const two = await s.requests.decide(r.id, { approver: 'bob@example.com', decision: 'approve', comment: null, via: 'web' })
      assert.equal(two.status, 'approved')
      assert.deepEqual(two.approvals.map((a) => [a.approver, a.via, a.groups]), [
        ['alice@example.com', 'api', ['sre']],
        ['bob@example.com', 'web', ['sre']],
      ])
      await refused(s.requests.decide(r.id, { approver: 'carol@example.com', decision: 'reject', comment: null, via: 'api' }), 'SIGNOFF_ALREADY_DECIDED')
      assert.deepEqual((await store.logForRequest(r.id)).map((e) => e.event), ['pending', 'approval', 'approval', 'approved'])
      assert.equal((await s.requests.get(r.id)).status, 'approved')
    })

    it('the policy sees approved/approvals/requester/request in its input', async () => {
      const dir = tempDir({
        'p.rego': `package signoff
import rego.v1
default allowed := false
allowed if {
  input.approved
  input.approvals[0].approver.email == "alice@example.com"
}
decision := {"allow": allowed, "reason": sprintf("%s by %s", [input.request.id, input.requester.email]),
  "approval": {"approvers": ["user:alice@example.com"], "min_approvals": 1}} if {
  every a in input.approvals { a.approver.email == "alice@example.com"; "sre" in a.approver.groups; a.via == "api" }
}`,
      })
      const local = await testServices(store, dir, { clock })
      const r = (await local.services.requests.create({ input: { x: Math.random() } }, ci)).request
      assert.equal(r.reason, `${r.id} by ci@example.com`)
      const done = await local.services.requests.decide(r.id, { approver: 'alice@example.com', decision: 'approve', comment: null, via: 'api' })
      assert.equal(done.status, 'approved')
    })

    it('an eligible rejection rejects at once', async () => {
      const r = await create()
      const out = await s.requests.decide(r.id, { approver: 'carol@example.com', decision: 'reject', comment: 'not today', via: 'api' })
      assert.equal(out.status, 'rejected')
      assert.equal(out.decidedAt, clock.now())
    })

    it('refuses self-approval unless the policy allows it', async () => {
      const r = await create(prod, {}, { subject: 'alice@example.com', scopes: ['request'] })
      await refused(s.requests.decide(r.id, { approver: 'alice@example.com', decision: 'approve', comment: null, via: 'api' }), 'SIGNOFF_SELF_APPROVAL')
      const local = await testServices(store, tempDir({ 'p.rego': richPolicy(1, ', "self_approval": true') }), { clock })
      const own = (await local.services.requests.create({ input: { ...prod, k: 1 } }, { subject: 'alice@example.com', scopes: ['request'] })).request
      assert.equal((await local.services.requests.decide(own.id, { approver: 'alice@example.com', decision: 'approve', comment: null, via: 'api' })).status, 'approved')
    })

    it('two approvers at once on a quorum of one: exactly one outcome', async () => {
      const local = await testServices(store, tempDir({ 'p.rego': richPolicy(1) }), { clock })
      for (let round = 0; round < 5; round++) {
        const r = (await local.services.requests.create({ input: { ...prod, round } }, ci)).request
        const results = await Promise.allSettled([
          local.services.requests.decide(r.id, { approver: 'alice@example.com', decision: 'approve', comment: null, via: 'api' }),
          local.services.requests.decide(r.id, { approver: 'bob@example.com', decision: 'reject', comment: null, via: 'web' }),
        ])
        const won = results.filter((x) => x.status === 'fulfilled')
        const lost = results.filter((x) => x.status === 'rejected')
        assert.equal(won.length, 1)
        assert.equal(lost.length, 1)
        assert.equal(((lost[0] as PromiseRejectedResult).reason as SignoffError).code, 'SIGNOFF_ALREADY_DECIDED')
        const final = await local.services.requests.get(r.id)
        assert.equal(final.status, (won[0] as PromiseFulfilledResult<ApprovalRequest>).value.status)
        assert.equal(final.approvals.length, 1)
        const finals = (await store.logForRequest(r.id)).filter((e) => ['approved', 'rejected'].includes(e.event))
        assert.equal(finals.length, 1)
      }
    })

    it('an approval racing the expiry: exactly one outcome', async () => {
      const c = new TestClock(clock.now())
      const svc = (await testServices(store, tempDir({ 'p.rego': richPolicy(1) }), { clock: c })).services
      for (let round = 0; round < 5; round++) {
        const r = (await svc.requests.create({ input: { ...prod, race: round, at: c.now() } }, ci)).request
        c.advance(3_600_000 - 1)
        const [approved, expired] = await Promise.allSettled([
          svc.requests.decide(r.id, { approver: 'alice@example.com', decision: 'approve', comment: null, via: 'api' }),
          (async () => {
            c.advance(1)
            return svc.requests.expire(r.id)
          })(),
        ])
        const final = await svc.requests.get(r.id)
        const events = (await store.logForRequest(r.id)).map((e) => e.event).filter((e) => e === 'approved' || e === 'expired')
        assert.equal(events.length, 1, `round ${round}: ${events}`)
        assert.equal(final.status, events[0])
        if (final.status === 'approved') assert.equal(expired.status === 'fulfilled' && expired.value, false)
        else assert.equal(approved.status, 'rejected')
        c.advance(1000)
      }
    })

    it('expires due requests through the worker sweep, and cancels only for the requester', async () => {
      const r = await create()
      await refused(s.requests.cancel(r.id, { subject: 'bob@example.com', scopes: ['request'] }, null), 'SIGNOFF_NOT_REQUESTER')
      const c = await s.requests.cancel(r.id, ci, 'changed my mind')
      assert.equal(c.status, 'cancelled')
      await refused(s.requests.cancel(r.id, ci, null), 'SIGNOFF_ALREADY_DECIDED')
      const late = await create()
      clock.advance(3_600_000)
      assert.ok((await s.requests.expireDue()) >= 1)
      assert.equal((await s.requests.get(late.id)).status, 'expired')
      await refused(s.requests.decide(late.id, { approver: 'bob@example.com', decision: 'approve', comment: null, via: 'api' }), 'SIGNOFF_ALREADY_DECIDED')
      const byAdmin = await create()
      assert.equal((await s.requests.cancel(byAdmin.id, admin, null)).status, 'cancelled')
    })

    it('idempotency_key returns the same request; a different input under it is a conflict', async () => {
      const input = { environment: 'production', idem: 1 }
      const [a, b] = await Promise.all([
        s.requests.create({ input, idempotencyKey: `k-${dialect.name}` }, ci),
        s.requests.create({ input, idempotencyKey: `k-${dialect.name}` }, ci),
      ])
      assert.equal(a.request.id, b.request.id)
      assert.deepEqual([a.created, b.created].sort(), [false, true])
      await refused(s.requests.create({ input: { ...input, idem: 2 }, idempotencyKey: `k-${dialect.name}` }, ci), 'SIGNOFF_IDEMPOTENCY_CONFLICT')
    })

    it('grant_ttl: an identical input is allowed again without asking, until the grant expires', async () => {
      const input = { environment: 'production', grant: dialect.name }
      const r = (await s.requests.create({ input }, ci)).request
      await s.requests.decide(r.id, { approver: 'alice@example.com', decision: 'approve', comment: null, via: 'api' })
      await s.requests.decide(r.id, { approver: 'bob@example.com', decision: 'approve', comment: null, via: 'api' })
      clock.advance(60_000)
      const again = (await s.requests.create({ input: { grant: dialect.name, environment: 'production' } }, ci)).request
      assert.equal(again.status, 'allowed')
      assert.match(again.reason ?? '', new RegExp(r.id))
      assert.deepEqual((await store.logForRequest(again.id)).map((e) => e.event), ['reused'])
      clock.advance(30 * 60_000)
      assert.equal((await s.requests.create({ input }, ci)).request.status, 'pending')
    })

    it('wait returns at once when final, after the timeout when not, and on the change in between', async () => {
      const done = await create({ environment: 'dev' })
      assert.equal((await s.requests.wait(done.id, 5000)).status, 'allowed')
      const r = await create()
      const t0 = Date.now()
      assert.equal((await s.requests.wait(r.id, 150)).status, 'pending')
      assert.ok(Date.now() - t0 >= 140)
      const waiting = s.requests.wait(r.id, 10_000)
      setTimeout(() => void s.requests.decide(r.id, { approver: 'carol@example.com', decision: 'reject', comment: null, via: 'api' }), 50)
      const t1 = Date.now()
      assert.equal((await waiting).status, 'rejected')
      assert.ok(Date.now() - t1 < 5000)
      await refused(s.requests.wait('nope', 10), 'SIGNOFF_NOT_FOUND')
    })

    it('the decision log verifies, and names the first entry edited in the database', async () => {
      const ok = await s.decisionLog.verify()
      assert.equal(ok.ok, true)
      const victim = (await store.logEntries(0, 3))[2]!
      await sql`update decision_log set actor = 'mallory@example.com' where seq = ${victim.seq}`.execute(store.db)
      const bad = await s.decisionLog.verify()
      assert.equal(bad.ok, false)
      assert.deepEqual(!bad.ok && [bad.seq, bad.id], [victim.seq, victim.id])
      await sql`update decision_log set actor = ${victim.actor} where seq = ${victim.seq}`.execute(store.db)
      assert.equal((await s.decisionLog.verify()).ok, true)
      const head = await store.logHead()
      await sql`delete from decision_log where seq = ${head.seq}`.execute(store.db)
      const cut = await s.decisionLog.verify()
      assert.equal(!cut.ok && cut.seq, head.seq)
    })
  })

  describe(`${dialect.name}: outbox, callbacks, export, checkpoints`, () => {
    let store: Store
    let cleanup: () => Promise<void>
    before(async () => {
      ;({ store, cleanup } = await dialect.open())
    })
    after(async () => cleanup())

    it('delivers notifications and signed callbacks, retrying with backoff until the receiver answers', async () => {
      const calls: Array<{ url: string; body: string; sig: string }> = []
      let failures = 2
      const fakeFetch = (async (url: string, init: RequestInit) => {
        calls.push({ url, body: String(init.body), sig: new Headers(init.headers).get(SIGNATURE_HEADER) ?? '' })
        return new Response(null, { status: failures-- > 0 ? 503 : 204 })
      }) as unknown as typeof fetch
      const { services: s, clock } = await testServices(store, tempDir({ 'p.rego': richPolicy(1) }), {
        services: { fetch: fakeFetch, outbox: { baseDelayMs: 1000, maxAttempts: 5 } },
      })
      const r = (await s.requests.create({ input: prod, callbackUrl: 'http://127.0.0.1:9/hook' }, ci)).request
      await s.worker.tick()
      assert.deepEqual((await store.postsFor(r.id)).map((p) => p.destination).sort(), ['alice@example.com', 'bob@example.com', 'carol@example.com'])
      await s.requests.decide(r.id, { approver: 'bob@example.com', decision: 'approve', comment: null, via: 'api' })
      await s.worker.tick()
      assert.equal(calls.length, 1)
      await s.worker.tick()
      assert.equal(calls.length, 1, 'not retried before its backoff')
      clock.advance(1000)
      await s.worker.tick()
      clock.advance(2000)
      await s.worker.tick()
      assert.equal(calls.length, 3)
      const last = calls[2]!
      assert.equal(JSON.parse(last.body).status, 'approved')
      assert.ok(verifyCallback(s.secret, last.body, last.sig, clock.now()))
      assert.ok(!verifyCallback(s.secret, last.body.replace('approved', 'rejected'), last.sig, clock.now()))
      const cb = (await store.outboxFor(r.id)).find((j) => j.kind === 'callback')!
      assert.equal(cb.attempts, 2)
      assert.equal(cb.doneAt, clock.now())
      assert.equal(s.metrics.value('signoff_channel_delivery_failures_total', { kind: 'callback', channel: 'callback', code: 'http_503' }), 2)
      assert.equal(await store.pendingOutbox(), 0)
    })

    it('gives up after maxAttempts and keeps the error', async () => {
      const fakeFetch = (async () => new Response('', { status: 500 })) as unknown as typeof fetch
      const { services: s, clock } = await testServices(store, tempDir({ 'p.rego': richPolicy(1) }), { services: { fetch: fakeFetch, outbox: { baseDelayMs: 10, maxAttempts: 2 } } })
      const r = (await s.requests.create({ input: { environment: 'dev' }, callbackUrl: 'http://127.0.0.1:9/x' }, ci)).request
      await s.worker.tick()
      clock.advance(10)
      await s.worker.tick()
      const cb = (await store.outboxFor(r.id)).find((j) => j.kind === 'callback')!
      assert.equal(cb.attempts, 2)
      assert.notEqual(cb.doneAt, null)
      assert.equal(cb.lastError, 'callback answered 500')
      assert.equal(cb.lastCode, 'http_500')
      assert.equal(cb.failedAt, clock.now())
    })

    it('exports OPA decision-log events and signs checkpoints that verify', async () => {
      const { privateKey } = generateKeyPairSync('ed25519')
      const keyFile = join(tempDir(), 'key.pem')
      writeFileSync(keyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }))
      const { services: s } = await testServices(store, tempDir({ 'p.rego': richPolicy(1) }), { config: { checkpoint_key: keyFile } })
      const r = (await s.requests.create({ input: { environment: 'dev', exported: true } }, ci)).request
      await s.worker.tick()
      const cps = await store.checkpoints()
      assert.equal(cps.at(-1)!.seq, (await store.logHead()).seq)
      assert.equal((await s.decisionLog.verify()).ok, true)
      const lines: string[] = []
      const n = await s.decisionLog.export((l) => void lines.push(l))
      assert.equal(n, lines.length)
      const ev = lines.map((l) => JSON.parse(l)).find((e) => e.labels.request_id === r.id)
      assert.deepEqual(ev.input, { environment: 'dev', exported: true })
      assert.deepEqual(ev.result, { allow: true })
      assert.equal(ev.path, 'signoff')
      assert.match(ev.decision_id, /^d_/)
      assert.ok(!Number.isNaN(Date.parse(ev.timestamp)))
      await sql`update checkpoints set signature = ${Buffer.alloc(64).toString('base64')}`.execute(store.db)
      const bad = await s.decisionLog.verify()
      assert.equal(bad.ok, false)
      assert.match(!bad.ok ? bad.reason : '', /bad signature/)
    })
  })
}
