/**
 * Byte-level helpers shared by the crypto, x509 and JWT families, ported from Go's standard
 * library so that inputs are accepted and rejected exactly as OPA does: `encoding/base64`
 * (strict padding, `illegal base64 data at input byte N`), `encoding/pem` (`pem.Decode`) and the
 * HTML-escaping of `encoding/json`.
 */
import { BuiltinError } from './builtin.js'

const STD = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
const URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'

function decodeMap(alphabet: string): Int16Array {
  const m = new Int16Array(256).fill(-1)
  for (let i = 0; i < alphabet.length; i++) m[alphabet.charCodeAt(i)] = i
  return m
}
const STD_MAP = decodeMap(STD)
const URL_MAP = decodeMap(URL)

/** Go's `base64.CorruptInputError`. */
export class Base64Error extends BuiltinError {
  constructor(readonly offset: number) {
    super(`illegal base64 data at input byte ${offset}`)
  }
}

export interface Base64Options {
  /** URL alphabet (`-_`) instead of the standard one (`+/`). */
  readonly url?: boolean
  /** Padding with `=` is required (Go's `StdEncoding`/`URLEncoding`); false for `Raw*`. */
  readonly pad?: boolean
}

/**
 * Go's `Encoding.DecodeString`: \r and \n are skipped, anything else outside the alphabet is an
 * error at its byte offset, padding must be exact, and the last quantum's unused bits are ignored
 * (Go's encodings are not `Strict`).
 */
export function base64Decode(input: string | Uint8Array, opts: Base64Options = {}): Buffer {
  const src = typeof input === 'string' ? Buffer.from(input, 'utf8') : input
  const map = opts.url === true ? URL_MAP : STD_MAP
  const pad = opts.pad !== false
  const out: number[] = []
  const isNL = (c: number | undefined): boolean => c === 0x0a || c === 0x0d
  let si = 0
  // Go's Decode: one decodeQuantum per iteration until the input is consumed.
  while (si < src.length) {
    const dbuf = [0, 0, 0, 0]
    let dlen = 4
    let trailing: number | undefined
    for (let j = 0; j < 4; j++) {
      if (si === src.length) {
        if (j === 0) return Buffer.from(out)
        if (j === 1 || pad) throw new Base64Error(si - j)
        dlen = j
        break
      }
      const c = src[si]!
      si++
      const v = map[c]!
      if (v >= 0) {
        dbuf[j] = v
        continue
      }
      if (isNL(c)) {
        j--
        continue
      }
      if (c !== 0x3d || !pad) throw new Base64Error(si - 1)
      // Padding: only allowed after two or three symbols.
      if (j === 0 || j === 1) throw new Base64Error(si - 1)
      if (j === 2) {
        while (si < src.length && isNL(src[si])) si++
        if (si === src.length) throw new Base64Error(src.length)
        if (src[si] !== 0x3d) throw new Base64Error(si - 1)
        si++
      }
      while (si < src.length && isNL(src[si])) si++
      if (si < src.length) trailing = si
      dlen = j
      break
    }
    const val = (dbuf[0]! << 18) | (dbuf[1]! << 12) | (dbuf[2]! << 6) | dbuf[3]!
    const bytes = [(val >> 16) & 0xff, (val >> 8) & 0xff, val & 0xff]
    for (let k = 0; k < dlen - 1; k++) out.push(bytes[k]!)
    if (trailing !== undefined) throw new Base64Error(trailing)
  }
  return Buffer.from(out)
}

/** OPA's `base64url.decode`: restores missing padding (RFC 7515 appendix C), then decodes. */
export function base64UrlDecodeLenient(s: string): Buffer {
  if (!s.endsWith('=')) {
    switch (Buffer.byteLength(s, 'utf8') % 4) {
      case 0:
        break
      case 2:
        s += '=='
        break
      case 3:
        s += '='
        break
      default:
        throw new BuiltinError(`illegal base64url string: ${s}`)
    }
  }
  return base64Decode(s, { url: true })
}

export function base64UrlEncode(b: Uint8Array): string {
  return Buffer.from(b).toString('base64url')
}

