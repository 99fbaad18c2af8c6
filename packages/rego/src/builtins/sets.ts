/** Set operations (OPA `topdown/sets.go`): `&`, `|`, `intersection`, `union`. */
import type { BuiltinRegistry } from './builtin.js'
import { operandElementError, setOperand } from './operands.js'
import { RSet, type Value } from '../value/value.js'

function and(a: RSet, b: RSet): RSet {
  const out = new RSet()
  for (const x of a.unorderedValues()) if (b.has(x)) out.add(x)
  return out
}

function or(a: RSet, b: RSet): RSet {
  const out = new RSet()
  for (const x of a.unorderedValues()) out.add(x)
  for (const x of b.unorderedValues()) out.add(x)
  return out
}

/** A set of sets, element-checked as OPA does. */
function setsOperand(v: Value): RSet[] {
  const s = setOperand(v, 1)
  return s.sortedValues().map((x) => {
    if (!(x instanceof RSet)) throw operandElementError(1, v, x, 'set')
    return x
  })
}

export function register(reg: BuiltinRegistry): void {
  reg.register({
    name: 'and',
    infix: '&',
    args: [
      { name: 'x', type: 'set[any]', description: 'the first set' },
      { name: 'y', type: 'set[any]', description: 'the second set' },
    ],
    result: { name: 'z', type: 'set[any]', description: 'the intersection of `x` and `y`' },
    description: 'Returns the intersection of two sets.',
    categories: ['sets'],
    impl: ([a, b]) => and(setOperand(a!, 1), setOperand(b!, 2)),
  })
  reg.register({
    name: 'or',
    infix: '|',
    args: [
      { name: 'x', type: 'set[any]', description: 'the first set' },
      { name: 'y', type: 'set[any]', description: 'the second set' },
    ],
    result: { name: 'z', type: 'set[any]', description: 'the union of `x` and `y`' },
    description: 'Returns the union of two sets.',
    categories: ['sets'],
    impl: ([a, b]) => or(setOperand(a!, 1), setOperand(b!, 2)),
  })
  reg.register({
    name: 'intersection',
    args: [{ name: 'xs', type: 'set[set[any]]', description: 'set of sets to intersect' }],
    result: { name: 'y', type: 'set[any]', description: 'the intersection of all `xs` sets' },
    description: 'Returns the intersection of the given input sets.',
    categories: ['sets'],
    impl([v]) {
      const sets = setsOperand(v!)
      if (sets.length === 0) return new RSet()
      return sets.slice(1).reduce(and, sets[0]!)
    },
  })
  reg.register({
    name: 'union',
    args: [{ name: 'xs', type: 'set[set[any]]', description: 'set of sets to merge' }],
    result: { name: 'y', type: 'set[any]', description: 'the union of all `xs` sets' },
    description: 'Returns the union of the given input sets.',
    categories: ['sets'],
    impl: ([v]) => setsOperand(v!).reduce(or, new RSet()),
  })
}
