/**
 * base64, base64url, hex and urlquery built-ins (OPA `topdown/encoding.go`), with Go's decoders
 * and their error texts (`illegal base64 data at input byte 4`, `encoding/hex: invalid byte: U+0067 'g'`,
 * `invalid URL escape "%zz"`). Decoded bytes that are not UTF-8 become U+FFFD.
 */
import { BuiltinError, type BuiltinRegistry } from './builtin.js'
import { objectOperand, operandTypeError, stringOperand } from './operands.js'
import { RObject, RSet, type Value } from '../value/value.js'

const STD = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
const URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'

const decodeMaps = new Map<string, Int16Array>()
function decodeMap(alphabet: string): Int16Array {
  let m = decodeMaps.get(alphabet)
  if (m === undefined) {
    m = new Int16Array(256).fill(-1)
    for (let i = 0; i < alphabet.length; i++) m[alphabet.charCodeAt(i)] = i
    decodeMaps.set(alphabet, m)
  }
  return m
}

const corrupt = (at: number): BuiltinError => new BuiltinError(`illegal base64 data at input byte ${at}`)

/** Go's `base64.Encoding.DecodeString` (non-strict), as a byte buffer. */
export function goBase64Decode(s: string, alphabet: string, padded: boolean): Buffer {
  const src = Buffer.from(s, 'utf8')
  const map = decodeMap(alphabet)
  const out: number[] = []
  let si = 0
  for (;;) {
    const dbuf = [0, 0, 0, 0]
    let j = 0
    let dlen = 4
    let done = false
    for (; j < 4; j++) {
      if (si === src.length) {
        if (j === 0) return Buffer.from(out)
        if (j === 1 || padded) throw corrupt(si - j)
        dlen = j
        done = true
        break
      }
      const c = src[si++]!
      const v = map[c]!
      if (v >= 0) {
        dbuf[j] = v
        continue
      }
      if (c === 0x0a || c === 0x0d) {
        j--
        continue
      }
      if (!padded || c !== 0x3d) throw corrupt(si - 1)
      if (j === 0 || j === 1) throw corrupt(si - 1)
      if (j === 2) {
        while (si < src.length && (src[si] === 0x0a || src[si] === 0x0d)) si++
        if (si === src.length) throw corrupt(src.length)
        if (src[si] !== 0x3d) throw corrupt(si - 1)
        si++
      }
      while (si < src.length && (src[si] === 0x0a || src[si] === 0x0d)) si++
      if (si < src.length) throw corrupt(si)
      dlen = j
      done = true
      break
    }
    const val = (dbuf[0]! << 18) | (dbuf[1]! << 12) | (dbuf[2]! << 6) | dbuf[3]!
    if (dlen >= 2) out.push((val >> 16) & 0xff)
    if (dlen >= 3) out.push((val >> 8) & 0xff)
    if (dlen >= 4) out.push(val & 0xff)
    if (done) return Buffer.from(out)
  }
}

const HEX = '0123456789abcdef'

/** Go's `%#U` of a byte, as in `encoding/hex`'s `InvalidByteError`. */
const invalidByte = (b: number): BuiltinError =>
  new BuiltinError(`encoding/hex: invalid byte: U+${b.toString(16).toUpperCase().padStart(4, '0')} '${String.fromCharCode(b)}'`)

function goHexDecode(s: string): Buffer {
  const src = Buffer.from(s, 'utf8')
  const val = (b: number): number => HEX.indexOf(String.fromCharCode(b).toLowerCase())
  const out: number[] = []
  let j = 1
  for (; j < src.length; j += 2) {
    const a = val(src[j - 1]!)
    const b = val(src[j]!)
    if (a < 0) throw invalidByte(src[j - 1]!)
    if (b < 0) throw invalidByte(src[j]!)
    out.push((a << 4) | b)
  }
  if (src.length % 2 === 1) {
    if (val(src[j - 1]!) < 0) throw invalidByte(src[j - 1]!)
    throw new BuiltinError('encoding/hex: odd length hex string')
  }
  return Buffer.from(out)
}

/** Go's `url.QueryEscape`. */
export function queryEscape(s: string): string {
  let out = ''
  for (const b of Buffer.from(s, 'utf8')) {
    const c = String.fromCharCode(b)
    if (/[A-Za-z0-9\-_.~]/.test(c)) out += c
    else if (c === ' ') out += '+'
    else out += '%' + b.toString(16).toUpperCase().padStart(2, '0')
  }
  return out
}

const isHex = (c: string | undefined): boolean => c !== undefined && /[0-9a-fA-F]/.test(c)

/** Go's `url.QueryUnescape`. */
export function queryUnescape(s: string): string {
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '%' && (!isHex(s[i + 1]) || !isHex(s[i + 2]))) {
      const bad = s.slice(i, i + 3)
      throw new BuiltinError(`invalid URL escape ${JSON.stringify(bad)}`)
    }
  }
  const bytes: number[] = []
  for (let i = 0; i < s.length; ) {
    const c = s[i]!
    if (c === '%') {
      bytes.push(parseInt(s.slice(i + 1, i + 3), 16))
      i += 3
    } else if (c === '+') {
      bytes.push(0x20)
      i++
    } else {
      const cp = s.codePointAt(i)!
      const ch = String.fromCodePoint(cp)
      bytes.push(...Buffer.from(ch, 'utf8'))
      i += ch.length
    }
  }
  return Buffer.from(bytes).toString('utf8')
}

const S = 'string'
const encoding = ['encoding'] as const

