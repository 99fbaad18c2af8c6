/**
 * `io.jwt.*` (OPA `topdown/tokens.go`): decoding, signature verification for every JWS algorithm
 * OPA knows, `decode_verify` with its constraint object, and signing from a JWK. Error texts are
 * OPA's.
 */
import { createHmac, timingSafeEqual } from 'node:crypto'
import { BuiltinError, type BuiltinContext, type BuiltinRegistry } from './builtin.js'
import { objectOperand, stringOperand } from './operands.js'
import { base64UrlDecodeLenient, base64UrlEncode } from './crypto-pem.js'
import { algorithm, keysFromCertOrJWK, signingKeyFromJWK, type VerificationKey } from './jwt-keys.js'
import { goJSONParse, goJSONValid } from './json-codec.js'
import { goMarshal } from './jwt-json.js'
import { RObject, compareNumbers, type Value } from '../value/value.js'

const S = 'string'
const tokens = ['tokens'] as const
const tokensign = ['tokensign'] as const

interface Token {
  readonly header: string
  readonly payload: string
  readonly signature: string
}

/** OPA's `decodeJWT`: split into three sections. */
function splitToken(v: Value): Token {
  const s = stringOperand(v, 1)
  if (!s.includes('.')) throw new BuiltinError('encoded JWT had no period separators')
  const parts = s.split('.')
  if (parts.length !== 3) throw new BuiltinError(`encoded JWT must have 3 sections, found ${parts.length}`)
  return { header: parts[0]!, payload: parts[1]!, signature: parts[2]! }
}

function decodePart(part: string, what: string): Buffer {
  try {
    return base64UrlDecodeLenient(part)
  } catch (e) {
    throw new BuiltinError(`JWT ${what} had invalid encoding: ${(e as Error).message}`)
  }
}

/** OPA's `extractJSONObject` (json.unmarshal, then an object check). */
function jsonObject(text: string): RObject {
  let val: Value
  try {
    val = goJSONParse(text) // exact integers, last duplicate key wins, Go's messages
  } catch (e) {
    throw new BuiltinError(`invalid JSON: ${(e as Error).message}`)
  }
  if (!(val instanceof RObject)) throw new BuiltinError('decoded JSON type was not an Object')
  return val
}

/** OPA's `decodeHeader` + `validateJWTHeader`. */
function decodeHeader(token: Token): RObject {
  const h = decodePart(token.header, 'header')
  let header: RObject
  try {
    header = jsonObject(h.toString('utf8'))
  } catch (e) {
    throw new BuiltinError(`bad JWT header: ${(e as Error).message}`)
  }
  if (header.getString('enc') !== undefined) throw new BuiltinError('JWT is a JWE object, which is not supported')
  return header
}

interface TokenHeader {
  alg: string
  kid: string
  typ: string
  cty: string
  crit: Set<string>
  unknown: string[]
}

/** OPA's `parseTokenHeader`. */
function parseHeader(header: RObject): TokenHeader {
  const h: TokenHeader = { alg: '', kid: '', typ: '', cty: '', crit: new Set(), unknown: [] }
  for (const [k, v] of header.entries()) {
    const key = k as string
    switch (key) {
      case 'alg':
      case 'kid':
      case 'typ':
      case 'cty':
        if (typeof v !== 'string') throw new BuiltinError(`${key}: must be a string`)
        h[key] = v
        break
      case 'crit':
        if (!Array.isArray(v)) throw new BuiltinError('crit: must be a list')
        for (const c of v) {
          if (typeof c !== 'string') throw new BuiltinError('crit: must be a list of strings')
          h.crit.add(c)
        }
        // RFC 7515 4.1.11: an empty crit list is invalid.
        if (h.crit.size === 0) throw new BuiltinError('crit: must be a nonempty list')
        break
      default:
        h.unknown.push(key)
    }
  }
  return h
}

const headerValid = (h: TokenHeader): boolean => h.alg !== '' && !h.unknown.some((u) => h.crit.has(u))

/** Hash of the HS* algorithms by their bit size. */
const HASHES: Record<string, string> = { '256': 'sha256', '384': 'sha384', '512': 'sha512' }

/** The signature did not verify (as opposed to an error: unknown algorithm, wrong key type). */
class NotVerified extends Error {}

/** Verifies a JWS signature with one key; throws {@link NotVerified} or an error. */
function verifyWith(alg: string, key: VerificationKey['key'], input: Buffer, sig: Buffer): void {
  const a = algorithm(alg)
  if (a === undefined) throw new BuiltinError(`unknown JWS algorithm: ${alg}`)
  if (!a.verify(key, input, sig)) throw new NotVerified()
}

