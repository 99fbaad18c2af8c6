/**
 * Comparison operators (OPA `topdown/comparison.go`): any two values compare, by OPA's total
 * order (null < booleans < numbers < strings < arrays < objects < sets); numbers by value.
 */
import type { BuiltinRegistry } from './builtin.js'
import { compare, equal, type Value } from '../value/value.js'

type Cmp = (a: Value, b: Value) => boolean

const OPERATORS: readonly [name: string, infix: string, description: string, f: Cmp][] = [
  ['equal', '==', 'Checks if two values are equal.', equal],
  ['neq', '!=', 'Checks if two values are not equal.', (a, b) => !equal(a, b)],
  ['lt', '<', 'Checks if the first value is less than the second value.', (a, b) => compare(a, b) < 0],
  ['lte', '<=', 'Checks if the first value is less than or equal to the second value.', (a, b) => compare(a, b) <= 0],
  ['gt', '>', 'Checks if the first value is greater than the second value.', (a, b) => compare(a, b) > 0],
  ['gte', '>=', 'Checks if the first value is greater than or equal to the second value.', (a, b) => compare(a, b) >= 0],
]

export function register(reg: BuiltinRegistry): void {
  for (const [name, infix, description, f] of OPERATORS) {
    reg.register({
      name,
      infix,
      args: [{ name: 'x', type: 'any' }, { name: 'y', type: 'any' }],
      result: { name: 'result', type: 'boolean' },
      description,
      categories: ['comparison'],
      impl: ([a, b]) => f(a!, b!),
    })
  }
}
