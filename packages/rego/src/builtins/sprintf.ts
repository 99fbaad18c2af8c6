/**
 * `sprintf`: Go's `fmt.Sprintf` over the argument conversion OPA does (`topdown/strings.go`):
 * integers that fit in int64 are Go `int`, larger integers `*big.Int`, other numbers `float64`,
 * strings Go `string`, and every other value the string of its Rego term (`[1, "a"]`). Verbs,
 * flags, width, precision, `[n]` argument indexes and Go's `%!verb(type=value)` error texts follow
 * Go's `fmt` package.
 */
import type { BuiltinRegistry } from './builtin.js'
import { operandTypeError, stringOperand } from './operands.js'
import type { Value } from '../value/value.js'
import { formatValue } from '../value/format.js'
import { goQuote } from './strings-util.js'

export type GoArg =
  | { readonly t: 'int'; readonly v: bigint }
  | { readonly t: 'big'; readonly v: bigint }
  | { readonly t: 'float'; readonly v: number }
  | { readonly t: 'string'; readonly v: string }
  /** A json.Number (how text/template sees numbers from its data): a Go string type. */
  | { readonly t: 'jsonnum'; readonly v: string }

const INT64_MIN = -(2n ** 63n)
const INT64_MAX = 2n ** 63n - 1n

function toGoArg(v: Value): GoArg {
  if (typeof v === 'string') return { t: 'string', v }
  if (typeof v === 'bigint') return v >= INT64_MIN && v <= INT64_MAX ? { t: 'int', v } : { t: 'big', v }
  if (typeof v === 'number') {
    if (Number.isInteger(v) && Math.abs(v) < 2 ** 63) return { t: 'int', v: BigInt(v) }
    return { t: 'float', v }
  }
  return { t: 'string', v: termString(v) }
}

/** The text OPA's `Term.String()` gives a value (Rego syntax, Go-quoted strings). */
export function termString(v: Value): string {
  return formatValue(v, goQuote)
}

const GO_TYPE: Record<GoArg['t'], string> = { int: 'int', big: '*big.Int', float: 'float64', string: 'string', jsonnum: 'json.Number' }

interface Flags {
  plus: boolean
  minus: boolean
  sharp: boolean
  space: boolean
  zero: boolean
  wid: number | undefined
  prec: number | undefined
}

const runeCount = (s: string): number => {
  let n = 0
  for (const _ of s) n++
  return n
}

/** Pads to the width with spaces (or zeros when asked), left or right. */
function pad(s: string, f: Flags, zeroOK = true): string {
  if (f.wid === undefined) return s
  const n = f.wid - runeCount(s)
  if (n <= 0) return s
  if (f.minus) return s + ' '.repeat(n)
  return (f.zero && zeroOK ? '0' : ' ').repeat(n) + s
}

function fmtInteger(v: bigint, base: number, verb: string, f: Flags, upper: boolean): string {
  const neg = v < 0n
  let digits = (neg ? -v : v).toString(base)
  if (upper) digits = digits.toUpperCase()
  let prec = 0
  if (f.prec !== undefined) {
    prec = f.prec
    if (prec === 0 && v === 0n) return pad('', { ...f, zero: false })
  } else if (f.zero && !f.minus && f.wid !== undefined) {
    prec = f.wid
    if (neg || f.plus || f.space) prec--
  }
  if (digits.length < prec) digits = '0'.repeat(prec - digits.length) + digits
  if (f.sharp) {
    if (base === 8 && digits[0] !== '0') digits = '0' + digits
    else if (base === 16) digits = (upper ? '0X' : '0x') + digits
    else if (base === 2) digits = '0b' + digits
  }
  if (verb === 'O') digits = '0o' + digits
  if (neg) digits = '-' + digits
  else if (f.plus) digits = '+' + digits
  else if (f.space) digits = ' ' + digits
  return pad(digits, { ...f, zero: false })
}

/** A decimal number 0.d1d2d3… × 10^dp, as Go's strconv `decimal`. */
interface Decimal {
  d: string
  dp: number
}