interface Constraints {
  keys?: VerificationKey[]
  secret: string
  alg: string
  iss: string
  aud: string
  time: number
}

function parseConstraints(o: RObject, ctx: BuiltinContext): Constraints {
  const c: Constraints = { secret: '', alg: '', iss: '', aud: '', time: Number(ctx.timeNs) }
  for (const [k, v] of o.entries()) {
    const name = typeof k === 'string' ? k : String(k)
    switch (name) {
      case 'cert':
        if (typeof v !== 'string') throw new BuiltinError('cert constraint: must be a string')
        c.keys = keysFromCertOrJWK(v)
        break
      case 'secret':
      case 'alg':
      case 'iss':
      case 'aud':
        if (typeof v !== 'string') throw new BuiltinError(`${name} constraint: must be a string`)
        c[name] = v
        break
      case 'time': {
        if (typeof v !== 'number' && typeof v !== 'bigint') throw new BuiltinError('token time constraint: must be a number')
        const t = Number(v)
        if (t < 0) throw new BuiltinError('token time constraint: must not be negative')
        c.time = t
        break
      }
      default:
        throw new BuiltinError(`unknown token validation constraint: ${name}`)
    }
  }
  const n = (c.keys !== undefined ? 1 : 0) + (c.secret !== '' ? 1 : 0)
  if (n > 1) throw new BuiltinError('duplicate key constraints')
  if (n < 1) throw new BuiltinError('no key constraint')
  return c
}

/**
 * Verifies against a key list as OPA does: only the key whose `kid` matches the token's, if there
 * is one; else every key whose `alg` (when it has one) matches the token header's `alg`.
 */
function verifyKeys(keys: readonly VerificationKey[], h: TokenHeader, alg: string, input: Buffer, sig: Buffer): boolean {
  const attempt = (k: VerificationKey): boolean => {
    try {
      verifyWith(alg, k.key, input, sig)
      return true
    } catch {
      return false
    }
  }
  if (h.kid !== '') {
    const byKid = keys.find((k) => k.kid === h.kid)
    if (byKid !== undefined) return attempt(byKid)
  }
  return keys.some((k) => (k.alg === '' || k.alg === h.alg) && attempt(k))
}

function decodeVerify(tokenV: Value, constraintsV: Value, ctx: BuiltinContext): Value {
  const unverified = Object.freeze([false, new RObject(), new RObject()])
  const c = parseConstraints(objectOperand(constraintsV, 2), ctx)
  let a: Value = tokenV
  let token: Token
  let header: RObject
  let payloadText: string
  for (;;) {
    token = splitToken(a)
    header = decodeHeader(token)
    const h = parseHeader(header)
    if (!headerValid(h)) return unverified
    if (c.alg !== '' && c.alg !== h.alg) return unverified
    const sig = decodePart(token.signature, 'signature')
    const input = Buffer.from(token.header + '.' + token.payload, 'utf8')
    if (algorithm(h.alg) === undefined) throw new BuiltinError(`unknown JWS algorithm: ${h.alg}`)
    if (c.keys !== undefined) {
      if (!verifyKeys(c.keys, h, h.alg, input, sig)) return unverified
    } else {
      try {
        verifyWith(h.alg, Buffer.from(c.secret, 'utf8'), input, sig)
      } catch (e) {
        if (e instanceof NotVerified) return unverified
        throw e
      }
    }
    payloadText = decodePart(token.payload, 'payload').toString('utf8')
    if (h.cty.toUpperCase() === 'JWT') {
      a = payloadText
      continue
    }
    break
  }
  const payload = jsonObject(payloadText)
  if (c.iss !== '') {
    const iss = payload.getString('iss')
    if (iss === undefined || iss !== c.iss) return unverified
  }
  const aud = payload.getString('aud')
  if (aud !== undefined) {
    if (!verifyAudience(c.aud, aud)) return unverified
  } else if (c.aud !== '') return unverified
  const now = c.time / 1e9
  const exp = payload.getString('exp')
  if (exp !== undefined) {
    if (typeof exp !== 'number' && typeof exp !== 'bigint') throw new BuiltinError('exp value must be a number')
    if (compareNumbers(now, exp) !== -1) return unverified
  }
  const nbf = payload.getString('nbf')
  if (nbf !== undefined) {
    if (typeof nbf !== 'number' && typeof nbf !== 'bigint') throw new BuiltinError('nbf value must be a number')
    if (compareNumbers(now, nbf) === -1) return unverified
  }
  return Object.freeze([true, header, payload])
}

