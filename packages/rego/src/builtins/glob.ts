/**
 * Glob built-ins (OPA `topdown/glob.go`, gobwas/glob semantics). A glob is translated once into
 * an anchored RE2 pattern: `*` is any run of non-delimiter characters, `**` any run at all, `?`
 * one non-delimiter character, `[a-z]` / `[!a-z]` one character of (not of) a class, `{a,b}`
 * alternatives (which may nest), and `\` escapes. `delimiters` null means no delimiters; an empty
 * array means OPA's default `["."]`.
 */
import { BuiltinError, type BuiltinRegistry } from './builtin.js'
import { operandElementError, operandTypeError, stringOperand } from './operands.js'
import { compileRegex, quoteMeta } from './regex.js'

const escapeClassChar = (c: string): string => (/[\\\]\[^-]/.test(c) ? '\\' + c : c)

/** Translates a gobwas glob into an RE2 pattern (without anchors). */
export function globToRegex(glob: string, delimiters: readonly string[]): string {
  const rs = Array.from(glob)
  const notDelim = delimiters.length === 0 ? '.' : '[^' + delimiters.map(escapeClassChar).join('') + ']'
  let i = 0
  // Parses a sequence up to the end, or up to ',' / '}' when inside braces.
  const seq = (inBraces: boolean): string => {
    let out = ''
    while (i < rs.length) {
      const c = rs[i]!
      if (inBraces && (c === ',' || c === '}')) return out
      i++
      switch (c) {
        case '*':
          if (rs[i] === '*') {
            while (rs[i] === '*') i++
            out += '.*'
          } else out += notDelim + '*'
          break
        case '?':
          out += notDelim
          break
        case '\\':
          if (i >= rs.length) throw new BuiltinError('unexpected end of input')
          out += quoteMeta(rs[i++]!)
          break
        case '[': {
          let neg = false
          if (rs[i] === '!') {
            neg = true
            i++
          }
          let cls = ''
          let closed = false
          while (i < rs.length) {
            const d = rs[i++]!
            if (d === ']') {
              closed = true
              break
            }
            if (rs[i] === '-' && i + 1 < rs.length && rs[i + 1] !== ']') {
              const hi = rs[i + 1]!
              if (hi < d) throw new BuiltinError('hi character should be greater than lo character')
              cls += escapeClassChar(d) + '-' + escapeClassChar(hi)
              i += 2
            } else cls += escapeClassChar(d)
          }
          if (!closed) throw new BuiltinError('unexpected end of input')
          if (cls === '') throw new BuiltinError('unexpected length of lo character')
          out += (neg ? '[^' : '[') + cls + ']'
          break
        }
        case '{': {
          const alts: string[] = []
          for (;;) {
            alts.push(seq(true))
            if (i >= rs.length) throw new BuiltinError('unexpected end of input')
            if (rs[i++] === '}') break
          }
          out += '(?:' + alts.join('|') + ')'
          break
        }
        default:
          out += quoteMeta(c)
      }
    }
    if (inBraces) throw new BuiltinError('unexpected end of input')
    return out
  }
  return seq(false)
}

export function register(reg: BuiltinRegistry): void {
  reg.register({
    name: 'glob.match',
    args: [
      { name: 'pattern', type: 'string', description: 'glob pattern' },
      {
        name: 'delimiters',
        type: 'any<null, array[string]>',
        description: 'glob pattern delimiters, e.g. `[".", ":"]`, defaults to `["."]` if unset. If `delimiters` is `null`, glob match without delimiter.',
      },
      { name: 'match', type: 'string', description: 'string to match against `pattern`' },
    ],
    result: { name: 'result', type: 'boolean', description: 'true if `match` can be found in `pattern` which is separated by `delimiters`' },
    description: 'Parses and matches strings against the glob notation. Not to be confused with `regex.globs_match`.',
    categories: ['glob'],
    impl([p, d, m]) {
      const pattern = stringOperand(p!, 1)
      let delimiters: string[]
      if (d === null) delimiters = []
      else if (Array.isArray(d)) {
        delimiters = d.map((x) => {
          if (typeof x !== 'string') throw operandElementError(2, d, x, 'string')
          if (Array.from(x).length !== 1) throw operandElementError(2, d, x, 'rune')
          return x
        })
        if (delimiters.length === 0) delimiters = ['.']
      } else throw operandTypeError(2, d!, 'array', 'null')
      const match = stringOperand(m!, 3)
      return compileRegex('(?s)^' + globToRegex(pattern, delimiters) + '$').match(match) as boolean
    },
  })

  reg.register({
    name: 'glob.quote_meta',
    args: [{ name: 'pattern', type: 'string', description: 'glob pattern' }],
    result: { name: 'output', type: 'string', description: 'the escaped string of `pattern`' },
    description:
      'Returns a string which represents a version of the pattern where all asterisks have been escaped.',
    categories: ['glob'],
    impl: ([p]) => stringOperand(p!, 1).replace(/[*?\\[\]{}]/g, '\\$&'),
  })
}
