/**
 * String built-ins (OPA `topdown/strings.go`). Offsets and lengths are in runes (code points), as
 * in OPA, never in UTF-16 units.
 */
import { BuiltinError, type BuiltinRegistry } from './builtin.js'
import {
  numberOperand,
  objectOperand,
  operandElementError,
  operandEnumError,
  operandError,
  operandTypeError,
  intOperand,
  stringOperand,
} from './operands.js'
import { RSet, isInteger, toBigInt } from '../value/value.js'
import {
  goCase,
  goCount,
  goReplaceAll,
  goReplacer,
  goSplit,
  goTrim,
  goTrimSpace,
  isASCII,
  runes,
  stringsOperand,
} from './strings-util.js'

const S = 'string'
const strings = ['strings'] as const

export function register(reg: BuiltinRegistry): void {
  reg.register({
    name: 'concat',
    args: [
      { name: 'delimiter', type: S, description: 'string to use as a delimiter' },
      { name: 'collection', type: 'any<array[string], set[string]>', description: 'strings to join' },
    ],
    result: { name: 'output', type: S, description: 'the joined string' },
    description: 'Joins a set or array of strings with a delimiter.',
    categories: strings,
    impl([d, c]) {
      const delim = stringOperand(d!, 1)
      if (!Array.isArray(c) && !(c instanceof RSet)) throw operandTypeError(2, c!, 'set', 'array')
      const items = Array.isArray(c) ? c : (c as RSet).sortedValues()
      const parts = items.map((x) => {
        if (typeof x !== 'string') throw operandElementError(2, c!, x, 'string')
        return x
      })
      return parts.join(delim)
    },
  })

  reg.register({
    name: 'contains',
    args: [
      { name: 'haystack', type: S, description: 'string to search in' },
      { name: 'needle', type: S, description: 'substring to look for' },
    ],
    result: { name: 'result', type: 'boolean', description: 'result of the containment check' },
    description: 'Returns `true` if the search string is included in the base string',
    categories: strings,
    impl: ([a, b]) => stringOperand(a!, 1).includes(stringOperand(b!, 2)),
  })

  reg.register({
    name: 'startswith',
    args: [
      { name: 'search', type: S, description: 'search string' },
      { name: 'base', type: S, description: 'base string' },
    ],
    result: { name: 'result', type: 'boolean', description: 'result of the prefix check' },
    description: 'Returns true if the search string begins with the base string.',
    categories: strings,
    impl: ([a, b]) => stringOperand(a!, 1).startsWith(stringOperand(b!, 2)),
  })

  reg.register({
    name: 'endswith',
    args: [
      { name: 'search', type: S, description: 'search string' },
      { name: 'base', type: S, description: 'base string' },
    ],
    result: { name: 'result', type: 'boolean', description: 'result of the suffix check' },
    description: 'Returns true if the search string ends with the base string.',
    categories: strings,
    impl: ([a, b]) => stringOperand(a!, 1).endsWith(stringOperand(b!, 2)),
  })

  reg.register({
    name: 'format_int',
    args: [
      { name: 'number', type: 'number', description: 'number to format' },
      { name: 'base', type: 'number', description: 'base of number representation to use' },
    ],
    result: { name: 'output', type: S, description: 'formatted number' },
    description:
      'Returns the string representation of the number in the given base after rounding it down to an integer value.',
    categories: strings,
    impl([n, b]) {
      const x = numberOperand(n!, 1)
      const base = numberOperand(b!, 2)
      if (base !== 2 && base !== 8 && base !== 10 && base !== 16) throw operandEnumError(2, '2', '8', '10', '16')
      const i = typeof x === 'bigint' ? x : isInteger(x) ? toBigInt(x) : BigInt(Math.trunc(x))
      return i.toString(base)
    },
  })

  reg.register({
    name: 'indexof',
    args: [
      { name: 'haystack', type: S, description: 'string to search in' },
      { name: 'needle', type: S, description: 'substring to look for' },
    ],
    result: { name: 'output', type: 'number', description: 'index of first occurrence, `-1` if not found' },
    description: 'Returns the index of a substring contained inside a string.',
    categories: strings,
    impl([a, b]) {
      const base = stringOperand(a!, 1)
      const search = stringOperand(b!, 2)
      if (search === '') throw new BuiltinError('empty search character')
      const i = base.indexOf(search)
      if (i < 0 || isASCII(base)) return i
      return runes(base.slice(0, i)).length
    },
  })

  reg.register({
    name: 'indexof_n',
    args: [
      { name: 'haystack', type: S, description: 'string to search in' },
      { name: 'needle', type: S, description: 'substring to look for' },
    ],
    result: { name: 'output', type: 'array[number]', description: 'all indices at which `needle` occurs in `haystack`, may be empty' },
    description: 'Returns a list of all the indexes of a substring contained inside a string.',
    categories: strings,
    impl([a, b]) {
      const base = runes(stringOperand(a!, 1))
      const search = runes(stringOperand(b!, 2))
      if (search.length === 0) throw new BuiltinError('empty search character')
      const out: number[] = []
      for (let i = 0; i + search.length <= base.length; i++) {
        let ok = true
        for (let j = 0; j < search.length; j++) {
          if (base[i + j] !== search[j]) {
            ok = false
            break
          }
        }
        if (ok) out.push(i)
      }
      return Object.freeze(out)
    },
  })

  reg.register({
    name: 'lower',
    args: [{ name: 'x', type: S, description: 'string that is converted to lower-case' }],
    result: { name: 'y', type: S, description: 'lower-case of x' },
    description: 'Returns the input string but with all characters in lower-case.',
    categories: strings,
    impl: ([x]) => goCase(stringOperand(x!, 1), false),
  })

  reg.register({
    name: 'upper',
    args: [{ name: 'x', type: S, description: 'string that is converted to upper-case' }],
    result: { name: 'y', type: S, description: 'upper-case of x' },
    description: 'Returns the input string but with all characters in upper-case.',
    categories: strings,
    impl: ([x]) => goCase(stringOperand(x!, 1), true),
  })

  reg.register({
    name: 'replace',
    args: [
      { name: 'x', type: S, description: 'string being processed' },
      { name: 'old', type: S, description: 'substring to replace' },
      { name: 'new', type: S, description: 'string to replace `old` with' },
    ],
    result: { name: 'y', type: S, description: 'string with replaced substrings' },
    description: 'Replace replaces all instances of a sub-string.',
    categories: strings,
    impl: ([s, o, n]) => goReplaceAll(stringOperand(s!, 1), stringOperand(o!, 2), stringOperand(n!, 3)),
  })

  reg.register({
    name: 'split',
    args: [
      { name: 'x', type: S, description: 'string that is split' },
      { name: 'delimiter', type: S, description: 'delimiter used for splitting' },
    ],
    result: { name: 'ys', type: 'array[string]', description: 'split parts' },
    description: 'Split returns an array containing elements of the input string split on a delimiter.',
    categories: strings,
    impl: ([s, d]) => Object.freeze(goSplit(stringOperand(s!, 1), stringOperand(d!, 2))),
  })

  reg.register({
    name: 'substring',
    args: [
      { name: 'value', type: S, description: 'string to extract substring from' },
      { name: 'offset', type: 'number', description: 'offset, must be positive' },
      { name: 'length', type: 'number', description: 'length of the substring starting from `offset`' },
    ],
    result: { name: 'output', type: S, description: 'substring of `value` from `offset`, of length `length`' },
    description:
      'Returns the  portion of a string for a given `offset` and a `length`.  If `length < 0`, `output` is the remainder of the string.',
    categories: strings,
    impl([v, o, l]) {
      const base = stringOperand(v!, 1)
      const rs = isASCII(base) ? null : runes(base)
      const len = rs === null ? base.length : rs.length
      const start = Number(intOperand(o!, 2))
      const length = Number(intOperand(l!, 3))
      if (start < 0) throw new BuiltinError('negative offset')
      if (start >= len) return ''
      const end = length < 0 ? len : Math.min(len, start + length)
      return rs === null ? base.slice(start, end) : rs.slice(start, end).join('')
    },
  })

  const trimDecl = (name: string, second: string, desc: string, second_desc: string, f: (s: string, c: string) => string): void =>
    reg.register({
      name,
      args: [
        { name: 'value', type: S, description: 'string to trim' },
        { name: second, type: S, description: second_desc },
      ],
      result: { name: 'output', type: S, description: 'string trimmed of `' + second + '` characters' },
      description: desc,
      categories: strings,
      impl: ([s, c]) => f(stringOperand(s!, 1), stringOperand(c!, 2)),
    })
  trimDecl('trim', 'cutset', 'Returns `value` with all leading or trailing instances of the `cutset` characters removed.', 'string of characters that are cut off', (s, c) => goTrim(s, c, true, true))
  trimDecl('trim_left', 'cutset', 'Returns `value` with all leading instances of the `cutset` characters removed.', 'string of characters that are cut off on the left', (s, c) => goTrim(s, c, true, false))
  trimDecl('trim_right', 'cutset', 'Returns `value` with all trailing instances of the `cutset` characters removed.', 'string of characters that are cut off on the right', (s, c) => goTrim(s, c, false, true))
  trimDecl('trim_prefix', 'prefix', 'Returns `value` without the prefix. If `value` doesn\'t start with `prefix`, it is returned unchanged.', 'prefix to cut off', (s, p) => (s.startsWith(p) ? s.slice(p.length) : s))
  trimDecl('trim_suffix', 'suffix', 'Returns `value` without the suffix. If `value` doesn\'t end with `suffix`, it is returned unchanged.', 'suffix to cut off', (s, p) => (p !== '' && s.endsWith(p) ? s.slice(0, s.length - p.length) : s))

  reg.register({
    name: 'trim_space',
    args: [{ name: 'value', type: S, description: 'string to trim' }],
    result: { name: 'output', type: S, description: 'string leading and trailing white space cut off' },
    description: 'Return the given string with all leading and trailing white space removed.',
    categories: strings,
    impl: ([s]) => goTrimSpace(stringOperand(s!, 1)),
  })

  const anyMatch = (name: string, what: string, test: (s: string, p: string) => boolean): void =>
    reg.register({
      name,
      args: [
        { name: 'search', type: 'any<string, array[string], set[string]>', description: 'search string(s)' },
        { name: 'base', type: 'any<string, array[string], set[string]>', description: `${what}(es) to test` },
      ],
      result: { name: 'result', type: 'boolean', description: `result of the ${what} check` },
      description: `Returns true if any of the search strings ${what === 'prefix' ? 'begins' : 'ends'} with any of the base strings.`,
      categories: strings,
      impl([a, b]) {
        const ss = stringsOperand(a!, 1)
        const ps = stringsOperand(b!, 2)
        return ss.some((s) => ps.some((p) => test(s, p)))
      },
    })
  anyMatch('strings.any_prefix_match', 'prefix', (s, p) => s.startsWith(p))
  anyMatch('strings.any_suffix_match', 'suffix', (s, p) => s.endsWith(p))

  reg.register({
    name: 'strings.count',
    args: [
      { name: 'search', type: S, description: 'string to search in' },
      { name: 'substring', type: S, description: 'substring to look for' },
    ],
    result: { name: 'output', type: 'number', description: 'count of occurrences, `0` if not found' },
    description: 'Returns the number of non-overlapping instances of a substring in a string.',
    categories: strings,
    impl: ([s, sub]) => goCount(stringOperand(s!, 1), stringOperand(sub!, 2)),
  })

  reg.register({
    name: 'strings.replace_n',
    args: [
      { name: 'patterns', type: 'object[string: string]', description: 'replacement pairs' },
      { name: 'value', type: S, description: 'string to replace substring matches in' },
    ],
    result: { name: 'output', type: S, description: 'string with replaced substrings' },
    description:
      'Replaces a string from a list of old, new string pairs.\nReplacements are performed in the order they appear in the target string, without overlapping matches.\nThe old string comparisons are done in argument order.',
    categories: strings,
    impl([p, v]) {
      const patterns = objectOperand(p!, 1)
      const pairs: [string, string][] = []
      for (const [k, val] of patterns.entries()) {
        if (typeof k !== 'string') throw operandError(1, 'non-string key found in pattern object')
        if (typeof val !== 'string') throw operandError(1, 'non-string value found in pattern object')
        pairs.push([k, val])
      }
      return goReplacer(stringOperand(v!, 2), pairs)
    },
  })

  reg.register({
    name: 'strings.reverse',
    args: [{ name: 'x', type: S, description: 'string to reverse' }],
    result: { name: 'y', type: S, description: 'reversed string' },
    description: 'Reverses a given string.',
    categories: strings,
    impl: ([x]) => runes(stringOperand(x!, 1)).reverse().join(''),
  })
}

