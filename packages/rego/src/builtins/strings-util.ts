/**
 * Go string semantics for the string built-ins: Go strings are UTF-8 bytes and most of OPA's
 * string functions work on runes (code points), while JavaScript strings are UTF-16. These helpers
 * give the Go answer.
 */
import { RSet, type Value } from '../value/value.js'
import { operandElementError, operandTypeError } from './operands.js'

/** The code points of a string, as Go's `[]rune(s)`. */
export function runes(s: string): string[] {
  return Array.from(s)
}

/** True when every UTF-16 unit is ASCII, so byte, rune and unit indexes agree. */
export function isASCII(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false
  return true
}

/** Number of UTF-8 bytes of a string. */
export function utf8Length(s: string): number {
  return Buffer.byteLength(s, 'utf8')
}

/** Go's `unicode.IsSpace`. */
export function isGoSpace(cp: number): boolean {
  if (cp <= 0xff) return cp === 0x20 || (cp >= 0x09 && cp <= 0x0d) || cp === 0x85 || cp === 0xa0
  return cp === 0x1680 || (cp >= 0x2000 && cp <= 0x200a) || cp === 0x2028 || cp === 0x2029 || cp === 0x202f || cp === 0x205f || cp === 0x3000
}

/** Go's `strings.TrimSpace`. */
export function goTrimSpace(s: string): string {
  const rs = runes(s)
  let a = 0
  let b = rs.length
  while (a < b && isGoSpace(rs[a]!.codePointAt(0)!)) a++
  while (b > a && isGoSpace(rs[b - 1]!.codePointAt(0)!)) b--
  return rs.slice(a, b).join('')
}

/** Go's `strings.ToLower` / `ToUpper` rune by rune (no multi-rune expansions as JavaScript does). */
export function goCase(s: string, upper: boolean): string {
  let out = ''
  for (const r of s) {
    if (r === '\u0130' && !upper) {
      out += 'i'
      continue
    }
    const m = upper ? r.toUpperCase() : r.toLowerCase()
    out += m.length === r.length || Array.from(m).length === 1 ? m : r
  }
  return out
}

/** Go's `strings.Split` (an empty separator splits into runes). */
export function goSplit(s: string, sep: string): string[] {
  if (sep === '') return runes(s)
  return s.split(sep)
}

/** Go's `strings.ReplaceAll` (an empty `old` inserts `repl` around every rune). */
export function goReplaceAll(s: string, old: string, repl: string): string {
  if (old === '') return repl + runes(s).map((r) => r + repl).join('')
  return s.split(old).join(repl)
}

/** Go's `strings.Count` (an empty substring counts rune boundaries). */
export function goCount(s: string, sub: string): number {
  if (sub === '') return runes(s).length + 1
  let n = 0
  for (let i = s.indexOf(sub); i >= 0; i = s.indexOf(sub, i + sub.length)) n++
  return n
}

/** Go's `strings.NewReplacer(oldnew...).Replace(s)`: at each position the earliest pair wins. */
export function goReplacer(s: string, pairs: readonly (readonly [string, string])[]): string {
  let out = ''
  let i = 0
  let prevEmpty = false
  while (i <= s.length) {
    let hit: readonly [string, string] | undefined
    for (const p of pairs) {
      if (p[0] === '' && prevEmpty) continue
      if (s.startsWith(p[0], i)) {
        hit = p
        break
      }
    }
    prevEmpty = hit !== undefined && hit[0] === ''
    if (hit !== undefined) {
      out += hit[1]
      if (hit[0] !== '') {
        i += hit[0].length
        continue
      }
    }
    if (i === s.length) break
    if (hit !== undefined && hit[0] === '') continue
    const cp = s.codePointAt(i)!
    const w = cp > 0xffff ? 2 : 1
    out += s.slice(i, i + w)
    i += w
  }
  return out
}

const cutsetOf = (cutset: string): Set<string> => new Set(runes(cutset))

/** Go's `strings.TrimLeft` / `TrimRight` / `Trim` with a cutset of runes. */
export function goTrim(s: string, cutset: string, left: boolean, right: boolean): string {
  const set = cutsetOf(cutset)
  const rs = runes(s)
  let a = 0
  let b = rs.length
  if (left) while (a < b && set.has(rs[a]!)) a++
  if (right) while (b > a && set.has(rs[b - 1]!)) b--
  return rs.slice(a, b).join('')
}

/**
 * Go's `strconv.Quote`: printable runes as they are, `\a\b\f\n\r\t\v\\\"` escaped, other control
 * and non-printable runes as `\xNN`, `\uNNNN` or `\UNNNNNNNN`.
 */
export function goQuote(s: string, quote = '"'): string {
  let out = quote
  for (const r of s) {
    const cp = r.codePointAt(0)!
    if (r === quote || r === '\\') {
      out += '\\' + r
      continue
    }
    if (cp >= 0xd800 && cp <= 0xdfff) {
      out += '\\ufffd'
      continue
    }
    if (isPrintable(cp)) {
      out += r
      continue
    }
    switch (cp) {
      case 7:
        out += '\\a'
        break
      case 8:
        out += '\\b'
        break
      case 12:
        out += '\\f'
        break
      case 10:
        out += '\\n'
        break
      case 13:
        out += '\\r'
        break
      case 9:
        out += '\\t'
        break
      case 11:
        out += '\\v'
        break
      default:
        if (cp < 0x20 || cp === 0x7f) out += '\\x' + cp.toString(16).padStart(2, '0')
        else if (cp <= 0xffff) out += '\\u' + cp.toString(16).padStart(4, '0')
        else out += '\\U' + cp.toString(16).padStart(8, '0')
    }
  }
  return out + quote
}

const NON_PRINTABLE = /[\p{Cc}\p{Cf}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]/u

/** Go's `strconv.IsPrint`: letters, marks, numbers, punctuation, symbols and the ASCII space. */
export function isPrintable(cp: number): boolean {
  if (cp === 0x20) return true
  if (cp < 0x20 || cp === 0x7f) return false
  if (cp < 0x7f) return true
  return !NON_PRINTABLE.test(String.fromCodePoint(cp))
}

/** An operand that may be a string, or an array or set of strings (`strings.any_prefix_match`). */
export function stringsOperand(v: Value, pos: number): string[] {
  if (typeof v === 'string') return [v]
  if (Array.isArray(v) || v instanceof RSet) {
    const items = Array.isArray(v) ? v : v.sortedValues()
    return items.map((x) => {
      if (typeof x !== 'string') throw operandElementError(pos, v, x, 'string')
      return x
    })
  }
  throw operandTypeError(pos, v, 'string', 'set', 'array')
}
