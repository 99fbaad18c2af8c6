/**
 * JSON as Go's encoding/json reads and writes it for OPA: exact numbers (integers beyond 2^53
 * stay exact), Go's syntax-error texts (`invalid character 'x' looking for beginning of value`),
 * sorted object keys, HTML-safe escaping (`<` as `\u003c`) and `MarshalIndent` layout.
 */
import { BuiltinError } from './builtin.js'
import { RObject, RSet, normalizeInt, type Value } from '../value/value.js'
import { formatNumber } from '../value/json.js'
import { goQuote } from './strings-util.js'

/** Go's `quoteChar` in scanner errors: `'x'`, `'\n'`, `'\''`. */
function quoteChar(c: string): string {
  if (c === "'") return "'\\''"
  if (c === '"') return `'"'`
  const q = goQuote(c)
  return "'" + q.slice(1, -1) + "'"
}

class JSONSyntax extends BuiltinError {}

const syntax = (c: string, ctx: string): JSONSyntax => new JSONSyntax(`invalid character ${quoteChar(c)} ${ctx}`)

/** A recursive-descent reader with Go's error texts; EOF inside a value is `unexpected EOF`. */
class Reader {
  i = 0
  constructor(readonly s: string) {}

  ch(): string | undefined {
    if (this.i >= this.s.length) return undefined
    return String.fromCodePoint(this.s.codePointAt(this.i)!)
  }

  eof(): never {
    throw new JSONSyntax('unexpected EOF')
  }

  ws(): void {
    while (this.i < this.s.length) {
      const c = this.s[this.i]
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r') this.i++
      else break
    }
  }

  value(ctx = 'looking for beginning of value'): Value {
    this.ws()
    const c = this.ch()
    if (c === undefined) this.eof()
    switch (c) {
      case '{':
        return this.object()
      case '[':
        return this.array()
      case '"':
        return this.string()
      case 't':
        return this.literal('true', true)
      case 'f':
        return this.literal('false', false)
      case 'n':
        return this.literal('null', null)
      default:
        if (c === '-' || (c >= '0' && c <= '9')) return this.number()
        throw syntax(c, ctx)
    }
  }

  literal(word: string, v: Value): Value {
    for (let k = 0; k < word.length; k++) {
      const c = this.ch()
      if (c === undefined) this.eof()
      if (c !== word[k]) throw syntax(c, `in literal ${word} (expecting ${quoteChar(word[k]!)})`)
      this.i++
    }
    return v
  }

  number(): Value {
    const start = this.i
    const digit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9'
    if (this.ch() === '-') {
      this.i++
      const c = this.ch()
      if (c === undefined) this.eof()
      if (!digit(c)) throw syntax(c, 'in numeric literal')
    }
    if (this.ch() === '0') this.i++
    else while (digit(this.ch())) this.i++
    let integral = true
    if (this.ch() === '.') {
      integral = false
      this.i++
      const c = this.ch()
      if (c === undefined) this.eof()
      if (!digit(c)) throw syntax(c, 'after decimal point in numeric literal')
      while (digit(this.ch())) this.i++
    }
    if (this.ch() === 'e' || this.ch() === 'E') {
      integral = false
      this.i++
      if (this.ch() === '+' || this.ch() === '-') this.i++
      const c = this.ch()
      if (c === undefined) this.eof()
      if (!digit(c)) throw syntax(c, 'in exponent of numeric literal')
      while (digit(this.ch())) this.i++
    }
    return parseNumberText(this.s.slice(start, this.i), integral)
  }

  string(): string {
    this.i++ // opening quote
    let out = ''
    for (;;) {
      if (this.i >= this.s.length) this.eof()
      const code = this.s.charCodeAt(this.i)
      if (code === 0x22) {
        this.i++
        return out
      }
      if (code < 0x20) throw syntax(this.s[this.i]!, 'in string literal')
      if (code === 0x5c) {
        this.i++
        const e = this.ch()
        if (e === undefined) this.eof()
        this.i++
        switch (e) {
          case '"':
          case '\\':
          case '/':
            out += e
            break
          case 'b':
            out += '\b'
            break
          case 'f':
            out += '\f'
            break
          case 'n':
            out += '\n'
            break
          case 'r':
            out += '\r'
            break
          case 't':
            out += '\t'
            break
          case 'u': {
            let cp = this.hex4()
            if (cp >= 0xd800 && cp < 0xdc00) {
              if (this.s.startsWith('\\u', this.i)) {
                const save = this.i
                this.i += 2
                const lo = this.hex4()
                if (lo >= 0xdc00 && lo < 0xe000) cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00)
                else {
                  this.i = save
                  cp = 0xfffd
                }
              } else cp = 0xfffd
            } else if (cp >= 0xdc00 && cp < 0xe000) cp = 0xfffd
            out += String.fromCodePoint(cp)
            break
          }
          default:
            throw syntax(e, 'in string escape code')
        }
        continue
      }
      if (code >= 0xd800 && code <= 0xdfff) {
        const cp = this.s.codePointAt(this.i)!
        if (cp > 0xffff) {
          out += String.fromCodePoint(cp)
          this.i += 2
        } else {
          out += '\ufffd'
          this.i++
        }
        continue
      }
      out += this.s[this.i]
      this.i++
    }
  }

  hex4(): number {
    let v = 0
    for (let k = 0; k < 4; k++) {
      const c = this.ch()
      if (c === undefined) this.eof()
      const d = parseInt(c, 16)
      if (!/[0-9a-fA-F]/.test(c)) throw syntax(c, 'in \\u hexadecimal character escape')
      v = v * 16 + d
      this.i++
    }
    return v
  }

  array(): Value {
    this.i++
    const out: Value[] = []
    this.ws()
    if (this.ch() === ']') {
      this.i++
      return Object.freeze(out)
    }
    for (;;) {
      out.push(this.value())
      this.ws()
      const c = this.ch()
      if (c === undefined) this.eof()
      this.i++
      if (c === ']') return Object.freeze(out)
      if (c !== ',') throw syntax(c, 'after array element')
    }
  }

  object(): Value {
    this.i++
    const out = new RObject()
    this.ws()
    let c = this.ch()
    if (c === '}') {
      this.i++
      return out
    }
    for (;;) {
      this.ws()
      c = this.ch()
      if (c === undefined) this.eof()
      if (c !== '"') throw syntax(c, 'looking for beginning of object key string')
      const k = this.string()
      this.ws()
      c = this.ch()
      if (c === undefined) this.eof()
      if (c !== ':') throw syntax(c, 'after object key')
      this.i++
      out.set(k, this.value())
      this.ws()
      c = this.ch()
      if (c === undefined) this.eof()
      this.i++
      if (c === '}') return out
      if (c !== ',') throw syntax(c, 'after object key:value pair')
    }
  }
}

