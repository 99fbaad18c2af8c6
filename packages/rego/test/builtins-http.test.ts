import { after, before, test } from 'node:test'
import { rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import assert from 'node:assert/strict'
import { BuiltinRegistry, type BuiltinContext } from '../src/builtins/builtin.js'
import { register } from '../src/builtins/http.js'
import { clearHttpSendCache, parseDuration } from '../src/builtins/http.js'
import { stopNetworkWorker } from '../src/builtins/http-worker.js'
import { fromJS, toJS } from '../src/value/json.js'
import { context, fixture } from './crypto-harness.js'
import { startTestServer, type TestServer } from './http-test-server.js'

type Obj = Record<string, unknown>

const reg = new BuiltinRegistry()
register(reg)
let server: TestServer
const socket = join(tmpdir(), `signoff-http-${process.pid}.sock`)

before(async () => {
  server = await startTestServer({ key: fixture('leaf.key'), cert: fixture('leaf.pem') + fixture('inter.pem') }, socket)
})
after(async () => {
  await server.close()
  rmSync(socket, { force: true })
  await stopNetworkWorker()
})

const netCtx = (o: Partial<BuiltinContext> = {}): BuiltinContext => context({ allowNet: true, ...o })

function send(req: Obj, ctx: BuiltinContext = netCtx()): Obj {
  return toJS(reg.get('http.send')!.impl([fromJS(req)], ctx)!) as Obj
}

test('GET decodes JSON bodies and lower-cases headers into lists', () => {
  const r = send({ method: 'get', url: `${server.url}/json` })
  assert.equal(r.status_code, 200)
  assert.equal(r.status, '200 OK')
  assert.deepEqual(r.body, { hello: 'world', n: 1 })
  assert.equal(r.raw_body, '{"hello":"world","n":1}')
  assert.deepEqual((r.headers as Obj)['x-multi'], ['a', 'b'])
  assert.deepEqual((r.headers as Obj)['content-type'], ['application/json; charset=utf-8'])
})

test('YAML bodies are decoded; other types only with force_json_decode', () => {
  assert.deepEqual(send({ method: 'GET', url: `${server.url}/yaml` }).body, { a: 1, b: ['x', 'y'] })
  assert.equal(send({ method: 'GET', url: `${server.url}/text` }).body, null)
  assert.deepEqual(send({ method: 'GET', url: `${server.url}/text`, force_json_decode: true }).body, { not: 'decoded' })
})

test('POST sends the JSON body, raw_body and headers', () => {
  const r = send({ method: 'POST', url: `${server.url}/echo`, body: { a: [1, 2], b: '<x>' }, headers: { 'X-Token': 't1' } })
  const echo = r.body as Obj
  assert.equal(echo.method, 'POST')
  assert.equal(echo.body, '{"a":[1,2],"b":"\\u003cx\\u003e"}')
  assert.equal((echo.headers as Obj)['x-token'], 't1')
  const raw = send({ method: 'PUT', url: `${server.url}/echo`, raw_body: 'plain text' }).body as Obj
  assert.equal(raw.body, 'plain text')
})

test('redirects are followed only with enable_redirect', () => {
  assert.equal(send({ method: 'GET', url: `${server.url}/redirect` }).status_code, 302)
  const r = send({ method: 'GET', url: `${server.url}/redirect`, enable_redirect: true })
  assert.equal(r.status_code, 200)
  assert.deepEqual(r.body, { hello: 'world', n: 1 })
})

test('non-2xx statuses are responses, not errors', () => {
  const r = send({ method: 'GET', url: `${server.url}/missing` })
  assert.equal(r.status_code, 404)
  assert.equal(r.raw_body, 'nope')
})

test('timeouts raise an error, or return it with raise_error: false', () => {
  const start = Date.now()
  assert.throws(() => send({ method: 'GET', url: `${server.url}/slow`, timeout: '200ms' }), /Get http:\/\/127\.0\.0\.1:\d+\/slow: request timed out/)
  assert.ok(Date.now() - start < 1400, 'the timeout cut the request short')
  const r = send({ method: 'GET', url: `${server.url}/slow`, timeout: 200_000_000, raise_error: false })
  assert.equal(r.status_code, 0)
  assert.equal((r.error as Obj).code, 'eval_http_send_network_error')
  // A string of digits is nanoseconds too; anything else must be a Go duration.
  assert.throws(() => send({ method: 'GET', url: `${server.url}/slow`, timeout: '200000000' }), /request timed out/)
  assert.throws(() => send({ method: 'GET', url: `${server.url}/json`, timeout: '5 seconds' }), /invalid timeout value "5 seconds": time: invalid duration "5 seconds"/)
  assert.throws(() => send({ method: 'GET', url: `${server.url}/json`, timeout: {} }), /operand 1 'timeout' must be one of \{string, number\} but got object/)
})

test('connection errors read like Go url.Error', () => {
  assert.throws(() => send({ method: 'GET', url: 'http://127.0.0.1:1/' }), /Get "http:\/\/127\.0\.0\.1:1\/": dial tcp 127\.0\.0\.1:1: connect: connection refused/)
})

test('identical requests in one evaluation share one response; cache: true spans evaluations', () => {
  clearHttpSendCache()
  const ctx = netCtx()
  const req = { method: 'GET', url: `${server.url}/count?cc=no-store` }
  const a = send(req, ctx).body as Obj
  assert.deepEqual(send(req, ctx).body, a)
  assert.notDeepEqual(send(req).body, a) // a new evaluation sends again
  const cached = { method: 'GET', url: `${server.url}/count`, cache: true }
  const c1 = send(cached).body
  assert.deepEqual(send(cached).body, c1) // max-age=60
  const forced = { method: 'GET', url: `${server.url}/count?cc=no-store`, force_cache: true, force_cache_duration_seconds: 60 }
  const f1 = send(forced).body
  assert.deepEqual(send(forced).body, f1)
  assert.throws(() => send({ method: 'GET', url: `${server.url}/count`, force_cache: true }), /'force_cache' set but 'force_cache_duration_seconds' parameter is missing/)
})

test('results are recorded in the non-deterministic built-in cache', () => {
  const ctx = netCtx()
  send({ method: 'GET', url: `${server.url}/json` }, ctx)
  assert.equal(ctx.ndCache.size, 1)
  const [key] = ctx.ndCache.keys()
  assert.match(key!, /^http\.send\(\[\{"method":"GET","url":"http:\/\/127\.0\.0\.1:\d+\/json"\}\]\)$/)
})

test('request validation: OPA operand errors', () => {
  assert.throws(() => send({ method: 'GET' }), /operand 1 missing required request parameters\(s\): \{"url"\}/)
  assert.throws(() => send({ method: 'GET', url: 'x', foo: 1, bar: 2 }), /operand 1 invalid request parameters\(s\): \{"bar", "foo"\}/)
  const r = send({ url: 'x', raise_error: false })
  assert.equal((r.error as Obj).code, 'eval_http_send_internal_error')
})

test('http.send is disabled when the network is not allowed', () => {
  assert.throws(() => send({ method: 'GET', url: `${server.url}/json` }, context({ allowNet: false })), /http\.send is disabled/)
})

test('TLS: custom CA and server name, insecure skip verify, untrusted by default', () => {
  const url = `${server.httpsUrl}/json`
  const ok = send({ method: 'GET', url, tls_ca_cert: fixture('root.pem'), tls_server_name: 'svc.signoff.test' })
  assert.equal(ok.status_code, 200)
  assert.equal(send({ method: 'GET', url, tls_insecure_skip_verify: true }).status_code, 200)
  assert.throws(() => send({ method: 'GET', url }), /Get "https:\/\/127\.0\.0\.1:\d+\/json"/)
})

test('Go durations', () => {
  assert.equal(parseDuration('1.5s'), 1500)
  assert.equal(parseDuration('1m30s'), 90000)
  assert.equal(parseDuration('250ms'), 250)
  assert.equal(parseDuration('5'), undefined)
  assert.equal(parseDuration('abc'), undefined)
})

test('stale cached responses are revalidated with their ETag', () => {
  clearHttpSendCache()
  const req = { method: 'GET', url: `${server.url}/etag`, cache: true }
  const first = send(req)
  const again = send(req) // max-age=0: stale at once, revalidated with If-None-Match
  assert.deepEqual(again.body, first.body)
  assert.equal(again.status_code, 200)
  assert.ok(((again.headers as Obj)['x-revalidated'] as string[])[0], 'the 304 headers are merged in')
})

test('a Date in the future makes a response stale; uncacheable statuses are never reused', () => {
  clearHttpSendCache()
  const future = { method: 'GET', url: `${server.url}/future-date`, cache: true }
  assert.notDeepEqual(send(future).body, send(future).body)
  const ctx = netCtx()
  const teapot = { method: 'GET', url: `${server.url}/teapot` }
  assert.notEqual(send(teapot, ctx).raw_body, send(teapot, ctx).raw_body)
})

test('unix:// URLs go over a Unix domain socket', () => {
  const r = send({ method: 'GET', url: `unix://localhost/json?socket=${encodeURIComponent(socket)}` })
  assert.deepEqual(r.body, { hello: 'world', n: 1 })
})