/** The exact decimal expansion of a finite, non-negative double. */
function exactDecimal(x: number): Decimal {
  if (x === 0) return { d: '', dp: 0 }
  const view = new DataView(new ArrayBuffer(8))
  view.setFloat64(0, x)
  const bits = view.getBigUint64(0)
  const exp = Number((bits >> 52n) & 0x7ffn)
  let mant = bits & ((1n << 52n) - 1n)
  let e2: number
  if (exp === 0) e2 = -1074
  else {
    mant |= 1n << 52n
    e2 = exp - 1075
  }
  let digits: string
  let dp: number
  if (e2 >= 0) {
    digits = (mant << BigInt(e2)).toString()
    dp = digits.length
  } else {
    digits = (mant * 5n ** BigInt(-e2)).toString()
    dp = digits.length + e2
  }
  return trimDecimal({ d: digits, dp })
}

function trimDecimal(a: Decimal): Decimal {
  let d = a.d.replace(/0+$/, '')
  let dp = a.dp
  const lead = d.length - d.replace(/^0+/, '').length
  d = d.slice(lead)
  dp -= lead
  if (d === '') dp = 0
  return { d, dp }
}

/** Shortest digits that read back as the same double (what Go's precision -1 gives). */
function shortestDecimal(x: number): Decimal {
  if (x === 0) return { d: '', dp: 0 }
  const [m, e] = x.toExponential().split('e') as [string, string]
  return trimDecimal({ d: m.replace('.', ''), dp: Number(e) + 1 })
}

/** Go's `decimal.Round(nd)`: round half to even on exact digits. */
function roundDecimal(a: Decimal, nd: number): Decimal {
  if (nd < 0 || nd >= a.d.length) return a
  let up: boolean
  if (a.d[nd] === '5' && nd + 1 === a.d.length) up = nd > 0 && (a.d.charCodeAt(nd - 1) - 48) % 2 === 1
  else up = a.d[nd]! >= '5'
  if (!up) return trimDecimal({ d: a.d.slice(0, nd), dp: a.dp })
  let i = nd - 1
  while (i >= 0 && a.d[i] === '9') i--
  if (i < 0) return { d: '1', dp: a.dp + 1 }
  return trimDecimal({ d: a.d.slice(0, i) + String.fromCharCode(a.d.charCodeAt(i) + 1), dp: a.dp })
}

const digitAt = (a: Decimal, i: number): string => (i >= 0 && i < a.d.length ? a.d[i]! : '0')

function fmtE(a: Decimal, prec: number, e: string): string {
  let s = a.d.length === 0 ? '0' : a.d[0]!
  if (prec > 0) {
    s += '.'
    for (let i = 1; i <= prec; i++) s += digitAt(a, i)
  }
  const exp = a.d.length === 0 ? 0 : a.dp - 1
  const ae = Math.abs(exp)
  return s + e + (exp < 0 ? '-' : '+') + (ae < 10 ? '0' + ae : String(ae))
}

function fmtF(a: Decimal, prec: number): string {
  let s = ''
  if (a.dp > 0) for (let i = 0; i < a.dp; i++) s += digitAt(a, i)
  else s = '0'
  if (prec > 0) {
    s += '.'
    for (let i = 0; i < prec; i++) s += digitAt(a, a.dp + i)
  }
  return s
}

/** Go's `strconv.FormatFloat(x, verb, prec, 64)` for a non-negative x. */
function formatFloat(x: number, verb: string, prec: number): string {
  const shortest = prec < 0
  let d: Decimal
  if (shortest) d = shortestDecimal(x)
  else {
    d = exactDecimal(x)
    if (verb === 'e' || verb === 'E') d = roundDecimal(d, prec + 1)
    else if (verb === 'f' || verb === 'F') d = roundDecimal(d, d.dp + prec)
    else {
      if (prec === 0) prec = 1
      d = roundDecimal(d, prec)
    }
  }
  switch (verb) {
    case 'e':
    case 'E':
      return fmtE(d, shortest ? Math.max(d.d.length - 1, 0) : prec, verb)
    case 'f':
    case 'F':
      return fmtF(d, shortest ? Math.max(d.d.length - d.dp, 0) : prec)
    default: {
      const nd = Math.max(d.d.length, 1)
      let p = shortest ? nd : prec
      let eprec = p
      if (eprec > d.d.length && d.d.length >= d.dp) eprec = d.d.length
      if (shortest) eprec = 6
      const exp = d.d.length === 0 ? 0 : d.dp - 1
      if (exp < -4 || exp >= eprec) {
        if (p > d.d.length) p = d.d.length
        return fmtE(d, Math.max(p - 1, 0), verb === 'G' ? 'E' : 'e')
      }
      if (p > d.dp) p = d.d.length
      return fmtF(d, Math.max(p - d.dp, 0))
    }
  }
}

