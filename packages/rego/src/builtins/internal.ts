/**
 * Built-ins the language itself compiles to: membership (`x in xs`, `k, v in xs`) and `print`.
 * `print` is declared here and evaluated by the evaluator, because undefined arguments print as
 * `<undefined>` instead of making the call undefined.
 */
import type { BuiltinRegistry } from './builtin.js'
import { RObject, RSet, equal, type Value } from '../value/value.js'

function member(x: Value, xs: Value): boolean {
  if (Array.isArray(xs)) return xs.some((e) => equal(e, x))
  if (xs instanceof RSet) return xs.has(x)
  if (xs instanceof RObject) {
    for (const v of xs.unorderedEntries()) if (equal(v[1], x)) return true
  }
  return false
}

function memberWithKey(k: Value, v: Value, xs: Value): boolean {
  if (Array.isArray(xs)) return typeof k === 'number' && Number.isInteger(k) && k >= 0 && k < xs.length && equal(xs[k]!, v)
  if (xs instanceof RObject) {
    const x = xs.get(k)
    return x !== undefined && equal(x, v)
  }
  if (xs instanceof RSet) return equal(k, v) && xs.has(v)
  return false
}

export function register(reg: BuiltinRegistry): void {
  reg.register({
    name: 'internal.member_2',
    args: [{ type: 'any' }, { type: 'any' }],
    result: { type: 'boolean' },
    infix: 'in',
    description: 'Checks if the given value is a member of the collection (`x in xs`).',
    impl: ([x, xs]) => member(x!, xs!),
  })
  reg.register({
    name: 'internal.member_3',
    args: [{ type: 'any' }, { type: 'any' }, { type: 'any' }],
    result: { type: 'boolean' },
    infix: 'in',
    description: 'Checks if the key and value are a member of the collection (`k, v in xs`).',
    impl: ([k, v, xs]) => memberWithKey(k!, v!, xs!),
  })
  reg.register({
    name: 'print',
    args: [],
    variadic: { type: 'any' },
    description: 'Prints its arguments; undefined arguments print as `<undefined>`.',
    impl: () => true,
  })
}