/** A JSON number's text as a Rego number: integers exact, others as doubles. */
export function parseNumberText(text: string, integral: boolean): Value {
  if (integral) return normalizeInt(BigInt(text))
  const n = Number(text)
  if (!Number.isFinite(n)) throw new BuiltinError(`number ${text} is out of range`)
  if (Number.isInteger(n) && !Number.isSafeInteger(n) && /^-?[0-9]+(\.0*)?$/.test(text)) {
    return normalizeInt(BigInt(text.replace(/\..*$/, '')))
  }
  return n
}

/** Reads one JSON document, as OPA's `util.UnmarshalJSON` (a Go json.Decoder) does. */
export function goJSONParse(text: string): Value {
  const r = new Reader(text)
  r.ws()
  if (r.i >= text.length) throw new BuiltinError('EOF')
  const v = r.value()
  r.ws()
  const c = r.ch()
  // OPA reads one more token after the value: text that cannot start a value fails that read.
  if (c !== undefined) throw syntax(c, /^[-0-9{["tfn]$/.test(c) ? 'after top-level value' : 'looking for beginning of value')
  return v
}

/** Go's `json.Valid`. */
export function goJSONValid(text: string): boolean {
  try {
    goJSONParse(text)
    return true
  } catch (e) {
    if (e instanceof BuiltinError) return false
    throw e
  }
}

/** Go's `encodeState.string` with HTML escaping. */
export function goJSONString(s: string): string {
  let out = '"'
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c >= 0x20 && c !== 0x22 && c !== 0x5c && c !== 0x3c && c !== 0x3e && c !== 0x26 && c < 0x7f) {
      out += s[i]
      continue
    }
    switch (c) {
      case 0x22:
        out += '\\"'
        continue
      case 0x5c:
        out += '\\\\'
        continue
      case 0x0a:
        out += '\\n'
        continue
      case 0x0d:
        out += '\\r'
        continue
      case 0x09:
        out += '\\t'
        continue
      case 0x08:
        out += '\\b'
        continue
      case 0x0c:
        out += '\\f'
        continue
    }
    if (c < 0x20 || c === 0x3c || c === 0x3e || c === 0x26) {
      out += '\\u00' + c.toString(16).padStart(2, '0')
      continue
    }
    if (c === 0x2028 || c === 0x2029) {
      out += '\\u' + c.toString(16)
      continue
    }
    if (c >= 0xd800 && c <= 0xdfff) {
      const cp = s.codePointAt(i)!
      if (cp > 0xffff && c < 0xdc00) {
        out += s[i]! + s[i + 1]!
        i++
      } else out += '\ufffd'
      continue
    }
    out += s[i]
  }
  return out + '"'
}

const byteOrder = (a: string, b: string): number => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'))

/** Object entries as Go's JSON sees them: keys as strings (non-strings as their JSON), sorted. */
export function jsonEntries(o: RObject): [string, Value][] {
  const out: [string, Value][] = []
  for (const [k, v] of o.unorderedEntries()) out.push([typeof k === 'string' ? k : goJSONMarshal(k), v])
  return out.sort((a, b) => byteOrder(a[0], b[0]))
}

/** Go's `json.Marshal` (or `MarshalIndent` when `indent` is given) of a value in OPA's JSON form. */
export function goJSONMarshal(v: Value, indent?: { prefix: string; indent: string }, depth = 0): string {
  switch (typeof v) {
    case 'string':
      return goJSONString(v)
    case 'number':
      return formatNumber(v)
    case 'bigint':
      return v.toString()
    case 'boolean':
      return v ? 'true' : 'false'
    default: {
      if (v === null) return 'null'
      const nl = (d: number): string => (indent === undefined ? '' : '\n' + indent.prefix + indent.indent.repeat(d))
      if (Array.isArray(v) || v instanceof RSet) {
        const items = Array.isArray(v) ? v : v.sortedValues()
        if (items.length === 0) return '[]'
        return '[' + items.map((x) => nl(depth + 1) + goJSONMarshal(x, indent, depth + 1)).join(',') + nl(depth) + ']'
      }
      const entries = jsonEntries(v as RObject)
      if (entries.length === 0) return '{}'
      const sep = indent === undefined ? ':' : ': '
      return '{' + entries.map(([k, x]) => nl(depth + 1) + goJSONString(k) + sep + goJSONMarshal(x, indent, depth + 1)).join(',') + nl(depth) + '}'
    }
  }
}