function verifyAudience(aud: string, claim: Value): boolean {
  if (typeof claim === 'string') return claim === aud
  if (Array.isArray(claim)) return claim.some((x) => x === aud)
  return false
}

function decode(tokenV: Value): Value {
  const token = splitToken(tokenV)
  const header = decodeHeader(token)
  const p = decodePart(token.payload, 'payload')
  const cty = header.getString('cty')
  if (typeof cty === 'string' && cty === 'JWT') {
    // A nested token: its payload is the inner token, possibly quoted.
    return decode(p.toString('utf8').replace(/^["']+|["']+$/g, ''))
  }
  const payload = jsonObject(p.toString('utf8'))
  const sig = decodePart(token.signature, 'signature')
  return Object.freeze([header, payload, sig.toString('hex')])
}

/** `io.jwt.verify_<alg>` for public-key algorithms: any key (or JWK set entry) that verifies. */
function verifyAsymmetric(alg: string, tokenV: Value, keyV: Value): boolean {
  const token = splitToken(tokenV)
  const keys = keysFromCertOrJWK(stringOperand(keyV, 2))
  const sig = decodePart(token.signature, 'signature')
  const header = decodeHeader(token)
  const h = parseHeader(header)
  const input = Buffer.from(token.header + '.' + token.payload, 'utf8')
  return verifyKeys(keys, h, alg, input, sig)
}

function verifyHMAC(hash: string, tokenV: Value, secretV: Value): boolean {
  const token = splitToken(tokenV)
  const secret = stringOperand(secretV, 2)
  const mac = createHmac(hash, Buffer.from(secret, 'utf8'))
    .update(token.header + '.' + token.payload, 'utf8')
    .digest()
  const sig = decodePart(token.signature, 'signature')
  return sig.length === mac.length && timingSafeEqual(sig, mac)
}

/** The `alg` of a literal header, with the errors OPA's JWS library gives. */
function headerAlg(headers: string): { alg: string; typ: string | undefined } {
  if (headers === '') throw new BuiltinError("missing or invalid 'alg' header: cannot parse JSON: cannot parse empty string")
  let parsed: unknown
  try {
    parsed = JSON.parse(headers)
  } catch {
    parsed = undefined
  }
  const obj = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {}
  const alg = obj.alg
  if (typeof alg !== 'string') throw new BuiltinError(`missing or invalid 'alg' header: jwsbb: header "alg" not found`)
  return { alg, typ: typeof obj.typ === 'string' ? obj.typ : undefined }
}


/** OPA's `commonBuiltinJWTEncodeSign`: the literal header and payload, base64url-encoded, signed. */
function encodeSign(headers: string, payload: string, jwk: string): string {
  const { alg, typ } = headerAlg(headers)
  const a = algorithm(alg)
  if (a === undefined && alg !== 'none') throw new BuiltinError(`unknown JWS algorithm: ${alg}`)
  if ((typ === undefined || typ === '' || typ === 'JWT') && !goJSONValid(payload)) {
    throw new BuiltinError('type is JWT but payload is not JSON')
  }
  const input = base64UrlEncode(Buffer.from(headers, 'utf8')) + '.' + base64UrlEncode(Buffer.from(payload, 'utf8'))
  if (a === undefined) return input + '.'
  const key = signingKeyFromJWK(jwk)
  const sig = a.sign(key, Buffer.from(input, 'utf8'))
  return input + '.' + base64UrlEncode(sig)
}

export function register(reg: BuiltinRegistry): void {
  reg.register({
    name: 'io.jwt.decode',
    args: [{ name: 'jwt', type: S, description: 'JWT token to decode' }],
    result: {
      name: 'output',
      type: 'array<object[any: any], object[any: any], string>',
      description:
        '`[header, payload, sig]`, where `header` and `payload` are objects; `sig` is the hexadecimal representation of the signature on the token.',
    },
    description: 'Decodes a JSON Web Token and outputs it as an object.',
    categories: tokens,
    impl: ([t]) => decode(t!),
  })

  reg.register({
    name: 'io.jwt.decode_verify',
    args: [
      { name: 'jwt', type: S, description: 'JWT token whose signature is to be verified and whose claims are to be checked' },
      { name: 'constraints', type: 'object[string: any]', description: 'claim verification constraints' },
    ],
    result: {
      name: 'output',
      type: 'array<boolean, object[any: any], object[any: any]>',
      description:
        '`[valid, header, payload]`:  if the input token is verified and meets the requirements of `constraints` then `valid` is `true`; `header` and `payload` are objects containing the JOSE header and the JWT claim set; otherwise, `valid` is `false`, `header` and `payload` are `{}`',
    },
    description:
      'Verifies a JWT signature under parameterized constraints and decodes the claims if it is valid.\nSupports the following algorithms: HS256, HS384, HS512, RS256, RS384, RS512, ES256, ES384, ES512, PS256, PS384 and PS512.',
    categories: tokens,
    impl: ([t, c], ctx) => decodeVerify(t!, c!, ctx),
  })

  for (const bits of ['256', '384', '512']) {
    reg.register({
      name: `io.jwt.verify_hs${bits}`,
      args: [
        { name: 'jwt', type: S, description: 'JWT token whose signature is to be verified' },
        { name: 'secret', type: S, description: 'plain text secret used to verify the signature' },
      ],
      result: { name: 'result', type: 'boolean', description: '`true` if the signature is valid, `false` otherwise' },
      description: `Verifies if a HS${bits} (secret) JWT signature is valid.`,
      categories: tokens,
      impl: ([t, s]) => verifyHMAC(HASHES[bits]!, t!, s!),
    })
    for (const family of ['rs', 'ps', 'es']) {
      const alg = `${family.toUpperCase()}${bits}`
      reg.register({
        name: `io.jwt.verify_${family}${bits}`,
        args: [
          { name: 'jwt', type: S, description: 'JWT token whose signature is to be verified' },
          {
            name: 'certificate',
            type: S,
            description: 'PEM encoded certificate, PEM encoded public key, or the JWK key (set) used to verify the signature',
          },
        ],
        result: { name: 'result', type: 'boolean', description: '`true` if the signature is valid, `false` otherwise' },
        description: `Verifies if a ${alg} JWT signature is valid.`,
        categories: tokens,
        impl: ([t, k]) => verifyAsymmetric(alg, t!, k!),
      })
    }
  }

  reg.register({
    name: 'io.jwt.verify_eddsa',
    args: [
      { name: 'jwt', type: S, description: 'JWT token whose signature is to be verified' },
      {
        name: 'certificate',
        type: S,
        description: 'PEM encoded certificate, PEM encoded public key, or the JWK key (set) used to verify the signature',
      },
    ],
    result: { name: 'result', type: 'boolean', description: '`true` if the signature is valid, `false` otherwise' },
    description: 'Verifies if an EdDSA JWT signature is valid.',
    categories: tokens,
    impl: ([t, k]) => verifyAsymmetric('EdDSA', t!, k!),
  })

  reg.register({
    name: 'io.jwt.encode_sign',
    args: [
      { name: 'headers', type: 'object[string: any]', description: 'JWS Protected Header' },
      { name: 'payload', type: 'object[string: any]', description: 'JWS Payload' },
      { name: 'key', type: 'object[string: any]', description: 'JSON Web Key (RFC7517)' },
    ],
    result: { name: 'output', type: S, description: 'signed JWT' },
    description:
      'Encodes and optionally signs a JSON Web Token. Inputs are taken as objects, not encoded strings (see `io.jwt.encode_sign_raw`).',
    categories: tokensign,
    nondeterministic: true,
    impl([h, p, k]) {
      const headers = goMarshal(objectOperand(h!, 1))
      const payload = goMarshal(objectOperand(p!, 2))
      const key = goMarshal(objectOperand(k!, 3))
      return encodeSign(headers, payload, key)
    },
  })

  reg.register({
    name: 'io.jwt.encode_sign_raw',
    args: [
      { name: 'headers', type: S, description: 'JWS Protected Header' },
      { name: 'payload', type: S, description: 'JWS Payload' },
      { name: 'key', type: S, description: 'JSON Web Key (RFC7517)' },
    ],
    result: { name: 'output', type: S, description: 'signed JWT' },
    description: 'Encodes and optionally signs a JSON Web Token.',
    categories: tokensign,
    nondeterministic: true,
    impl([h, p, k]) {
      const headers = stringOperand(h!, 1)
      const payload = stringOperand(p!, 2)
      const key = stringOperand(k!, 3)
      return encodeSign(headers, payload, key)
    },
  })
}
