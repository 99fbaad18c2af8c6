/**
 * Hashes, HMACs and private-key parsing (OPA `topdown/crypto.go`). Strings are hashed as their
 * UTF-8 bytes; digests are lower-case hex.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto'
import { BuiltinError, type BuiltinRegistry } from './builtin.js'
import { stringOperand } from './operands.js'
import { base64Decode, pemDecode, pemDecodeAll, toByteString } from './crypto-pem.js'
import { privateKeyFromBlock, privateKeyJSON } from './crypto-keys.js'
import { fromJS } from '../value/json.js'

const S = 'string'
const crypto = ['crypto'] as const
const PRIVATE_KEY_BLOCKS = new Set(['RSA PRIVATE KEY', 'PRIVATE KEY', 'EC PRIVATE KEY'])

/** PEM text as bytes: taken as is when it starts with `-----BEGIN`, else base64-decoded first. */
export function pemOrBase64(input: string): string {
  if (input.startsWith('-----BEGIN')) return toByteString(input)
  return base64Decode(input).toString('latin1')
}

export function register(reg: BuiltinRegistry): void {
  for (const [alg, intro] of [
    ['md5', 'MD5'],
    ['sha1', 'SHA1'],
    ['sha256', 'SHA256'],
  ] as const) {
    reg.register({
      name: `crypto.${alg}`,
      args: [{ name: 'x', type: S, description: 'input string' }],
      result: { name: 'y', type: S, description: `${intro}-hash of \`x\`` },
      description: `Returns a string representing the input string hashed with the ${intro} function`,
      categories: crypto,
      impl: ([x]) => createHash(alg).update(stringOperand(x!, 1), 'utf8').digest('hex'),
    })
  }

  for (const [alg, intro] of [
    ['md5', 'MD5'],
    ['sha1', 'SHA1'],
    ['sha256', 'SHA256'],
    ['sha512', 'SHA512'],
  ] as const) {
    reg.register({
      name: `crypto.hmac.${alg}`,
      args: [
        { name: 'x', type: S, description: 'input string' },
        { name: 'key', type: S, description: 'key to use' },
      ],
      result: { name: 'y', type: S, description: `${intro}-HMAC of \`x\`` },
      description: `Returns a string representing the ${intro} HMAC of the input message using the input key.`,
      categories: crypto,
      impl([x, key]) {
        const msg = stringOperand(x!, 1)
        const k = stringOperand(key!, 2)
        return createHmac(alg, Buffer.from(k, 'utf8')).update(msg, 'utf8').digest('hex')
      },
    })
  }

  reg.register({
    name: 'crypto.hmac.equal',
    args: [
      { name: 'mac1', type: S, description: 'mac1 to compare' },
      { name: 'mac2', type: S, description: 'mac2 to compare' },
    ],
    result: { name: 'result', type: 'boolean', description: '`true` if the MACs are equals, `false` otherwise' },
    description:
      'Returns a boolean representing the result of comparing two MACs for equality without leaking timing information.',
    categories: crypto,
    impl([a, b]) {
      const x = Buffer.from(stringOperand(a!, 1), 'utf8')
      const y = Buffer.from(stringOperand(b!, 2), 'utf8')
      // Go's hmac.Equal: different lengths are unequal at once; equal lengths compare in constant time.
      return x.length === y.length && timingSafeEqual(x, y)
    },
  })

  reg.register({
    name: 'crypto.parse_private_keys',
    args: [
      {
        name: 'keys',
        type: S,
        description:
          'PEM encoded data containing one or more private keys as concatenated blocks. Optionally Base64 encoded.',
      },
    ],
    result: { name: 'output', type: 'array[object[string: any]]', description: 'parsed private keys represented as objects' },
    description:
      'Returns zero or more private keys from the given encoded string containing DER certificate data.\n\n' +
      'If the input is empty, the function will return null. The input string should be a list of one or more ' +
      'concatenated PEM blocks. The whole input of concatenated PEM blocks can optionally be Base64 encoded.',
    categories: crypto,
    impl([x]) {
      const input = stringOperand(x!, 1)
      if (input === '') return null
      // Blocks of other types (certificates, public keys) are skipped, as in OPA.
      const blocks = pemDecodeAll(pemOrBase64(input)).filter((b) => PRIVATE_KEY_BLOCKS.has(b.type))
      return fromJS(blocks.map((b) => privateKeyJSON(privateKeyFromBlock(b))))
    },
  })

  reg.register({
    name: 'crypto.x509.parse_rsa_private_key',
    args: [{ name: 'pem', type: S, description: 'base64 string containing a PEM encoded RSA private key' }],
    result: { name: 'output', type: 'object[string: any]', description: 'JWK as an object' },
    description: 'Returns a JWK for signing a JWT from the given PEM-encoded RSA private key.',
    categories: crypto,
    impl([x]) {
      const data = pemOrBase64(stringOperand(x!, 1))
      const [block] = pemDecode(data)
      if (block === undefined) throw new BuiltinError('failed to parse PEM block containing the key')
      if (block.type !== 'RSA PRIVATE KEY' && block.type !== 'PRIVATE KEY') {
        throw new BuiltinError(`PEM block type is '${block.type}', expected RSA PRIVATE KEY`)
      }
      // PKCS #8 may hold any key type; its JWK is returned as is (OPA's jwk.New does the same).
      return fromJS(privateKeyFromBlock(block).export({ format: 'jwk' }))
    },
  })
}
