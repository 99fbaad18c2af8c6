/** Object built-ins (OPA `topdown/object.go`, `subset.go`). */
import type { BuiltinRegistry } from './builtin.js'
import { objectOperand, operandElementError, operandTypeError } from './operands.js'
import { RObject, RSet, equal, type Value } from '../value/value.js'

const objects = ['object'] as const

/** Keys given as an array, a set, or an object's keys (object.remove / object.filter). */
function keysOperand(v: Value, pos: number): Value[] {
  if (Array.isArray(v)) return [...v]
  if (v instanceof RSet) return [...v.unorderedValues()]
  if (v instanceof RObject) return [...v.sortedKeys()]
  throw operandTypeError(pos, v, 'object', 'set', 'array')
}

function lookupPath(v: Value, path: readonly Value[]): Value | undefined {
  let cur: Value | undefined = v
  for (const k of path) {
    if (cur instanceof RObject) cur = cur.get(k)
    else if (Array.isArray(cur)) cur = typeof k === 'number' && Number.isInteger(k) && k >= 0 ? cur[k] : undefined
    else if (cur instanceof RSet) cur = cur.has(k) ? k : undefined
    else return undefined
    if (cur === undefined) return undefined
  }
  return cur
}

/** object.union: b wins, nested objects merge recursively. */
function union(a: RObject, b: RObject): RObject {
  const out = new RObject()
  for (const [k, v] of a.unorderedEntries()) out.set(k, v)
  for (const [k, v] of b.unorderedEntries()) {
    const prev = out.get(k)
    out.set(k, prev instanceof RObject && v instanceof RObject ? union(prev, v) : v)
  }
  return out
}

/** object.subset: objects recursively, sets by membership, arrays as contiguous runs. */
function subset(sup: Value, sub: Value): boolean {
  if (sup instanceof RObject && sub instanceof RObject) {
    for (const [k, v] of sub.unorderedEntries()) {
      const w = sup.get(k)
      if (w === undefined) return false
      if (!subset(w, v)) return false
    }
    return true
  }
  if (sup instanceof RSet && sub instanceof RSet) {
    for (const x of sub.unorderedValues()) if (!sup.has(x)) return false
    return true
  }
  if (Array.isArray(sup) && Array.isArray(sub)) {
    if (sub.length === 0) return true
    for (let i = 0; i + sub.length <= sup.length; i++) {
      let ok = true
      for (let j = 0; j < sub.length && ok; j++) ok = equal(sup[i + j]!, sub[j]!)
      if (ok) return true
    }
    return false
  }
  if (Array.isArray(sup) && sub instanceof RSet) {
    for (const x of sub.unorderedValues()) if (!sup.some((y) => equal(x, y))) return false
    return true
  }
  return equal(sup, sub)
}

export function register(reg: BuiltinRegistry): void {
  reg.register({
    name: 'object.get',
    args: [
      { name: 'object', type: 'object[any: any]', description: 'object to get `key` from' },
      { name: 'key', type: 'any', description: 'key to lookup in `object`; an array is a path' },
      { name: 'default', type: 'any', description: 'default to use when lookup fails' },
    ],
    result: { name: 'value', type: 'any', description: '`object[key]` if present, otherwise `default`' },
    description: 'Returns value of an object\'s key if present, otherwise a default. If the supplied `key` is an `array`, then `object.get` will search through a nested object or array using each key in turn.',
    categories: objects,
    impl([o, k, d]) {
      const obj = objectOperand(o!, 1)
      if (Array.isArray(k)) return lookupPath(obj, k) ?? d!
      return obj.get(k!) ?? d!
    },
  })
  reg.register({
    name: 'object.keys',
    args: [{ name: 'object', type: 'object[any: any]', description: 'object to get keys from' }],
    result: { name: 'value', type: 'set[any]', description: 'set of `object`\'s keys' },
    description: 'Returns a set of an object\'s keys.',
    categories: objects,
    impl: ([o]) => RSet.from(objectOperand(o!, 1).sortedKeys()),
  })
  reg.register({
    name: 'object.remove',
    args: [
      { name: 'object', type: 'object[any: any]', description: 'object to remove keys from' },
      { name: 'keys', type: 'any<array[any], object[any: any], set[any]>', description: 'keys to remove from x' },
    ],
    result: { name: 'output', type: 'any', description: 'result of removing the specified `keys` from `object`' },
    description: 'Removes specified keys from an object.',
    categories: objects,
    impl([o, ks]) {
      const obj = objectOperand(o!, 1)
      const drop = RSet.from(keysOperand(ks!, 2))
      const out = new RObject()
      for (const [k, v] of obj.unorderedEntries()) if (!drop.has(k)) out.set(k, v)
      return out
    },
  })
  reg.register({
    name: 'object.filter',
    args: [
      { name: 'object', type: 'object[any: any]', description: 'object to filter keys' },
      { name: 'keys', type: 'any<array[any], object[any: any], set[any]>', description: 'keys to keep in `object`' },
    ],
    result: { name: 'filtered', type: 'any', description: 'remaining data from `object` with only keys specified in `keys`' },
    description: 'Filters the object by keeping only specified keys.',
    categories: objects,
    impl([o, ks]) {
      const obj = objectOperand(o!, 1)
      const out = new RObject()
      for (const k of keysOperand(ks!, 2)) {
        const v = obj.get(k)
        if (v !== undefined) out.set(k, v)
      }
      return out
    },
  })
  reg.register({
    name: 'object.union',
    args: [
      { name: 'a', type: 'object[any: any]', description: 'left-hand object' },
      { name: 'b', type: 'object[any: any]', description: 'right-hand object' },
    ],
    result: { name: 'output', type: 'any', description: 'a new object which is the result of an asymmetric recursive union of two objects where conflicts are resolved by choosing the key from the right-hand object `b`' },
    description: 'Creates a new object of the asymmetric union of two objects.',
    categories: objects,
    impl: ([a, b]) => union(objectOperand(a!, 1), objectOperand(b!, 2)),
  })
  reg.register({
    name: 'object.union_n',
    args: [{ name: 'objects', type: 'array[object[any: any]]', description: 'list of objects to merge' }],
    result: { name: 'output', type: 'any', description: 'asymmetric recursive union of all objects in `objects`, merged from left to right' },
    description: 'Creates a new object that is the asymmetric union of all objects merged from left to right.',
    categories: objects,
    impl([xs]) {
      if (!Array.isArray(xs)) throw operandTypeError(1, xs!, 'array')
      let out = new RObject()
      for (const x of xs as readonly Value[]) {
        if (!(x instanceof RObject)) throw operandElementError(1, xs!, x, 'object')
        out = union(out, x)
      }
      return out
    },
  })
  reg.register({
    name: 'object.subset',
    args: [
      { name: 'super', type: 'any<array[any], object[any: any], set[any]>', description: 'object to test if sub is a subset of' },
      { name: 'sub', type: 'any<array[any], object[any: any], set[any]>', description: 'object to test if super is a superset of' },
    ],
    result: { name: 'result', type: 'any', description: '`true` if `sub` is a subset of `super`' },
    description: 'Determines if an object `sub` is a subset of another object `super`.',
    categories: objects,
    impl([sup, sub]) {
      const ok = (v: Value) => v instanceof RObject || v instanceof RSet || Array.isArray(v)
      if (!ok(sup!)) throw operandTypeError(1, sup!, 'object', 'set', 'array')
      if (!ok(sub!)) throw operandTypeError(2, sub!, 'object', 'set', 'array')
      return subset(sup!, sub!)
    },
  })
}
