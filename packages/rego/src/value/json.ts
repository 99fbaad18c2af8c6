import { RObject, RSet, normalizeInt, type Value } from './value.js'

/**
 * Converts a JavaScript value (parsed JSON, possibly with bigints) into a Rego value.
 * Rejects what JSON cannot hold (undefined, functions, non-finite numbers) with a TypeError.
 */
export function fromJS(x: unknown): Value {
  switch (typeof x) {
    case 'string':
    case 'boolean':
      return x
    case 'number':
      if (!Number.isFinite(x)) throw new TypeError(`not a JSON number: ${x}`)
      return x
    case 'bigint':
      return normalizeInt(x)
    case 'object': {
      if (x === null) return null
      if (Array.isArray(x)) return Object.freeze(x.map(fromJS))
      if (x instanceof RObject || x instanceof RSet) return x
      if (x instanceof Set) return RSet.from([...x].map(fromJS))
      if (x instanceof Map) return RObject.from([...x].map(([k, v]) => [fromJS(k), fromJS(v)] as const))
      const o = new RObject()
      for (const k of Object.keys(x)) {
        const v = (x as Record<string, unknown>)[k]
        if (v !== undefined) o.set(k, fromJS(v))
      }
      return o
    }
    default:
      throw new TypeError(`not a JSON value: ${typeof x}`)
  }
}

/**
 * Converts a Rego value to plain JavaScript as OPA's API does: sets become arrays (in OPA's
 * order), object keys become strings (non-string keys are written as their JSON text), big
 * integers stay `bigint`.
 */
export function toJS(v: Value): unknown {
  if (v === null || typeof v !== 'object') return v
  if (Array.isArray(v)) return v.map(toJS)
  if (v instanceof RSet) return v.sortedValues().map(toJS)
  const out: Record<string, unknown> = {}
  for (const [k, val] of (v as RObject).entries()) {
    out[typeof k === 'string' ? k : toJSONText(k)] = toJS(val)
  }
  return out
}

/** JSON text of a value (sets as arrays, OPA key order), with exact big integers. */
export function toJSONText(v: Value): string {
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
      if (Array.isArray(v)) return '[' + v.map(toJSONText).join(',') + ']'
      if (v instanceof RSet) return '[' + v.sortedValues().map(toJSONText).join(',') + ']'
      return (
        '{' +
        [...(v as RObject).entries()]
          .map(([k, val]) => (typeof k === 'string' ? JSON.stringify(k) : JSON.stringify(toJSONText(k))) + ':' + toJSONText(val))
          .join(',') +
        '}'
      )
  }
}

/** Number text as Go's encoding/json prints a float64 (integers without exponent below 1e21). */
export function formatNumber(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return n.toFixed(0)
  const s = String(n)
  return s.replace(/e\+?/, 'e+').replace('e+-', 'e-')
}