/** Go's `strconv.FormatFloat(x, 'g', -1, 64)` (shortest digits, exponent from 1e+21 / 1e-05). */
export function goFormatFloatG(x: number): string {
  return (x < 0 ? '-' : '') + formatFloat(Math.abs(x), 'g', -1)
}

/** strconv's `%b` and `%x` of a non-negative double: binary or hexadecimal mantissa, binary exponent. */
function formatFloatBinary(x: number, verb: string, prec: number): string {
  const view = new DataView(new ArrayBuffer(8))
  view.setFloat64(0, x)
  const bits = view.getBigUint64(0)
  let exp = Number((bits >> 52n) & 0x7ffn)
  let mant = bits & ((1n << 52n) - 1n)
  if (exp === 0) exp++
  else mant |= 1n << 52n
  exp -= 1023
  if (verb === 'b') {
    const e = exp - 52
    return `${mant}p${e >= 0 ? '+' : '-'}${Math.abs(e)}`
  }
  if (mant === 0n) exp = 0
  mant <<= 8n
  while (mant !== 0n && (mant & (1n << 60n)) === 0n) {
    mant <<= 1n
    exp--
  }
  if (prec >= 0 && prec < 15) {
    const shift = BigInt(prec * 4)
    const extra = (mant << shift) & ((1n << 60n) - 1n)
    mant >>= 60n - shift
    if ((extra | (mant & 1n)) > 1n << 59n) mant++
    mant <<= 60n - shift
    if ((mant & (1n << 61n)) !== 0n) {
      mant >>= 1n
      exp++
    }
  }
  const hex = verb === 'X' ? '0123456789ABCDEF' : '0123456789abcdef'
  let out = '0' + verb + String((mant >> 60n) & 1n)
  mant = (mant << 4n) & ((1n << 64n) - 1n)
  if (prec < 0 && mant !== 0n) {
    out += '.'
    while (mant !== 0n) {
      out += hex[Number((mant >> 60n) & 15n)]
      mant = (mant << 4n) & ((1n << 64n) - 1n)
    }
  } else if (prec > 0) {
    out += '.'
    for (let i = 0; i < prec; i++) {
      out += hex[Number((mant >> 60n) & 15n)]
      mant = (mant << 4n) & ((1n << 64n) - 1n)
    }
  }
  const ae = Math.abs(exp)
  return out + (verb === 'X' ? 'P' : 'p') + (exp < 0 ? '-' : '+') + (ae < 10 ? '0' + ae : String(ae))
}

function fmtFloat(v: number, verb: string, f: Flags): string {
  let prec = verb === 'v' ? -1 : verb === 'f' || verb === 'F' || verb === 'e' || verb === 'E' ? 6 : -1
  if (f.prec !== undefined) prec = f.prec
  const neg = v < 0 || Object.is(v, -0)
  let num = 'bxX'.includes(verb) ? formatFloatBinary(Math.abs(v), verb, prec) : formatFloat(Math.abs(v), verb === 'v' ? 'g' : verb, prec)
  if (f.sharp && !num.includes('.') && !/[eE]/.test(num)) num += '.'
  const sign = neg ? '-' : f.plus ? '+' : f.space ? ' ' : ''
  if (sign !== '' && f.zero && !f.minus && f.wid !== undefined && f.wid > num.length + 1) {
    return sign + '0'.repeat(f.wid - num.length - 1) + num
  }
  return pad(sign + num, f)
}

function fmtString(s: string, verb: string, f: Flags): string | undefined {
  switch (verb) {
    case 'v':
    case 's': {
      let t = s
      if (f.prec !== undefined) t = Array.from(s).slice(0, f.prec).join('')
      return pad(t, f)
    }
    case 'x':
    case 'X': {
      let bytes = [...Buffer.from(s, 'utf8')]
      if (f.prec !== undefined && f.prec < bytes.length) bytes = bytes.slice(0, f.prec)
      const hex = bytes.map((b) => {
        const h = b.toString(16).padStart(2, '0')
        return verb === 'X' ? h.toUpperCase() : h
      })
      const prefix = f.sharp ? (verb === 'X' ? '0X' : '0x') : ''
      const out = f.space ? hex.map((h) => prefix + h).join(' ') : prefix + hex.join('')
      return pad(out, f)
    }
    case 'q':
      if (f.sharp && !s.includes('`') && !/[\u0000-\u0008\u000a-\u001f\u007f\ufeff]/.test(s)) return pad('`' + s + '`', f)
      return pad(f.plus ? goQuote(s).replace(/[^\x00-\x7f]/gu, asciiEscape) : goQuote(s), f)
    default:
      return undefined
  }
}

