/**
 * Regular-expression built-ins (OPA `topdown/regex.go`): RE2 syntax and semantics through re2js,
 * as Go's `regexp` package, never JavaScript's RegExp. Compiled patterns are cached.
 */
import { RE2JS } from 're2js'
import { BuiltinError, type BuiltinRegistry } from './builtin.js'
import { intOperand, stringOperand } from './operands.js'
import { globsIntersect } from './regex-globs.js'
import type { Value } from '../value/value.js'

type RE2 = ReturnType<RE2JS['re2']>

const CACHE_LIMIT = 1000
const cache = new Map<string, RE2JS>()

function compiled(pattern: string): RE2JS {
  let re = cache.get(pattern)
  if (re === undefined) {
    try {
      re = RE2JS.compile(pattern)
    } catch (e) {
      throw new BuiltinError((e as Error).message)
    }
    if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!)
    cache.set(pattern, re)
  }
  return re
}

/** Compiles (or fetches) a pattern; a syntax error becomes a built-in error with Go's text. */
export function compileRegex(pattern: string): RE2 {
  return compiled(pattern).re2()
}

const frozen = <T>(xs: T[]): readonly T[] => Object.freeze(xs)

/** Go's `Regexp.Split(s, -1)`. */
function regexSplit(re: RE2, s: string, hasExpr: boolean): string[] {
  if (hasExpr && s.length === 0) return ['']
  const matches = (re.findAllIndex(s, -1) ?? []) as number[][]
  const out: string[] = []
  let beg = 0
  let end = 0
  for (const m of matches) {
    end = m[0]!
    if (m[1] !== 0) out.push(s.slice(beg, end))
    beg = m[1]!
  }
  if (end !== s.length) out.push(s.slice(beg))
  return out
}

const isNameChar = (c: string): boolean => /[A-Za-z0-9_]/.test(c)

/** Go's `Regexp.ReplaceAllString`: `$1`, `${1}`, `$name`, `${name}` and `$$` in the template. */
function regexReplaceAll(re: RE2, s: string, template: string, names: Record<string, number>): string {
  const matches = (re.findAllSubmatchIndex(s, -1) ?? []) as number[][]
  if (matches.length === 0) return s
  const ngroups = re.numberOfCapturingGroups()
  let out = ''
  let last = 0
  for (const m of matches) {
    out += s.slice(last, m[0])
    out += expand(template, (name) => {
      let idx: number
      if (/^[0-9]+$/.test(name)) idx = Number(name)
      else if (Object.hasOwn(names, name)) idx = names[name]!
      else return ''
      if (idx > ngroups || m[2 * idx]! < 0) return ''
      return s.slice(m[2 * idx], m[2 * idx + 1])
    })
    last = m[1]!
  }
  return out + s.slice(last)
}

function expand(template: string, group: (name: string) => string): string {
  let out = ''
  let i = 0
  while (i < template.length) {
    const j = template.indexOf('$', i)
    if (j < 0) {
      out += template.slice(i)
      break
    }
    out += template.slice(i, j)
    i = j + 1
    if (template[i] === '$') {
      out += '$'
      i++
      continue
    }
    let name = ''
    if (template[i] === '{') {
      const close = template.indexOf('}', i + 1)
      const inner = close < 0 ? '' : template.slice(i + 1, close)
      if (close < 0 || inner === '' || ![...inner].every(isNameChar)) {
        out += '$'
        continue
      }
      name = inner
      i = close + 1
    } else {
      let k = i
      while (k < template.length && isNameChar(template[k]!)) k++
      if (k === i) {
        out += '$'
        continue
      }
      name = template.slice(i, k)
      i = k
    }
    out += group(name)
  }
  return out
}

/** Go's `regexp.QuoteMeta`. */
export function quoteMeta(s: string): string {
  return s.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&')
}

/** OPA's `regex.template_match` template compiler (after gorilla/mux). */
function templateRegex(tpl: string, start: string, end: string): RE2 {
  const idxs: number[] = []
  let level = 0
  let idx = 0
  for (let i = 0; i < tpl.length; i++) {
    if (tpl[i] === start) {
      if (++level === 1) idx = i
    } else if (tpl[i] === end) {
      if (--level === 0) idxs.push(idx, i + 1)
      else if (level < 0) throw new BuiltinError(`unbalanced braces in ${JSON.stringify(tpl)}`)
    }
  }
  if (level !== 0) throw new BuiltinError(`unbalanced braces in ${JSON.stringify(tpl)}`)
  let pattern = '^'
  let last = 0
  for (let i = 0; i < idxs.length; i += 2) {
    const raw = tpl.slice(last, idxs[i])
    last = idxs[i + 1]!
    const patt = tpl.slice(idxs[i]! + 1, last - 1)
    pattern += `${quoteMeta(raw)}(${patt})`
    compileRegex(`^${patt}$`)
  }
  pattern += quoteMeta(tpl.slice(last)) + '$'
  return compileRegex(pattern)
}

