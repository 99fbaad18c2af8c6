import { test } from 'node:test'
import assert from 'node:assert/strict'
import { BuiltinRegistry, type BuiltinContext } from '../src/builtins/builtin.js'
import { register as runtime } from '../src/builtins/runtime.js'
import { register as trace, traceNotes } from '../src/builtins/trace.js'
import { register as netLookup } from '../src/builtins/net-lookup.js'
import { register as aws } from '../src/builtins/providers-aws.js'
import { stopNetworkWorker } from '../src/builtins/http-worker.js'
import { fromJS, toJS } from '../src/value/json.js'
import { context } from './crypto-harness.js'

type Obj = Record<string, unknown>
const reg = new BuiltinRegistry()
for (const f of [runtime, trace, netLookup, aws]) f(reg)
const call = (ctx: BuiltinContext, name: string, ...args: unknown[]): unknown => toJS(reg.get(name)!.impl(args.map((a) => fromJS(a)), ctx)!)

test('opa.runtime shows the environment the engine was given', () => {
  const r = call(context({ env: { REGION: 'eu' } }), 'opa.runtime') as Obj
  assert.deepEqual(r.env, { REGION: 'eu' })
  assert.equal(typeof r.version, 'string')
})

test('trace returns true and records notes in order', () => {
  const ctx = context()
  assert.equal(call(ctx, 'trace', 'one'), true)
  assert.equal(call(ctx, 'trace', 'two'), true)
  assert.deepEqual(traceNotes(ctx), ['one', 'two'])
  assert.throws(() => call(ctx, 'trace', 1), /operand 1 must be string but got number/)
})

test('net.lookup_ip_addr resolves through the worker, and is refused without network', async () => {
  const ctx = context({ allowNet: true })
  const addrs = call(ctx, 'net.lookup_ip_addr', 'localhost') as string[]
  assert.ok(addrs.includes('127.0.0.1') || addrs.includes('::1'), `got ${addrs.join(',')}`)
  assert.equal(ctx.ndCache.size, 1)
  assert.throws(() => call(ctx, 'net.lookup_ip_addr', 'no-such-host.invalid'), /lookup no-such-host\.invalid: no such host/)
  assert.throws(() => call(context({ allowNet: false }), 'net.lookup_ip_addr', 'localhost'), /unallowed host: localhost/)
  await stopNetworkWorker()
})

const AWS_KEYS = { aws_access_key: 'AKIDEXAMPLE', aws_secret_access_key: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', aws_region: 'us-east-1', aws_service: 'service' }
// 2015-08-30T12:36:00Z, the date of AWS's SigV4 test suite.
const AWS_TIME = 1440938160000000000

test("providers.aws.sign_req matches AWS's get-vanilla SigV4 test vector", () => {
  const r = call(context(), 'providers.aws.sign_req', { method: 'GET', url: 'https://example.amazonaws.com/' }, AWS_KEYS, AWS_TIME) as Obj
  assert.deepEqual(r.headers, {
    Authorization:
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request,SignedHeaders=host;x-amz-date,Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31',
    host: 'example.amazonaws.com',
    'x-amz-date': '20150830T123600Z',
  })
  assert.equal(r.method, 'GET')
})

test('providers.aws.sign_req: s3 content hash, session token, and OPA operand errors', () => {
  const s3 = { ...AWS_KEYS, aws_service: 's3', aws_session_token: 'tok' }
  const r = call(context(), 'providers.aws.sign_req', { method: 'PUT', url: 'https://b.s3.amazonaws.com/k', raw_body: 'x' }, s3, AWS_TIME) as Obj
  const h = r.headers as Record<string, string>
  assert.equal(h['x-amz-content-sha256'], '2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881')
  assert.equal(h['x-amz-security-token'], 'tok')
  assert.match(h.Authorization!, /SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-security-token,/)
  const unsigned = call(context(), 'providers.aws.sign_req', { method: 'PUT', url: 'https://b/k' }, { ...s3, disable_payload_signing: true }, AWS_TIME) as Obj
  assert.equal((unsigned.headers as Obj)['x-amz-content-sha256'], 'UNSIGNED-PAYLOAD')
  const c = context()
  assert.throws(() => call(c, 'providers.aws.sign_req', { url: 1 }, AWS_KEYS, 0), /operand 1 missing required request parameters\(s\): \{"method"\}/)
  assert.throws(() => call(c, 'providers.aws.sign_req', { method: 1, url: 'x' }, AWS_KEYS, 0), /operand 1 invalid values for required request parameters\(s\): \{"method"\}/)
  assert.throws(() => call(c, 'providers.aws.sign_req', { method: 'GET', url: 'x' }, { aws_region: 'r' }, 0), /operand 2 missing required AWS config parameters\(s\): \{"aws_access_key", "aws_secret_access_key", "aws_service"\}/)
  assert.throws(() => call(c, 'providers.aws.sign_req', { method: 'GET', url: 'x' }, AWS_KEYS, -1), /operand 3 could not convert time_ns value into a unix timestamp/)
  assert.throws(() => call(c, 'providers.aws.sign_req', { method: 'GET', url: 'x' }, { ...AWS_KEYS, disable_payload_signing: 'no' }, 0), /operand 2 invalid value for 'disable_payload_signing' in AWS config/)
})
