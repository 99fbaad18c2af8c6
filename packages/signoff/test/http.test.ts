import { strict as assert } from 'node:assert'
import { after, before, describe, it } from 'node:test'
import type { FastifyInstance } from 'fastify'
import { buildApp } from '../src/http/index.js'
import type { SignoffServices } from '../src/services/index.js'
import type { Store } from '../src/store/index.js'
import { DIALECTS } from './dialects.js'
import { richPolicy, tempDir, testServices, type TestClock } from './fixtures.js'

const TOKENS = {
  ci: 'tok-requester-0000000000',
  alice: 'tok-alice-000000000000000',
  bob: 'tok-bob-00000000000000000',
  mallory: 'tok-mallory-0000000000000',
  admin: 'tok-admin-000000000000000',
}
const auth = (who: keyof typeof TOKENS): Record<string, string> => ({ authorization: `Bearer ${TOKENS[who]}` })

async function makeApp(store: Store, policy = richPolicy(1), logLines?: string[]): Promise<{ app: FastifyInstance; services: SignoffServices; clock: TestClock }> {
  const { services, clock } = await testServices(store, tempDir({ 'p.rego': policy }), { config: { body_limit: 2048 } })
  const app = await buildApp({
    context: { config: services.config, services, now: services.now, ready: () => true },
    ...(logLines ? { logStream: { write: (l: string) => void logLines.push(l) } } : { logger: false }),
  })
  return { app, services, clock }
}