/** A block as `pem.Decode` returns it. */
export interface PemBlock {
  /** The label: `CERTIFICATE`, `PRIVATE KEY`, … */
  readonly type: string
  /** RFC 1421 headers (`Proc-Type: …`), rarely present. */
  readonly headers: ReadonlyMap<string, string>
  /** The decoded DER bytes. */
  readonly bytes: Buffer
}

const PEM_START = '\n-----BEGIN '
const PEM_END = '\n-----END '
const PEM_EOL = '-----'

/** Go's `getLine`: the line without its trailing spaces, tabs and \r, and the rest after \n. */
function getLine(data: string): [string, string] {
  const i = data.indexOf('\n')
  const line = i < 0 ? data : data.slice(0, i)
  const rest = i < 0 ? '' : data.slice(i + 1)
  return [line.replace(/[ \t\r]+$/, ''), rest]
}

/**
 * Go's `pem.Decode` over a byte string (one char per byte, latin1): the first valid block and the
 * bytes after it, or `undefined` and the whole input when there is none.
 */
export function pemDecode(data: string): [PemBlock | undefined, string] {
  let rest = data
  for (;;) {
    if (rest.startsWith(PEM_START.slice(1))) rest = rest.slice(PEM_START.length - 1)
    else {
      const i = rest.indexOf(PEM_START)
      if (i < 0) return [undefined, data]
      rest = rest.slice(i + PEM_START.length)
    }
    let typeLine: string
    ;[typeLine, rest] = getLine(rest)
    if (!typeLine.endsWith(PEM_EOL)) continue
    typeLine = typeLine.slice(0, typeLine.length - PEM_EOL.length)
    const headers = new Map<string, string>()
    let truncated = false
    for (;;) {
      if (rest.length === 0) {
        truncated = true
        break
      }
      const [line, next] = getLine(rest)
      const c = line.indexOf(':')
      if (c < 0) break
      headers.set(line.slice(0, c).trim(), line.slice(c + 1).trim())
      rest = next
    }
    if (truncated) return [undefined, data]
    let endIndex: number
    let endTrailerIndex: number
    if (headers.size === 0 && rest.startsWith(PEM_END.slice(1))) {
      endIndex = 0
      endTrailerIndex = PEM_END.length - 1
    } else {
      endIndex = rest.indexOf(PEM_END)
      endTrailerIndex = endIndex + PEM_END.length
    }
    if (endIndex < 0) continue
    let endTrailer = rest.slice(endTrailerIndex)
    const endTrailerLen = typeLine.length + PEM_EOL.length
    if (endTrailer.length < endTrailerLen) continue
    const restOfEndLine = endTrailer.slice(endTrailerLen)
    endTrailer = endTrailer.slice(0, endTrailerLen)
    if (!endTrailer.startsWith(typeLine) || !endTrailer.endsWith(PEM_EOL)) continue
    if (getLine(restOfEndLine)[0].length !== 0) continue
    const b64 = rest.slice(0, endIndex).replace(/[ \t]/g, '')
    let bytes: Buffer
    try {
      bytes = base64Decode(Buffer.from(b64, 'latin1'))
    } catch {
      continue
    }
    const after = getLine(rest.slice(endIndex + PEM_END.length - 1))[1]
    return [{ type: typeLine, headers, bytes }, after]
  }
}

/** A JS string as Go's `[]byte(s)` viewed one char per byte. */
export function toByteString(s: string): string {
  return Buffer.from(s, 'utf8').toString('latin1')
}

/** Every PEM block in the input, in order (Go's `for { block, rest = pem.Decode(rest) }`). */
export function pemDecodeAll(data: string): PemBlock[] {
  const blocks: PemBlock[] = []
  let rest = data
  for (;;) {
    const [block, next] = pemDecode(rest)
    if (block === undefined) return blocks
    blocks.push(block)
    rest = next
  }
}

/**
 * JSON text as Go's `json.Marshal` writes a string: like JSON.stringify, but `<`, `>`, `&`,
 * U+2028 and U+2029 are escaped.
 */
export function goJSONString(s: string): string {
  return JSON.stringify(s).replace(/[<>&\u2028\u2029]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'))
}