export function register(reg: BuiltinRegistry): void {
  const S = 'string'
  const regex = ['regex'] as const

  reg.register({
    name: 'regex.is_valid',
    args: [{ name: 'pattern', type: S, description: 'regular expression' }],
    result: { name: 'result', type: 'boolean', description: 'true if `pattern` is a valid regular expression' },
    description: 'Checks if a string is a valid regular expression: the detailed syntax for patterns is defined by https://github.com/google/re2/wiki/Syntax.',
    categories: regex,
    impl([p]) {
      if (typeof p !== 'string') return false
      try {
        compileRegex(p)
        return true
      } catch {
        return false
      }
    },
  })

  const matchImpl = ([p, v]: readonly Value[]): boolean => {
    const pattern = stringOperand(p!, 1)
    const value = stringOperand(v!, 2)
    return compileRegex(pattern).match(value) as boolean
  }

  reg.register({
    name: 'regex.match',
    args: [
      { name: 'pattern', type: S, description: 'regular expression' },
      { name: 'value', type: S, description: 'value to match against `pattern`' },
    ],
    result: { name: 'result', type: 'boolean', description: 'true if `value` matches `pattern`' },
    description: 'Matches a string against a regular expression.',
    categories: regex,
    impl: (args) => matchImpl(args),
  })

  reg.register({
    name: 're_match',
    args: [{ type: S }, { type: S }],
    result: { type: 'boolean' },
    deprecated: true,
    impl: (args) => matchImpl(args),
  })

  reg.register({
    name: 'regex.find_n',
    args: [
      { name: 'pattern', type: S, description: 'regular expression' },
      { name: 'value', type: S, description: 'string to match' },
      { name: 'number', type: 'number', description: 'number of matches to return; `-1` means all matches' },
    ],
    result: { name: 'output', type: 'array[string]', description: 'collected matches' },
    description: 'Returns the specified number of matches when matching the input against the pattern.',
    categories: regex,
    impl([p, v, n]) {
      const pattern = stringOperand(p!, 1)
      const s = stringOperand(v!, 2)
      const count = Number(intOperand(n!, 3))
      const re = compileRegex(pattern)
      if (count === 0) return frozen([])
      return frozen(((re.findAll(s, count) ?? []) as string[]).slice())
    },
  })

  reg.register({
    name: 'regex.find_all_string_submatch_n',
    args: [
      { name: 'pattern', type: S, description: 'regular expression' },
      { name: 'value', type: S, description: 'string to match' },
      { name: 'number', type: 'number', description: 'number of matches to return; `-1` means all matches' },
    ],
    result: { name: 'output', type: 'array[array[string]]', description: 'array of all matches' },
    description: 'Returns all successive matches of the expression.',
    categories: regex,
    impl([p, v, n]) {
      const pattern = stringOperand(p!, 1)
      const s = stringOperand(v!, 2)
      const count = Number(intOperand(n!, 3))
      const re = compileRegex(pattern)
      if (count === 0) return frozen([])
      const all = (re.findAllSubmatch(s, count) ?? []) as (string | null)[][]
      return frozen(all.map((m) => frozen(m.map((g) => g ?? ''))))
    },
  })

  reg.register({
    name: 'regex.split',
    args: [
      { name: 'pattern', type: S, description: 'regular expression' },
      { name: 'value', type: S, description: 'string to match' },
    ],
    result: { name: 'output', type: 'array[string]', description: 'the parts obtained by splitting `value`' },
    description: 'Splits the input string by the occurrences of the given pattern.',
    categories: regex,
    impl([p, v]) {
      const pattern = stringOperand(p!, 1)
      const value = stringOperand(v!, 2)
      return frozen(regexSplit(compileRegex(pattern), value, pattern.length > 0))
    },
  })

  reg.register({
    name: 'regex.replace',
    args: [
      { name: 's', type: S, description: 'string being processed' },
      { name: 'pattern', type: S, description: 'regex pattern to be applied' },
      { name: 'value', type: S, description: 'regex value' },
    ],
    result: { name: 'output', type: S, description: 'string with replaced substrings' },
    description: 'Find and replaces the text using the regular expression pattern.',
    categories: regex,
    impl([s, p, v]) {
      const base = stringOperand(s!, 1)
      const pattern = stringOperand(p!, 2)
      const value = stringOperand(v!, 3)
      const re = compileRegex(pattern)
      return regexReplaceAll(re, base, value, compiled(pattern).namedGroups())
    },
  })

  reg.register({
    name: 'regex.template_match',
    args: [
      { name: 'template', type: S, description: 'template expression containing `0..n` regular expressions' },
      { name: 'value', type: S, description: 'string to match' },
      { name: 'delimiter_start', type: S, description: 'start delimiter of the regular expression in `template`' },
      { name: 'delimiter_end', type: S, description: 'end delimiter of the regular expression in `template`' },
    ],
    result: { name: 'result', type: 'boolean', description: 'true if `value` matches the `template`' },
    description:
      'Matches a string against a pattern, where there pattern may be glob-like',
    categories: regex,
    impl([t, v, ds, de]) {
      const tpl = stringOperand(t!, 1)
      const value = stringOperand(v!, 2)
      const start = stringOperand(ds!, 3)
      const end = stringOperand(de!, 4)
      const sl = Buffer.byteLength(start)
      const el = Buffer.byteLength(end)
      if (sl !== 1) throw new BuiltinError(`start delimiter has to be exactly one character long but is ${sl} long`)
      // OPA reports the start delimiter's length here too.
      if (el !== 1) throw new BuiltinError(`end delimiter has to be exactly one character long but is ${sl} long`)
      return templateRegex(tpl, start, end).match(value) as boolean
    },
  })

  reg.register({
    name: 'regex.globs_match',
    args: [
      { name: 'glob1', type: S, description: 'first glob-style regular expression' },
      { name: 'glob2', type: S, description: 'second glob-style regular expression' },
    ],
    result: { name: 'result', type: 'boolean', description: 'true if the intersection of `glob1` and `glob2` matches a non-empty set of non-empty strings' },
    description:
      'Checks if the intersection of two glob-style regular expressions matches a non-empty set of non-empty strings.\nThe set of regex symbols is limited for this builtin: only `.`, `*`, `+`, `[`, `-`, `]` and `\\` are treated as special symbols.',
    categories: regex,
    impl: ([a, b]) => globsIntersect(stringOperand(a!, 1), stringOperand(b!, 2)),
  })
}
