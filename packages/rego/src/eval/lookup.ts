import type { Term } from '../ast/nodes.js'
import { RObject, RSet, type Value } from '../value/value.js'

const constants = new WeakMap<Term, Value | null>()

/**
 * The value of a composite literal with no variables, refs or calls (`roles := [{…}, …]`),
 * built once and shared: values are immutable once built.
 */
export function constant(t: Term): Value | undefined {
  let v = constants.get(t)
  if (v === undefined) {
    v = literal(t) ?? null
    constants.set(t, v)
  }
  return v ?? undefined
}

function literal(t: Term): Value | undefined {
  switch (t.kind) {
    case 'Scalar':
      return t.value
    case 'Array': {
      const out: Value[] = []
      for (const x of t.items) {
        const v = literal(x)
        if (v === undefined) return undefined
        out.push(v)
      }
      return Object.freeze(out)
    }
    case 'Set': {
      const out = new RSet()
      for (const x of t.items) {
        const v = literal(x)
        if (v === undefined) return undefined
        out.add(v)
      }
      return out
    }
    case 'Object': {
      const out = new RObject()
      for (const [kt, vt] of t.entries) {
        const k = literal(kt)
        const v = literal(vt)
        if (k === undefined || v === undefined) return undefined
        out.set(k, v)
      }
      return out
    }
    default:
      return undefined
  }
}

/** Base documents are stored under string paths, so `data.x[2]` also finds the key "2". */
export function storageLookup(v: Value, key: Value): Value | undefined {
  const c = lookup(v, key)
  if (c === undefined && v instanceof RObject && (typeof key === 'number' || typeof key === 'bigint')) return v.get(String(key))
  return c
}

/** `v[key]` for arrays (integer index), objects and sets (membership). */
export function lookup(v: Value, key: Value): Value | undefined {
  if (v instanceof RObject) return typeof key === 'string' ? v.getString(key) : v.get(key)
  if (Array.isArray(v)) {
    if (typeof key === 'number') return Number.isInteger(key) && key >= 0 ? v[key] : undefined
    return undefined
  }
  if (v instanceof RSet) return v.has(key) ? key : undefined
  return undefined
}

