import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createPublicKey, generateKeyPairSync } from 'node:crypto'
import { call, callCtx, context, fixture } from './crypto-harness.js'

type Obj = Record<string, unknown>

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 })
const ec256 = generateKeyPairSync('ec', { namedCurve: 'P-256' })
const ec384 = generateKeyPairSync('ec', { namedCurve: 'P-384' })
const ec521 = generateKeyPairSync('ec', { namedCurve: 'P-521' })
const ed = generateKeyPairSync('ed25519')

const jwkOf = (k: typeof rsa.privateKey): Obj => k.export({ format: 'jwk' }) as Obj
const pemOf = (k: typeof rsa.publicKey): string => k.export({ format: 'pem', type: 'spki' }) as string

const cases: [string, typeof rsa][] = [
  ['RS256', rsa],
  ['RS384', rsa],
  ['RS512', rsa],
  ['PS256', rsa],
  ['PS384', rsa],
  ['PS512', rsa],
  ['ES256', ec256],
  ['ES384', ec384],
  ['ES512', ec521],
  ['EdDSA', ed],
]

for (const [alg, pair] of cases) {
  test(`${alg}: encode_sign then verify and decode_verify`, () => {
    const token = call('io.jwt.encode_sign', { alg, typ: 'JWT' }, { sub: 'alice', aud: 'signoff' }, jwkOf(pair.privateKey)) as string
    const fn = alg === 'EdDSA' ? 'io.jwt.verify_eddsa' : `io.jwt.verify_${alg.toLowerCase()}`
    assert.equal(call(fn, token, pemOf(pair.publicKey)), true)
    // The public key as a JWK set works too; a different key does not.
    assert.equal(call(fn, token, JSON.stringify({ keys: [jwkOf(pair.publicKey)] })), true)
    const other = alg === 'EdDSA' ? generateKeyPairSync('ed25519') : alg.startsWith('E') ? generateKeyPairSync('ec', { namedCurve: 'P-256' }) : generateKeyPairSync('rsa', { modulusLength: 2048 })
    assert.equal(call(fn, token, pemOf(other.publicKey)), false)
    const [ok, header, payload] = call('io.jwt.decode_verify', token, { cert: pemOf(pair.publicKey), aud: 'signoff' }) as [boolean, Obj, Obj]
    assert.equal(ok, true)
    assert.equal(header.alg, alg)
    assert.equal(payload.sub, 'alice')
    assert.deepEqual(call('io.jwt.decode_verify', token, { cert: pemOf(pair.publicKey) }), [false, {}, {}]) // aud not accepted
  })
}

test('HS256/384/512 sign and verify with the secret', () => {
  const k = Buffer.from('s3cret')
  for (const bits of ['256', '384', '512']) {
    const token = call('io.jwt.encode_sign', { alg: `HS${bits}` }, { iss: 'me' }, { kty: 'oct', k: k.toString('base64url') }) as string
    assert.equal(call(`io.jwt.verify_hs${bits}`, token, 's3cret'), true)
    assert.equal(call(`io.jwt.verify_hs${bits}`, token, 'wrong'), false)
    assert.deepEqual((call('io.jwt.decode_verify', token, { secret: 's3cret', iss: 'me' }) as unknown[])[0], true)
    assert.deepEqual((call('io.jwt.decode_verify', token, { secret: 's3cret', iss: 'you' }) as unknown[])[0], false)
  }
})

test('encode_sign writes sorted keys, sets as arrays and Go-escaped strings', () => {
  const token = call('io.jwt.encode_sign', { typ: 'JWT', alg: 'HS256' }, { b: new Set(['y', 'x']), a: '<&>' }, { kty: 'oct', k: 'AA' }) as string
  const [h, p] = token.split('.')
  assert.equal(Buffer.from(h!, 'base64url').toString(), '{"alg":"HS256","typ":"JWT"}')
  assert.equal(Buffer.from(p!, 'base64url').toString(), '{"a":"\\u003c\\u0026\\u003e","b":["x","y"]}')
})

test('decode_verify checks exp and nbf against the time constraint or the evaluation clock', () => {
  const key = { kty: 'oct', k: Buffer.from('k').toString('base64url') }
  const token = call('io.jwt.encode_sign', { alg: 'HS256' }, { exp: 2000, nbf: 1000 }, key) as string
  const at = (sec: number): unknown => (call('io.jwt.decode_verify', token, { secret: 'k', time: sec * 1e9 }) as unknown[])[0]
  assert.equal(at(999), false)
  assert.equal(at(1000), true)
  assert.equal(at(1999.5), true)
  assert.equal(at(2000), false)
  const ctx = context({ timeNs: 1500n * 1_000_000_000n })
  assert.equal((callCtx(ctx, 'io.jwt.decode_verify', token, { secret: 'k' }) as unknown[])[0], true)
  const bad = call('io.jwt.encode_sign', { alg: 'HS256' }, { exp: 'soon' }, key) as string
  assert.throws(() => call('io.jwt.decode_verify', bad, { secret: 'k' }), /exp value must be a number/)
  assert.throws(() => call('io.jwt.decode_verify', token, {}), /no key constraint/)
  assert.throws(() => call('io.jwt.decode_verify', token, { secret: 'k', cert: 'x' }), /failed to parse a JWK key/)
  assert.throws(() => call('io.jwt.decode_verify', token, { secret: 'k', foo: 1 }), /unknown token validation constraint: foo/)
})

