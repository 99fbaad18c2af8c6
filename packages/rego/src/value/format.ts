import { formatNumber } from './json.js'
import { RSet, type RObject, type Value } from './value.js'

/**
 * A value in Rego syntax, as OPA prints terms (`sprintf("%v")`, string interpolation, `print`):
 * strings quoted, `[1, 2]`, `{"a": 1}`, `{1, 2}`, `set()`.
 */
export function formatValue(v: Value): string {
  switch (typeof v) {
    case 'string':
      return JSON.stringify(v)
    case 'number':
      return formatNumber(v)
    case 'bigint':
      return v.toString()
    case 'boolean':
      return v ? 'true' : 'false'
    default:
      if (v === null) return 'null'
      if (Array.isArray(v)) return '[' + v.map(formatValue).join(', ') + ']'
      if (v instanceof RSet) return v.size === 0 ? 'set()' : '{' + v.sortedValues().map(formatValue).join(', ') + '}'
      return '{' + [...(v as RObject).entries()].map(([k, x]) => formatValue(k) + ': ' + formatValue(x)).join(', ') + '}'
  }
}