function asciiEscape(r: string): string {
  const cp = r.codePointAt(0)!
  return cp <= 0xffff ? '\\u' + cp.toString(16).padStart(4, '0') : '\\U' + cp.toString(16).padStart(8, '0')
}

function fmtIntArg(v: bigint, verb: string, f: Flags): string | undefined {
  switch (verb) {
    case 'v':
    case 'd':
      return fmtInteger(v, 10, verb, f, false)
    case 'b':
      return fmtInteger(v, 2, verb, f, false)
    case 'o':
    case 'O':
      return fmtInteger(v, 8, verb, f, false)
    case 'x':
      return fmtInteger(v, 16, verb, f, false)
    case 'X':
      return fmtInteger(v, 16, verb, f, true)
    case 'c':
      return pad(v >= 0n && v <= 0x10ffffn && (v < 0xd800n || v > 0xdfffn) ? String.fromCodePoint(Number(v)) : '\ufffd', f)
    case 'q': {
      const r = v >= 0n && v <= 0x10ffffn && (v < 0xd800n || v > 0xdfffn) ? String.fromCodePoint(Number(v)) : '\ufffd'
      return pad(goQuote(r, "'"), f)
    }
    case 'U': {
      let s = 'U+' + (v < 0n ? (2n ** 64n + v).toString(16) : v.toString(16)).toUpperCase().padStart(4, '0')
      if (f.sharp && v >= 0n && v <= 0x10ffffn) s += " '" + String.fromCodePoint(Number(v)) + "'"
      return pad(s, f)
    }
    default:
      return undefined
  }
}

/** `*big.Int`'s own `Format`. */
function fmtBig(v: bigint, verb: string, f: Flags): string {
  let base: number
  switch (verb) {
    case 'b':
      base = 2
      break
    case 'o':
    case 'O':
      base = 8
      break
    case 'd':
    case 's':
    case 'v':
      base = 10
      break
    case 'x':
    case 'X':
      base = 16
      break
    default:
      return `%!${verb}(big.Int=${v.toString()})`
  }
  const neg = v < 0n
  let digits = (neg ? -v : v).toString(base)
  if (verb === 'X') digits = digits.toUpperCase()
  const sign = neg ? '-' : f.plus ? '+' : f.space ? ' ' : ''
  let prefix = ''
  if (f.sharp) prefix = base === 2 ? '0b' : base === 8 ? '0' : verb === 'X' ? '0X' : base === 16 ? '0x' : ''
  if (verb === 'O') prefix = '0o'
  if (f.prec !== undefined) {
    if (digits.length < f.prec) digits = '0'.repeat(f.prec - digits.length) + digits
    else if (digits === '0' && f.prec === 0) return pad('', { ...f, zero: false })
  }
  const len = sign.length + prefix.length + digits.length
  if (f.wid !== undefined && len < f.wid) {
    const n = f.wid - len
    if (f.minus) return sign + prefix + digits + ' '.repeat(n)
    if (f.zero && f.prec === undefined) return sign + prefix + '0'.repeat(n) + digits
    return ' '.repeat(n) + sign + prefix + digits
  }
  return sign + prefix + digits
}

function printArg(a: GoArg, verb: string, f: Flags): string {
  if (verb === 'T') return pad(GO_TYPE[a.t], f)
  if (verb === 'v' && f.sharp && (a.t === 'string' || a.t === 'jsonnum')) return pad(goQuote(a.v), f)
  let out: string | undefined
  switch (a.t) {
    case 'int':
      out = fmtIntArg(a.v, verb, f)
      break
    case 'big':
      return fmtBig(a.v, verb, f)
    case 'float':
      out = 'vbgGxXfFeE'.includes(verb) ? fmtFloat(a.v, verb, f) : undefined
      break
    case 'string':
    case 'jsonnum':
      out = fmtString(a.v, verb, f)
      break
  }
  if (out !== undefined) return out
  return `%!${verb}(${GO_TYPE[a.t]}=${printArg(a, 'v', f)})`
}

