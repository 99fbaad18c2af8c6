/**
 * Keys and JWS algorithms for the JWT family: verification keys from a PEM certificate, a PEM
 * public key or a JWK (set) (OPA's `getKeysFromCertOrJWK`), signing keys from a JWK, and the
 * sign/verify operation of each algorithm (RFC 7518).
 */
import {
  X509Certificate,
  constants,
  createHmac,
  createPrivateKey,
  createPublicKey,
  sign as nodeSign,
  timingSafeEqual,
  verify as nodeVerify,
  type JsonWebKey,
  type KeyObject,
} from 'node:crypto'
import { BuiltinError } from './builtin.js'
import { pemDecode, toByteString } from './crypto-pem.js'

export interface VerificationKey {
  /** `alg` of a JWK, `''` for keys from PEM. */
  readonly alg: string
  /** `kid` of a JWK, `''` for keys from PEM. */
  readonly kid: string
  /** A public (or private) key object, or the secret of an `oct` JWK. */
  readonly key: KeyObject | Buffer
}

export interface JwsAlgorithm {
  /** False when the signature does not verify; throws when the key is of the wrong type. */
  verify(key: KeyObject | Buffer, input: Buffer, sig: Buffer): boolean
  /** The JWS signature of `input` (ECDSA as r || s). */
  sign(key: KeyObject | Buffer, input: Buffer): Buffer
}

const wrongKey = (): BuiltinError => new BuiltinError('incorrect public key type')

function asymmetric(key: KeyObject | Buffer, type: string): KeyObject {
  if (Buffer.isBuffer(key) || key.asymmetricKeyType === undefined) throw wrongKey()
  const t = key.asymmetricKeyType
  if (type === 'rsa' ? t !== 'rsa' && t !== 'rsa-pss' : t !== type) throw wrongKey()
  return key
}

function publicOf(k: KeyObject): KeyObject {
  return k.type === 'private' ? createPublicKey(k) : k
}

/** r || s (each half of the signature) as a DER ECDSA-Sig-Value, so any split verifies as Go does. */
function ecdsaDER(sig: Buffer): Buffer {
  const n = Math.floor(sig.length / 2)
  const int = (b: Buffer): Buffer => {
    let i = 0
    while (i < b.length - 1 && b[i] === 0) i++
    let v = b.subarray(i)
    if (v.length === 0) v = Buffer.from([0])
    if (v[0]! & 0x80) v = Buffer.concat([Buffer.from([0]), v])
    return Buffer.concat([Buffer.from([2]), derLen(v.length), v])
  }
  const body = Buffer.concat([int(sig.subarray(0, n)), int(sig.subarray(n))])
  return Buffer.concat([Buffer.from([0x30]), derLen(body.length), body])
}

function derLen(n: number): Buffer {
  if (n < 128) return Buffer.from([n])
  if (n < 256) return Buffer.from([0x81, n])
  return Buffer.from([0x82, n >> 8, n & 0xff])
}

function hmacAlg(hash: string): JwsAlgorithm {
  const mac = (key: KeyObject | Buffer, input: Buffer): Buffer => {
    const secret = Buffer.isBuffer(key) ? key : key.type === 'secret' ? key.export() : undefined
    if (secret === undefined) throw wrongKey()
    return createHmac(hash, secret).update(input).digest()
  }
  return {
    verify(key, input, sig) {
      const m = mac(key, input)
      return m.length === sig.length && timingSafeEqual(m, sig)
    },
    sign: mac,
  }
}

function rsaAlg(hash: string, pss: boolean): JwsAlgorithm {
  const padding = pss ? constants.RSA_PKCS1_PSS_PADDING : constants.RSA_PKCS1_PADDING
  return {
    verify(key, input, sig) {
      const k = publicOf(asymmetric(key, 'rsa'))
      return nodeVerify(hash, input, { key: k, padding, saltLength: pss ? constants.RSA_PSS_SALTLEN_AUTO : undefined }, sig)
    },
    sign(key, input) {
      const k = asymmetric(key, 'rsa')
      return nodeSign(hash, input, { key: k, padding, saltLength: pss ? constants.RSA_PSS_SALTLEN_DIGEST : undefined })
    },
  }
}

