/**
 * JSON text as Go's `json.Marshal` writes OPA values converted by `ast.JSON`: object keys sorted,
 * sets as arrays, `<`, `>` and `&` escaped. Used to build JWS headers and payloads from objects.
 */
import { BuiltinError } from './builtin.js'
import { goJSONString } from './crypto-pem.js'
import { formatNumber } from '../value/json.js'
import { RSet, type RObject, type Value } from '../value/value.js'

export function goMarshal(v: Value): string {
  switch (typeof v) {
    case 'string':
      return goJSONString(v)
    case 'number':
      return formatNumber(v)
    case 'bigint':
      return v.toString()
    case 'boolean':
      return v ? 'true' : 'false'
    default:
      if (v === null) return 'null'
      if (Array.isArray(v)) return '[' + v.map(goMarshal).join(',') + ']'
      if (v instanceof RSet) return '[' + v.sortedValues().map(goMarshal).join(',') + ']'
      return (
        '{' +
        [...(v as RObject).entries()]
          .map(([k, val]) => {
            if (typeof k !== 'string') throw new BuiltinError('object key type is not string')
            return goJSONString(k) + ':' + goMarshal(val)
          })
          .join(',') +
        '}'
      )
  }
}
