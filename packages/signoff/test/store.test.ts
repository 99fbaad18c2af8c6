import { strict as assert } from 'node:assert'
import { after, before, describe, it } from 'node:test'
import { chainEntry } from '../src/decision-log/index.js'
import { GENESIS_HASH, type ApprovalRequest } from '../src/domain/index.js'
import { newId, type Store } from '../src/store/index.js'
import { DIALECTS } from './dialects.js'

function request(id: string, over: Partial<ApprovalRequest> = {}): ApprovalRequest {
  return {
    id,
    status: 'pending',
    input: { resource: 'production', n: 1.5, nested: { a: [1, 'x'] } },
    digest: 'd'.repeat(64),
    requester: 'ci@example.com',
    reason: 'because',
    spec: { approvers: ['group:sre'], minApprovals: 1, channels: ['web'], timeoutMs: 60_000, selfApproval: false, grantTtlMs: null },
    approvals: [],
    createdAt: 1_700_000_000_000,
    expiresAt: 1_700_000_060_000,
    decidedAt: null,
    idempotencyKey: null,
    callbackUrl: null,
    policyRevision: 'rev',
    result: { allow: false },
    version: 1,
    ...over,
  }
}

for (const dialect of DIALECTS) {
  describe(`${dialect.name}: store`, () => {
    let store: Store
    let cleanup: () => Promise<void>
    before(async () => {
      ;({ store, cleanup } = await dialect.open())
    })
    after(async () => cleanup())

    it('round-trips a request with its JSON columns and big timestamps', async () => {
      const r = request('r-roundtrip')
      await store.transaction((tx) => tx.insertRequest(r))
      assert.deepEqual(await store.getRequest('r-roundtrip'), r)
      assert.equal(await store.getRequest('missing'), null)
    })

    it('re-running migrations applies nothing', async () => {
      const m = await store.migrate()
      assert.deepEqual(m, { ok: true, applied: [] })
    })

    it('compare-and-swap: only the writer holding the current version wins', async () => {
      const r = request('r-cas')
      await store.transaction((tx) => tx.insertRequest(r))
      const results = await Promise.all([
        store.transaction((tx) => tx.compareAndSwap(1, { ...r, status: 'approved', decidedAt: 5 })),
        store.transaction((tx) => tx.compareAndSwap(1, { ...r, status: 'expired', decidedAt: 6 })),
      ])
      assert.deepEqual(results.filter(Boolean).length, 1)
      const now = await store.getRequest('r-cas')
      assert.equal(now!.version, 2)
      assert.ok(now!.status === (results[0] ? 'approved' : 'expired'))
      assert.equal(await store.transaction((tx) => tx.compareAndSwap(1, { ...r, status: 'rejected' })), false)
    })

    it('a second insert with the same idempotency key is refused, not an error', async () => {
      assert.equal(await store.transaction((tx) => tx.insertRequest(request('r-k1', { idempotencyKey: 'key-1' }))), true)
      assert.equal(await store.transaction((tx) => tx.insertRequest(request('r-k2', { idempotencyKey: 'key-1' }))), false)
      assert.equal((await store.findByIdempotencyKey('key-1'))!.id, 'r-k1')
    })

    it('a failed transaction leaves no trace (request, outbox and log together)', async () => {
      await assert.rejects(
        store.transaction(async (tx) => {
          await tx.insertRequest(request('r-rollback'))
          await tx.enqueue('notify', 'r-rollback', { channel: 'web' }, 1)
          throw new Error('boom')
        }),
        /boom/,
      )
      assert.equal(await store.getRequest('r-rollback'), null)
      assert.equal((await store.outboxFor('r-rollback')).length, 0)
    })

    it('appends a gap-free hash chain, also under concurrent appends', async () => {
      const before = await store.logHead()
      await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          store.transaction((tx) =>
            tx.appendLog((seq, prev) =>
              chainEntry({ id: newId('d', i), at: i, requestId: 'r-log', event: 'created', actor: null, inputDigest: 'x', policyRevision: 'p', result: { i } }, seq, prev),
            ),
          ),
        ),
      )
      const entries = await store.logEntries(before.seq, 100)
      assert.equal(entries.length, 10)
      let prev = before.seq === 0 ? GENESIS_HASH : before.hash
      entries.forEach((e, i) => {
        assert.equal(e.seq, before.seq + i + 1)
        assert.equal(e.prevHash, prev)
        prev = e.hash
      })
      assert.deepEqual(await store.logHead(), { seq: before.seq + 10, hash: prev })
    })

    it('claims due outbox jobs once until their lease ends', async () => {
      await store.transaction(async (tx) => {
        await tx.enqueue('notify', 'r-o', { channel: 'web' }, 1000)
        await tx.enqueue('callback', 'r-o', {}, 5000)
      })
      const [a, b] = await Promise.all([store.claimOutbox(2000, 10_000, 10), store.claimOutbox(2000, 10_000, 10)])
      const claimed = [...a!, ...b!].filter((j) => j.requestId === 'r-o')
      assert.equal(claimed.length, 1)
      assert.equal(claimed[0]!.kind, 'notify')
      assert.equal((await store.claimOutbox(2000, 10_000, 10)).filter((j) => j.requestId === 'r-o').length, 0)
      await store.retryOutbox(claimed[0]!.id, 1, 3000, { code: 'http_503', message: 'down' }, 2000)
      const later = (await store.claimOutbox(6000, 10_000, 10)).filter((j) => j.requestId === 'r-o')
      assert.deepEqual(later.map((j) => [j.kind, j.attempts]).sort(), [['callback', 0], ['notify', 1]])
      for (const j of later) await store.completeOutbox(j.id, 6000)
      assert.ok((await store.outboxFor('r-o')).every((j) => j.doneAt === 6000))
    })

    it('a web link nonce is claimed once', async () => {
      const claims = await Promise.all([1, 2, 3].map(() => store.transaction((tx) => tx.claimLink('nonce-1', 'r1', 'a@x', 1))))
      assert.equal(claims.filter(Boolean).length, 1)
      assert.equal(await store.isLinkUsed('nonce-1'), true)
      assert.equal(await store.isLinkUsed('nonce-2'), false)
    })

    it('lists newest first with filters and a cursor', async () => {
      for (let i = 0; i < 5; i++) {
        await store.transaction((tx) =>
          tx.insertRequest(request(`r-list-${i}`, { createdAt: 2_000_000_000_000 + i, requester: i % 2 ? 'odd@x' : 'even@x', status: i === 4 ? 'approved' : 'pending' })),
        )
      }
      const p1 = await store.listRequests({ limit: 2, createdFrom: 2_000_000_000_000 })
      assert.deepEqual(p1.items.map((r) => r.id), ['r-list-4', 'r-list-3'])
      const p2 = await store.listRequests({ limit: 2, createdFrom: 2_000_000_000_000, cursor: p1.nextCursor })
      assert.deepEqual(p2.items.map((r) => r.id), ['r-list-2', 'r-list-1'])
      const p3 = await store.listRequests({ limit: 2, createdFrom: 2_000_000_000_000, cursor: p2.nextCursor })
      assert.deepEqual(p3.items.map((r) => r.id), ['r-list-0'])
      assert.equal(p3.nextCursor, null)
      const odd = await store.listRequests({ limit: 10, requester: 'odd@x' })
      assert.deepEqual(odd.items.map((r) => r.id), ['r-list-3', 'r-list-1'])
      const final = await store.listRequests({ limit: 10, status: 'final', createdFrom: 2_000_000_000_000 })
      assert.deepEqual(final.items.map((r) => r.id), ['r-list-4'])
    })

    it('keeps the first value of a setting and tokens by hash', async () => {
      assert.equal(await store.setSettingIfAbsent('secret', 'one'), 'one')
      assert.equal(await store.setSettingIfAbsent('secret', 'two'), 'one')
      await store.insertToken('h1', { subject: 'admin', scopes: ['admin'] }, 1)
      assert.deepEqual(await store.findToken('h1'), { subject: 'admin', scopes: ['admin'] })
      assert.equal(await store.findToken('h2'), null)
    })
  })
}