export function register(reg: BuiltinRegistry): void {
  const strFn = (name: string, desc: string, argDesc: string, resDesc: string, f: (s: string) => Value): void =>
    reg.register({
      name,
      args: [{ name: 'x', type: S, description: argDesc }],
      result: { name: 'y', type: S, description: resDesc },
      description: desc,
      categories: encoding,
      impl: ([x]) => f(stringOperand(x!, 1)),
    })

  strFn('base64.encode', 'Serializes the input string into base64 encoding.', 'string to encode', 'base64 serialization of `x`', (s) =>
    Buffer.from(s, 'utf8').toString('base64'),
  )
  strFn('base64.decode', 'Deserializes the base64 encoded input string.', 'string to decode', 'base64 deserialization of `x`', (s) =>
    goBase64Decode(s, STD, true).toString('utf8'),
  )
  reg.register({
    name: 'base64.is_valid',
    args: [{ name: 'x', type: S, description: 'string to check' }],
    result: { name: 'result', type: 'boolean', description: '`true` if `x` is valid base64 encoded value, `false` otherwise' },
    description: 'Verifies the input string is base64 encoded.',
    categories: encoding,
    impl([x]) {
      const s = stringOperand(x!, 1)
      try {
        goBase64Decode(s, STD, true)
        return true
      } catch {
        return false
      }
    },
  })
  strFn('base64url.encode', 'Serializes the input string into base64url encoding.', 'string to encode', 'base64url serialization of `x`', (s) =>
    Buffer.from(s, 'utf8').toString('base64').replace(/\+/g, '-').replace(/\//g, '_'),
  )
  strFn(
    'base64url.encode_no_pad',
    'Serializes the input string into base64url encoding without padding.',
    'string to encode',
    'base64url serialization of `x`',
    (s) => Buffer.from(s, 'utf8').toString('base64url'),
  )
  // Missing padding is restored first, as RFC 7515 appendix C describes (OPA does the same).
  strFn('base64url.decode', 'Deserializes the base64url encoded input string.', 'string to decode', 'base64url deserialization of `x`', (s) => {
    let padded = s
    if (!s.endsWith('=')) {
      const rem = Buffer.byteLength(s) % 4
      if (rem === 1) throw new BuiltinError(`illegal base64url string: ${s}`)
      padded = s + '='.repeat((4 - rem) % 4)
    }
    return goBase64Decode(padded, URL, true).toString('utf8')
  })
  strFn('hex.encode', 'Serializes the input string using hex-encoding.', 'string to encode', 'serialization of `x` using hex-encoding', (s) =>
    Buffer.from(s, 'utf8').toString('hex'),
  )
  strFn('hex.decode', 'Deserializes the hex-encoded input string.', 'a hex-encoded string', 'deserialized from `x`', (s) =>
    goHexDecode(s).toString('utf8'),
  )
  strFn('urlquery.encode', 'Encodes the input string into a URL-encoded string.', 'the non-encoded string', 'URL-encoding serialization of `x`', queryEscape)
  strFn('urlquery.decode', 'Decodes a URL-encoded input string.', 'the URL-encoded string', 'URL-encoding deserialization of `x`', queryUnescape)

  reg.register({
    name: 'urlquery.encode_object',
    args: [{ name: 'object', type: 'object[string: any<string, array[string], set[string]>]', description: 'the object to encode' }],
    result: { name: 'y', type: S, description: 'the URL-encoded serialization of `object`' },
    description: 'Encodes the given object into a URL encoded query string.',
    categories: encoding,
    impl([o]) {
      const obj = objectOperand(o!, 1)
      const pairs: [string, string[]][] = []
      for (const [k, v] of obj.entries()) {
        if (typeof k !== 'string') throw operandTypeError(1, k, 'string')
        let vals: string[]
        if (typeof v === 'string') vals = [v]
        else if (Array.isArray(v) || v instanceof RSet) {
          const items = Array.isArray(v) ? v : v.sortedValues()
          vals = items.map((x) => {
            if (typeof x !== 'string') throw operandTypeError(1, x, 'string')
            return x
          })
        } else throw operandTypeError(1, v, 'string', 'array', 'set')
        pairs.push([k, vals])
      }
      // url.Values.Encode: keys in byte order, values in insertion order.
      pairs.sort((a, b) => (Buffer.compare(Buffer.from(a[0]), Buffer.from(b[0]))))
      return pairs.flatMap(([k, vs]) => vs.map((v) => queryEscape(k) + '=' + queryEscape(v))).join('&')
    },
  })

  reg.register({
    name: 'urlquery.decode_object',
    args: [{ name: 'x', type: S, description: 'the query string' }],
    result: { name: 'object', type: 'object[string: array[string]]', description: 'the resulting object' },
    description: 'Decodes the given URL query string into an object.',
    categories: encoding,
    impl([x]) {
      const s = stringOperand(x!, 1)
      const m = new Map<string, string[]>()
      for (const part of s.split('&')) {
        if (part === '') continue
        if (part.includes(';')) throw new BuiltinError('invalid semicolon separator in query')
        const eq = part.indexOf('=')
        const k = queryUnescape(eq < 0 ? part : part.slice(0, eq))
        const v = queryUnescape(eq < 0 ? '' : part.slice(eq + 1))
        const list = m.get(k)
        if (list === undefined) m.set(k, [v])
        else list.push(v)
      }
      const out = new RObject()
      for (const [k, vs] of m) out.set(k, Object.freeze(vs))
      return out
    },
  })
}
