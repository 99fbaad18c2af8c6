/** Aggregates (OPA `topdown/aggregates.go`): count, sum, product, max, min, sort. */
import type { BuiltinRegistry } from './builtin.js'
import { operandElementError, operandTypeError } from './operands.js'
import { RObject, RSet, compare, isInteger, normalizeInt, toBigInt, type Value } from '../value/value.js'

const COLLECTION = 'any<array[any], set[any]>'
const aggregates = ['aggregates'] as const

function elements(v: Value, pos: number): readonly Value[] {
  if (Array.isArray(v)) return v
  if (v instanceof RSet) return v.sortedValues()
  throw operandTypeError(pos, v, 'set', 'array')
}

function numbers(v: Value): (number | bigint)[] {
  return elements(v, 1).map((x) => {
    if (typeof x !== 'number' && typeof x !== 'bigint') throw operandElementError(1, v, x, 'number')
    return x
  })
}

/** Sums or multiplies exactly while every operand is an integer. */
function fold(ns: (number | bigint)[], start: bigint, f: (a: bigint, b: bigint) => bigint, g: (a: number, b: number) => number): number | bigint {
  if (ns.every(isInteger)) return normalizeInt(ns.reduce<bigint>((acc, n) => f(acc, toBigInt(n)), start))
  return ns.reduce<number>((acc, n) => g(acc, Number(n)), Number(start))
}

export function register(reg: BuiltinRegistry): void {
  reg.register({
    name: 'count',
    args: [{ name: 'collection', type: 'any<string, object[any: any], array[any], set[any]>', description: 'the set/array/object/string to be counted' }],
    result: { name: 'n', type: 'number', description: 'the count of elements, key/val pairs, or characters, respectively.' },
    description: 'Count takes a collection or string and returns the number of elements (or characters) in it.',
    categories: aggregates,
    impl([c]) {
      if (typeof c === 'string') {
        let n = 0
        for (const _ of c) n++
        return n
      }
      if (Array.isArray(c)) return c.length
      if (c instanceof RSet || c instanceof RObject) return c.size
      throw operandTypeError(1, c!, 'array', 'object', 'set', 'string')
    },
  })
  reg.register({
    name: 'sum',
    args: [{ name: 'collection', type: 'any<array[number], set[number]>', description: 'the set or array of numbers to sum' }],
    result: { name: 'n', type: 'number', description: 'the sum of all elements' },
    description: 'Sums elements of an array or set of numbers.',
    categories: aggregates,
    impl: ([c]) => fold(numbers(c!), 0n, (a, b) => a + b, (a, b) => a + b),
  })
  reg.register({
    name: 'product',
    args: [{ name: 'collection', type: 'any<array[number], set[number]>', description: 'the set or array of numbers to multiply' }],
    result: { name: 'n', type: 'number', description: 'the product of all elements' },
    description: 'Multiplies elements of an array or set of numbers',
    categories: aggregates,
    impl: ([c]) => fold(numbers(c!), 1n, (a, b) => a * b, (a, b) => a * b),
  })
  for (const [name, description, better] of [
    ['max', 'Returns the maximum value in a collection.', (c: number) => c > 0],
    ['min', 'Returns the minimum value in a collection.', (c: number) => c < 0],
  ] as const) {
    reg.register({
      name,
      args: [{ name: 'collection', type: COLLECTION, description: 'the set or array to be searched' }],
      result: { name: 'n', type: 'any', description: `the ${name}imum of all elements` },
      description,
      categories: aggregates,
      impl([c]) {
        const xs = elements(c!, 1)
        if (xs.length === 0) return undefined
        let best: Value = xs[0]!
        for (const x of xs) if (better(compare(x, best))) best = x
        return best
      },
    })
  }
  reg.register({
    name: 'sort',
    args: [{ name: 'collection', type: COLLECTION, description: 'the array or set to be sorted' }],
    result: { name: 'n', type: 'array[any]', description: 'the sorted array' },
    description: 'Returns a sorted array.',
    categories: aggregates,
    impl: ([c]) => Object.freeze([...elements(c!, 1)].sort(compare)),
  })
}