function ecdsaAlg(hash: string): JwsAlgorithm {
  return {
    verify(key, input, sig) {
      const k = publicOf(asymmetric(key, 'ec'))
      try {
        return nodeVerify(hash, input, { key: k, dsaEncoding: 'der' }, ecdsaDER(sig))
      } catch {
        return false
      }
    },
    sign(key, input) {
      return nodeSign(hash, input, { key: asymmetric(key, 'ec'), dsaEncoding: 'ieee-p1363' })
    },
  }
}

const eddsa: JwsAlgorithm = {
  verify(key, input, sig) {
    const k = publicOf(asymmetric(key, 'ed25519'))
    try {
      return nodeVerify(null, input, k, sig)
    } catch {
      return false
    }
  },
  sign: (key, input) => nodeSign(null, input, asymmetric(key, 'ed25519')),
}

const ALGORITHMS: Record<string, JwsAlgorithm> = {
  HS256: hmacAlg('sha256'),
  HS384: hmacAlg('sha384'),
  HS512: hmacAlg('sha512'),
  RS256: rsaAlg('sha256', false),
  RS384: rsaAlg('sha384', false),
  RS512: rsaAlg('sha512', false),
  PS256: rsaAlg('sha256', true),
  PS384: rsaAlg('sha384', true),
  PS512: rsaAlg('sha512', true),
  ES256: ecdsaAlg('sha256'),
  ES384: ecdsaAlg('sha384'),
  ES512: ecdsaAlg('sha512'),
  EdDSA: eddsa,
}

export function algorithm(name: string): JwsAlgorithm | undefined {
  return Object.hasOwn(ALGORITHMS, name) ? ALGORITHMS[name] : undefined
}

/** OPA's `getKeysFromCertOrJWK`. */
export function keysFromCertOrJWK(text: string): VerificationKey[] {
  const [block, rest] = pemDecode(toByteString(text))
  if (block !== undefined) {
    if (rest.length > 0) throw new BuiltinError('extra data after a PEM certificate block')
    if (block.type === 'CERTIFICATE') {
      let cert: X509Certificate
      try {
        cert = new X509Certificate(block.bytes)
      } catch (e) {
        throw new BuiltinError(`failed to parse a PEM certificate: ${(e as Error).message}`)
      }
      return [{ alg: '', kid: '', key: cert.publicKey }]
    }
    if (block.type === 'PUBLIC KEY') {
      try {
        return [{ alg: '', kid: '', key: createPublicKey({ key: block.bytes, format: 'der', type: 'spki' }) }]
      } catch (e) {
        throw new BuiltinError(`failed to parse a PEM public key: ${(e as Error).message}`)
      }
    }
    throw new BuiltinError('failed to extract a Key from the PEM certificate')
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch (e) {
    throw new BuiltinError(`failed to parse a JWK key (set): ${(e as Error).message}`)
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new BuiltinError('failed to parse a JWK key (set): invalid key')
  }
  const set = (parsed as { keys?: unknown }).keys
  const jwks = Array.isArray(set) ? (set as unknown[]) : [parsed]
  return jwks.map((j) => {
    const jwk = j as JsonWebKey & { kid?: unknown; alg?: unknown }
    return {
      alg: typeof jwk.alg === 'string' ? jwk.alg : '',
      kid: typeof jwk.kid === 'string' ? jwk.kid : '',
      key: keyFromJWK(jwk, false),
    }
  })
}

function keyFromJWK(jwk: JsonWebKey, priv: boolean): KeyObject | Buffer {
  if (jwk.kty === 'oct') {
    if (typeof jwk.k !== 'string') throw new BuiltinError('failed to parse a JWK key (set): missing "k"')
    return Buffer.from(jwk.k, 'base64url')
  }
  try {
    if (priv && typeof jwk.d === 'string') return createPrivateKey({ key: jwk, format: 'jwk' })
    return createPublicKey({ key: jwk, format: 'jwk' })
  } catch (e) {
    throw new BuiltinError(`failed to parse a JWK key (set): ${(e as Error).message}`)
  }
}

/** The signing key of a JWK (the first one of a set). */
export function signingKeyFromJWK(text: string): KeyObject | Buffer {
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch (e) {
    throw new BuiltinError(`failed to parse JWK: ${(e as Error).message}`)
  }
  if (typeof parsed !== 'object' || parsed === null) throw new BuiltinError('failed to parse JWK: invalid key')
  const set = (parsed as { keys?: unknown }).keys
  const jwk = (Array.isArray(set) ? set[0] : parsed) as JsonWebKey | undefined
  if (jwk === undefined) throw new BuiltinError('no keys found in JWK')
  return keyFromJWK(jwk, true)
}
