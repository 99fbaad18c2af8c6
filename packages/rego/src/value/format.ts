import { formatNumber } from './json.js'
import { RSet, type RObject, type Value } from './value.js'

/**
 * A value in Rego syntax, as OPA's `Term.String()` prints it (`sprintf("%v")`, string
 * interpolation, `print`): `[1, 2]`, `{"a": 1}`, `{1, 2}`, `set()`. OPA quotes strings the way
 * Go's strconv.Quote does; the built-ins pass that quoter (`termString` in builtins/sprintf.ts),
 * JSON quoting is the default for callers outside the engine.
 */
export function formatValue(v: Value, quote: (s: string) => string = JSON.stringify): string {
  const f = (x: Value): string => formatValue(x, quote)
  switch (typeof v) {
    case 'string':
      return quote(v)
    case 'number':
      return formatNumber(v)
    case 'bigint':
      return v.toString()
    case 'boolean':
      return v ? 'true' : 'false'
    default:
      if (v === null) return 'null'
      if (Array.isArray(v)) return '[' + v.map(f).join(', ') + ']'
      if (v instanceof RSet) return v.size === 0 ? 'set()' : '{' + v.sortedValues().map(f).join(', ') + '}'
      return '{' + [...(v as RObject).entries()].map(([k, x]) => f(k) + ': ' + f(x)).join(', ') + '}'
  }
}