/** Go's `fmt.Sprintf(format, args...)`. */
export function goSprintf(format: string, args: readonly GoArg[]): string {
  let out = ''
  let argNum = 0
  let reordered = false
  const end = format.length
  let i = 0
  while (i < end) {
    const j = format.indexOf('%', i)
    if (j < 0) {
      out += format.slice(i)
      break
    }
    out += format.slice(i, j)
    i = j + 1
    const f: Flags = { plus: false, minus: false, sharp: false, space: false, zero: false, wid: undefined, prec: undefined }
    flags: for (; i < end; i++) {
      switch (format[i]) {
        case '#':
          f.sharp = true
          break
        case '0':
          f.zero = !f.minus
          break
        case '+':
          f.plus = true
          break
        case '-':
          f.minus = true
          f.zero = false
          break
        case ' ':
          f.space = true
          break
        default:
          break flags
      }
    }
    let goodArgNum = true
    let afterIndex = false
    const argNumber = (): void => {
      afterIndex = false
      if (i >= end || format[i] !== '[') return
      reordered = true
      const close = format.indexOf(']', i + 1)
      if (close < 0) {
        goodArgNum = false
        return
      }
      const n = /^[0-9]+$/.test(format.slice(i + 1, close)) ? Number(format.slice(i + 1, close)) : NaN
      if (!(n >= 1 && n <= args.length)) goodArgNum = false
      else argNum = n - 1
      i = close + 1
      afterIndex = true
    }
    const intFromArg = (): number | undefined => {
      const a = argNum < args.length ? args[argNum] : undefined
      argNum++
      if (a === undefined || a.t !== 'int') return undefined
      const n = Number(a.v)
      return Math.abs(n) > 1e6 ? undefined : n
    }
    argNumber()
    if (i < end && format[i] === '*') {
      i++
      const w = intFromArg()
      if (w === undefined) out += '%!(BADWIDTH)'
      else if (w < 0) {
        f.minus = true
        f.zero = false
        f.wid = -w
      } else f.wid = w
      afterIndex = false
    } else {
      const m = /^[0-9]+/.exec(format.slice(i))
      if (m !== null) {
        if (afterIndex) goodArgNum = false
        f.wid = Number(m[0])
        i += m[0].length
      }
    }
    if (i + 1 <= end && format[i] === '.') {
      i++
      if (afterIndex) goodArgNum = false
      argNumber()
      if (i < end && format[i] === '*') {
        i++
        const p = intFromArg()
        if (p === undefined || p < 0) {
          out += '%!(BADPREC)'
          f.prec = undefined
        } else f.prec = p
        afterIndex = false
      } else {
        const m = /^[0-9]+/.exec(format.slice(i))
        f.prec = m === null ? 0 : Number(m[0])
        if (m !== null) i += m[0].length
      }
    }
    if (!afterIndex) argNumber()
    if (i >= end) {
      out += '%!(NOVERB)'
      break
    }
    const verb = String.fromCodePoint(format.codePointAt(i)!)
    i += verb.length
    if (verb === '%') {
      out += '%'
      continue
    }
    if (!goodArgNum) {
      out += `%!${verb}(BADINDEX)`
      continue
    }
    if (argNum >= args.length) {
      out += `%!${verb}(MISSING)`
      continue
    }
    out += printArg(args[argNum]!, verb, f)
    argNum++
  }
  if (!reordered && argNum < args.length) {
    const none: Flags = { plus: false, minus: false, sharp: false, space: false, zero: false, wid: undefined, prec: undefined }
    out += '%!(EXTRA ' + args.slice(argNum).map((a) => `${GO_TYPE[a.t]}=${printArg(a, 'v', none)}`).join(', ') + ')'
  }
  return out
}

export function register(reg: BuiltinRegistry): void {
  reg.register({
    name: 'sprintf',
    args: [
      { name: 'format', type: 'string', description: 'string with formatting verbs' },
      { name: 'values', type: 'array[any]', description: 'arguments to format into formatting verbs' },
    ],
    result: { name: 'output', type: 'string', description: '`format` formatted by the values in `values`' },
    description: 'Returns the given string, formatted.',
    categories: ['strings'],
    impl([fmt, vals]) {
      const format = stringOperand(fmt!, 1)
      if (!Array.isArray(vals)) throw operandTypeError(2, vals!, 'array')
      return goSprintf(format, (vals as readonly Value[]).map(toGoArg))
    },
  })
}
