/**
 * Private keys from PEM blocks, via node:crypto, rendered as Go's `encoding/json` renders
 * `*rsa.PrivateKey`, `*ecdsa.PrivateKey` and `ed25519.PrivateKey`.
 */
import { createPrivateKey, type KeyObject } from 'node:crypto'
import { BuiltinError } from './builtin.js'
import type { PemBlock } from './crypto-pem.js'

type Json = null | boolean | number | bigint | string | Json[] | { [k: string]: Json }

function bigFromB64url(s: string | undefined): Json {
  if (s === undefined) return null
  const hex = Buffer.from(s, 'base64url').toString('hex')
  const n = hex === '' ? 0n : BigInt('0x' + hex)
  return n <= 9007199254740991n ? Number(n) : n
}

/** A KeyObject for a PEM private key block (PKCS #1, SEC 1 or PKCS #8), or an error as Go words it. */
export function privateKeyFromBlock(block: PemBlock): KeyObject {
  const attempts: { type: 'pkcs1' | 'pkcs8' | 'sec1' }[] =
    block.type === 'RSA PRIVATE KEY'
      ? [{ type: 'pkcs1' }]
      : block.type === 'EC PRIVATE KEY'
        ? [{ type: 'sec1' }]
        : [{ type: 'pkcs8' }, { type: 'pkcs1' }, { type: 'sec1' }]
  for (const a of attempts) {
    try {
      return createPrivateKey({ key: block.bytes, format: 'der', type: a.type })
    } catch {
      // try the next encoding, as Go's tls.parsePrivateKey does
    }
  }
  throw new BuiltinError('tls: failed to parse private key')
}

/** The private key as Go's json.Marshal writes it. */
export function privateKeyJSON(key: KeyObject): Json {
  const jwk = key.export({ format: 'jwk' })
  switch (key.asymmetricKeyType) {
    case 'rsa':
      return {
        N: bigFromB64url(jwk.n),
        E: bigFromB64url(jwk.e),
        D: bigFromB64url(jwk.d),
        Primes: [bigFromB64url(jwk.p), bigFromB64url(jwk.q)],
        Precomputed: { Dp: bigFromB64url(jwk.dp), Dq: bigFromB64url(jwk.dq), Qinv: bigFromB64url(jwk.qi), CRTValues: [] },
      }
    case 'ec':
      return { Curve: {}, X: bigFromB64url(jwk.x), Y: bigFromB64url(jwk.y), D: bigFromB64url(jwk.d) }
    case 'ed25519':
      return Buffer.concat([Buffer.from(jwk.d ?? '', 'base64url'), Buffer.from(jwk.x ?? '', 'base64url')]).toString('base64')
    default:
      return null
  }
}