describe('http API', () => {
  let store: Store
  let cleanup: () => Promise<void>
  let app: FastifyInstance
  let services: SignoffServices
  const logs: string[] = []
  before(async () => {
    ;({ store, cleanup } = await DIALECTS[0]!.open())
    ;({ app, services } = await makeApp(store, richPolicy(1), logs))
  })
  after(async () => {
    await app.close()
    await cleanup()
  })

  const post = (url: string, payload: unknown, who: keyof typeof TOKENS = 'ci') => app.inject({ method: 'POST', url, payload: payload as object, headers: auth(who) })

  it('creates requests: 201 with the request; final at once or pending', async () => {
    const allowed = await post('/v1/requests', { input: { environment: 'dev' } })
    assert.equal(allowed.statusCode, 201)
    assert.equal(allowed.json().status, 'allowed')
    assert.match(allowed.headers['x-request-id'] as string, /^[0-9a-f-]{36}$/)
    const pending = await post('/v1/requests', { input: { environment: 'production' } })
    assert.equal(pending.statusCode, 201)
    const body = pending.json()
    assert.equal(body.status, 'pending')
    assert.equal(body.requester, 'ci@example.com')
    assert.deepEqual(body.approval, { approvers: ['group:sre'], min_approvals: 1, channels: ['web'], timeout_seconds: 3600, self_approval: false, grant_ttl_seconds: null })
    assert.equal(body.links, undefined, 'links are for admins only')
    const asAdmin = await app.inject({ method: 'GET', url: `/v1/requests/${body.id}`, headers: auth('admin') })
    const links = asAdmin.json().links as Array<{ approver: string; url: string }>
    assert.deepEqual(links.map((l) => l.approver).sort(), ['alice@example.com', 'bob@example.com', 'carol@example.com'])
    assert.ok(links.every((l) => l.url.startsWith(`${services.config.public_url}/r/${body.id}?t=`)))
  })

  it('answers 400 precisely: malformed JSON, wrong types, unknown fields, reserved input', async () => {
    const bad = await app.inject({ method: 'POST', url: '/v1/requests', headers: { ...auth('ci'), 'content-type': 'application/json' }, payload: '{"input": ' })
    assert.equal(bad.statusCode, 400)
    assert.equal(bad.json().code, 'SIGNOFF_MALFORMED_JSON')
    const type = await post('/v1/requests', { input: 'production' })
    assert.deepEqual([type.statusCode, type.json().code, type.json().message], [400, 'SIGNOFF_VALIDATION_FAILED', 'body.input must be object'])
    const unknown = await post('/v1/requests', { input: {}, priority: 'high' })
    assert.deepEqual([unknown.statusCode, unknown.json().message], [400, 'body.priority is not a known field'])
    const missing = await post('/v1/requests', {})
    assert.equal(missing.json().message, 'body.input is required')
    const reserved = await post('/v1/requests', { input: { approvals: [] } })
    assert.deepEqual([reserved.statusCode, reserved.json().code], [400, 'SIGNOFF_RESERVED_INPUT'])
    const noCoercion = await post('/v1/requests', { input: {}, requester: 5 })
    assert.equal(noCoercion.statusCode, 400)
    const query = await app.inject({ method: 'GET', url: '/v1/requests?status=done', headers: auth('ci') })
    assert.deepEqual([query.statusCode, query.json().code], [400, 'SIGNOFF_VALIDATION_FAILED'])
  })

  it('answers 413 above the body limit and 415 for other media types', async () => {
    const big = await post('/v1/requests', { input: { blob: 'x'.repeat(4096) } })
    assert.deepEqual([big.statusCode, big.json().code], [413, 'SIGNOFF_BODY_TOO_LARGE'])
    const text = await app.inject({ method: 'POST', url: '/v1/requests', headers: { ...auth('ci'), 'content-type': 'text/plain' }, payload: 'hello' })
    assert.deepEqual([text.statusCode, text.json().code], [415, 'SIGNOFF_UNSUPPORTED_MEDIA_TYPE'])
  })

  it('answers 401 without or with an unknown token, 403 without the scope', async () => {
    const none = await app.inject({ method: 'POST', url: '/v1/requests', payload: { input: {} } })
    assert.deepEqual([none.statusCode, none.json().code], [401, 'SIGNOFF_UNAUTHENTICATED'])
    const wrong = await app.inject({ method: 'GET', url: '/v1/requests', headers: { authorization: 'Bearer tok-requester-0000000001' } })
    assert.equal(wrong.statusCode, 401)
    const scope = await post('/v1/requests', { input: {} }, 'bob')
    assert.deepEqual([scope.statusCode, scope.json().code], [403, 'SIGNOFF_FORBIDDEN'])
    const other = await post('/v1/requests', { input: {}, requester: 'someone@example.com' })
    assert.equal(other.statusCode, 403)
    const log = await app.inject({ method: 'GET', url: '/v1/decisions/verify', headers: auth('ci') })
    assert.equal(log.statusCode, 403)
  })

  it('approve / reject / cancel with the right codes: 403 ineligible, 404 unknown, 409 decided', async () => {
    const id = (await post('/v1/requests', { input: { environment: 'production', n: 1 } })).json().id
    const nobody = await post(`/v1/requests/${id}/approve`, { comment: 'me too' }, 'mallory')
    assert.deepEqual([nobody.statusCode, nobody.json().code], [403, 'SIGNOFF_NOT_ELIGIBLE'])
    const missing = await post('/v1/requests/r_nope/approve', {}, 'alice')
    assert.deepEqual([missing.statusCode, missing.json().code], [404, 'SIGNOFF_NOT_FOUND'])
    const ok = await post(`/v1/requests/${id}/approve`, { comment: 'ship it' }, 'alice')
    assert.equal(ok.statusCode, 200)
    assert.equal(ok.json().status, 'approved')
    assert.deepEqual(ok.json().approvals.map((a: { approver: string; comment: string; via: string }) => [a.approver, a.comment, a.via]), [['alice@example.com', 'ship it', 'api']])
    const late = await post(`/v1/requests/${id}/reject`, {}, 'bob')
    assert.deepEqual([late.statusCode, late.json().code], [409, 'SIGNOFF_ALREADY_DECIDED'])
    const cancel = await post(`/v1/requests/${id}/cancel`, {})
    assert.deepEqual([cancel.statusCode, cancel.json().code], [409, 'SIGNOFF_ALREADY_DECIDED'])
    const id2 = (await post('/v1/requests', { input: { environment: 'production', n: 2 } })).json().id
    assert.equal((await post(`/v1/requests/${id2}/cancel`, {}, 'alice')).json().code, 'SIGNOFF_NOT_REQUESTER')
    const cancelled = await app.inject({ method: 'POST', url: `/v1/requests/${id2}/cancel`, headers: auth('ci') })
    assert.deepEqual([cancelled.statusCode, cancelled.json().status], [200, 'cancelled'])
  })

  it('idempotency_key: same request back with 200', async () => {
    const a = await post('/v1/requests', { input: { environment: 'production', n: 3 }, idempotency_key: 'deploy-42' })
    const b = await post('/v1/requests', { input: { environment: 'production', n: 3 }, idempotency_key: 'deploy-42' })
    assert.deepEqual([a.statusCode, b.statusCode, a.json().id], [201, 200, b.json().id])
    const c = await post('/v1/requests', { input: { environment: 'production', n: 4 }, idempotency_key: 'deploy-42' })
    assert.deepEqual([c.statusCode, c.json().code], [409, 'SIGNOFF_IDEMPOTENCY_CONFLICT'])
  })

  it('lists with filters and pagination', async () => {
    const page = await app.inject({ method: 'GET', url: '/v1/requests?status=pending&limit=1', headers: auth('alice') })
    assert.equal(page.statusCode, 200)
    assert.equal(page.json().items.length, 1)
    assert.equal(page.json().items[0].status, 'pending')
    const next = await app.inject({ method: 'GET', url: `/v1/requests?status=pending&limit=1&cursor=${page.json().next_cursor}`, headers: auth('alice') })
    assert.notEqual(next.json().items[0]?.id, page.json().items[0].id)
  })

  it('long-polls /wait until the decision, and returns pending after the timeout', async () => {
    const id = (await post('/v1/requests', { input: { environment: 'production', n: 5 } })).json().id
    const quick = await app.inject({ method: 'GET', url: `/v1/requests/${id}/wait?timeout=0`, headers: auth('ci') })
    assert.deepEqual([quick.statusCode, quick.json().status], [200, 'pending'])
    const waiting = app.inject({ method: 'GET', url: `/v1/requests/${id}/wait?timeout=30`, headers: auth('ci') })
    await new Promise((r) => setTimeout(r, 50))
    await post(`/v1/requests/${id}/reject`, { comment: 'no' }, 'bob')
    const res = await waiting
    assert.equal(res.json().status, 'rejected')
    const tooLong = await app.inject({ method: 'GET', url: `/v1/requests/${id}/wait?timeout=301`, headers: auth('ci') })
    assert.equal(tooLong.statusCode, 400)
  })

  it('streams server-sent events until the request is final', async () => {
    await app.listen({ port: 0, host: '127.0.0.1' })
    const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`
    const id = (await post('/v1/requests', { input: { environment: 'production', n: 6 } })).json().id
    const res = await fetch(`${base}/v1/requests/${id}/events`, { headers: auth('ci') })
    assert.equal(res.headers.get('content-type'), 'text/event-stream; charset=utf-8')
    const reader = res.body!.getReader()
    let text = ''
    const read = async (until: RegExp): Promise<void> => {
      while (!until.test(text)) {
        const { value, done } = await reader.read()
        if (done) return
        text += Buffer.from(value).toString('utf8')
      }
    }
    await read(/"status":"pending"/)
    await post(`/v1/requests/${id}/approve`, {}, 'alice')
    await read(/"status":"approved"[\s\S]*\n\n/)
    const events = text.split('\n\n').filter((e) => e.startsWith('id:'))
    assert.deepEqual(events.map((e) => JSON.parse(e.split('data: ')[1]!).status), ['pending', 'approved'])
    assert.equal((await reader.read()).done, true, 'the stream ends after the final state')
  })

  it('serves the decision log and its verification to admins', async () => {
    const list = await app.inject({ method: 'GET', url: '/v1/decisions?limit=2', headers: auth('admin') })
    assert.equal(list.statusCode, 200)
    assert.deepEqual(list.json().items.map((e: { seq: number }) => e.seq), [1, 2])
    assert.equal(list.json().items[1].prev_hash, list.json().items[0].hash)
    const v = await app.inject({ method: 'GET', url: '/v1/decisions/verify', headers: auth('admin') })
    assert.equal(v.json().ok, true)
  })

  it('operations: healthz, readyz, Prometheus metrics, OpenAPI from the route schemas, JSON 404', async () => {
    assert.deepEqual((await app.inject('/healthz')).json(), { status: 'ok' })
    const ready = await app.inject('/readyz')
    assert.equal(ready.statusCode, 200)
    assert.equal(ready.json().policy_revision, services.policyHost!.revision)
    const metrics = await app.inject('/metrics')
    assert.match(metrics.headers['content-type'] as string, /^text\/plain/)
    assert.match(metrics.body, /signoff_requests_total\{outcome="allowed"\} \d+/)
    assert.match(metrics.body, /signoff_time_to_decision_seconds_bucket\{outcome="approved",le="\+Inf"\} \d+/)
    assert.match(metrics.body, /# TYPE signoff_channel_delivery_failures_total counter/)
    assert.match(metrics.body, /signoff_policy_reloads_total\{result="ok"\} 1/)
    const doc = (await app.inject('/openapi.json')).json()
    assert.equal(doc.openapi, '3.1.0')
    const create = doc.paths['/v1/requests'].post
    assert.deepEqual(Object.keys(create.requestBody.content['application/json'].schema.properties).sort(), ['callback_url', 'idempotency_key', 'input', 'requester'])
    assert.ok(create.responses['201'] && create.responses['413'])
    assert.deepEqual(Object.keys(doc.paths['/v1/requests/{id}/wait'].get.parameters.reduce((o: Record<string, 1>, p: { name: string }) => ({ ...o, [p.name]: 1 }), {})).sort(), ['id', 'timeout'])
    for (const p of ['/v1/requests/{id}/events', '/v1/requests/{id}/approve', '/v1/decisions/verify', '/healthz', '/metrics']) assert.ok(doc.paths[p], p)
    const nf = await app.inject('/v2/nothing')
    assert.deepEqual([nf.statusCode, nf.json().code], [404, 'SIGNOFF_ROUTE_NOT_FOUND'])
  })

  it('logs JSON with request ids and never a token', async () => {
    await app.inject({ method: 'GET', url: '/v1/requests?limit=1', headers: { ...auth('admin'), 'x-request-id': 'req-abc-123' } })
    await app.inject({ method: 'GET', url: '/r/x?t=secret-link-token' })
    const joined = logs.join('\n')
    assert.ok(logs.length > 0)
    for (const l of logs) JSON.parse(l)
    assert.match(joined, /"reqId":"req-abc-123"/)
    for (const t of Object.values(TOKENS)) assert.ok(!joined.includes(t), 'token in logs')
    assert.ok(!joined.includes('secret-link-token'))
  })
})

for (const dialect of DIALECTS.filter((d) => d.name === 'postgres')) {
  describe('postgres: two replicas on one database', () => {
    it('a waiter on one replica is woken by a decision on the other (LISTEN/NOTIFY)', async () => {
      const { store, url, schema, cleanup } = await dialect.open()
      const { Store } = await import('../src/store/index.js')
      const second = await Store.open(url, { schema: schema! })
      try {
        const a = await makeApp(store)
        const b = await makeApp(second)
        const stop = await store.listen((id) => a.services.events.emit(id))
        try {
          const id = (await a.app.inject({ method: 'POST', url: '/v1/requests', payload: { input: { environment: 'production' } }, headers: auth('ci') })).json().id
          const t0 = Date.now()
          const waiting = a.app.inject({ method: 'GET', url: `/v1/requests/${id}/wait?timeout=20`, headers: auth('ci') })
          await new Promise((r) => setTimeout(r, 100))
          const decided = await b.app.inject({ method: 'POST', url: `/v1/requests/${id}/approve`, payload: {}, headers: auth('alice') })
          assert.equal(decided.json().status, 'approved')
          assert.equal((await waiting).json().status, 'approved')
          assert.ok(Date.now() - t0 < 10_000, 'woken by NOTIFY, not by the timeout')
        } finally {
          await stop()
          await a.app.close()
          await b.app.close()
        }
      } finally {
        await second.close()
        await cleanup()
      }
    })
  })
}