test('io.jwt.decode: errors as OPA words them', () => {
  assert.throws(() => call('io.jwt.decode', 'abc'), /encoded JWT had no period separators/)
  assert.throws(() => call('io.jwt.decode', 'a.b'), /encoded JWT must have 3 sections, found 2/)
  assert.throws(() => call('io.jwt.decode', 'eyJhbGciOiJIU^%zI1NiJ9.e30.'), /JWT header had invalid encoding: illegal base64 data at input byte 13/)
  const [h, p, s] = call('io.jwt.decode', 'eyJhbGciOiJIUzI1NiJ9.eyJhIjoxfQ.AAEC') as [Obj, Obj, string]
  assert.deepEqual([h, p, s], [{ alg: 'HS256' }, { a: 1 }, '000102'])
})

test('verify_* accepts certificates and rejects malformed PEM', () => {
  const pair = { cert: fixture('leaf.pem'), key: fixture('leaf.key') }
  const jwk = createPublicKey(pair.cert).export({ format: 'jwk' })
  assert.equal(jwk.kty, 'RSA')
  const priv = JSON.stringify((call('crypto.x509.parse_rsa_private_key', fixture('leaf-pkcs1.key')) as Obj))
  const token = call('io.jwt.encode_sign_raw', '{"alg":"RS256"}', '{"x":1}', priv) as string
  assert.equal(call('io.jwt.verify_rs256', token, pair.cert), true)
  assert.throws(() => call('io.jwt.verify_rs256', token, pair.cert + 'extra'), /extra data after a PEM certificate block/)
  assert.throws(() => call('io.jwt.verify_rs256', token, pair.key), /failed to extract a Key from the PEM certificate/)
})

test('encode_sign_raw keeps the literal header and payload', () => {
  const k = '{"kty":"oct","k":"AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow"}'
  const token = call('io.jwt.encode_sign_raw', '{"typ":"text/plain", "alg":"HS256"}', 'plain', k) as string
  assert.equal(Buffer.from(token.split('.')[1]!, 'base64url').toString(), 'plain')
  assert.throws(() => call('io.jwt.encode_sign_raw', '{"alg":"HS256"}', 'plain', k), /type is JWT but payload is not JSON/)
  assert.throws(() => call('io.jwt.encode_sign_raw', '{"alg":"XX1"}', '{}', k), /unknown JWS algorithm: XX1/)
  assert.throws(() => call('io.jwt.encode_sign_raw', '', '{}', k), /cannot parse empty string/)
})

test('a matching kid selects the only key tried; JWK alg must match the token alg', () => {
  const good = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  const bad = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  const set = (kidGood: string, kidBad: string, algGood = 'ES256'): string =>
    JSON.stringify({ keys: [{ ...jwkOf(bad.publicKey), kid: kidBad }, { ...jwkOf(good.publicKey), kid: kidGood, alg: algGood }] })
  const token = call('io.jwt.encode_sign', { alg: 'ES256', kid: 'a' }, { x: 1 }, jwkOf(good.privateKey)) as string
  assert.equal(call('io.jwt.verify_es256', token, set('a', 'b')), true)
  assert.equal(call('io.jwt.verify_es256', token, set('b', 'a')), false) // kid "a" names the wrong key
  assert.equal(call('io.jwt.verify_es256', token, set('c', 'd')), true) // no kid match: any key
  assert.equal(call('io.jwt.verify_es256', token, set('c', 'd', 'ES384')), false) // alg mismatch skips the key
})

test('crit headers: unknown critical parameters make the token unverified', () => {
  const key = { kty: 'oct', k: Buffer.from('k').toString('base64url') }
  const crit = call('io.jwt.encode_sign', { alg: 'HS256', crit: ['exp2'], exp2: 1 }, {}, key) as string
  assert.deepEqual(call('io.jwt.decode_verify', crit, { secret: 'k' }), [false, {}, {}])
  const known = call('io.jwt.encode_sign', { alg: 'HS256', crit: ['kid'], kid: 'x' }, {}, key) as string
  assert.equal((call('io.jwt.decode_verify', known, { secret: 'k' }) as unknown[])[0], true)
  const empty = call('io.jwt.encode_sign', { alg: 'HS256', crit: [] }, {}, key) as string
  assert.throws(() => call('io.jwt.decode_verify', empty, { secret: 'k' }), /crit: must be a nonempty list/)
})

test('payload numbers stay exact; duplicate keys keep the last value', () => {
  const b64 = (s: string): string => Buffer.from(s).toString('base64url')
  const token = `${b64('{"alg":"HS256"}')}.${b64('{"n":12345678901234567890,"k":1,"k":2}')}.`
  const [, payload] = call('io.jwt.decode', token) as [Obj, Obj]
  assert.equal(payload.n, 12345678901234567890n)
  assert.equal(payload.k, 2)
})
