/** Bitwise operations on integers (OPA `topdown/bits.go`), exact for any size. */
import { OperandError, type BuiltinRegistry } from './builtin.js'
import { intOperand } from './operands.js'
import { normalizeInt, toBigInt, type Value } from '../value/value.js'

const INT = 'number'

function shiftCount(v: Value): bigint {
  const n = toBigInt(intOperand(v, 2))
  if (n < 0n) throw new OperandError('operand 2 must be an unsigned integer number but got a negative integer')
  return n
}

const binary = (name: string, description: string, f: (a: bigint, b: bigint) => bigint) => ({
  name,
  args: [
    { name: 'x', type: INT, description: 'the first integer' },
    { name: 'y', type: INT, description: 'the second integer' },
  ],
  result: { name: 'z', type: INT },
  description,
  categories: ['bits'],
  impl: ([a, b]: readonly Value[]) => normalizeInt(f(toBigInt(intOperand(a!, 1)), toBigInt(intOperand(b!, 2)))),
})

export function register(reg: BuiltinRegistry): void {
  reg.register(binary('bits.and', 'Returns the bitwise "AND" of two integers.', (a, b) => a & b))
  reg.register(binary('bits.or', 'Returns the bitwise "OR" of two integers.', (a, b) => a | b))
  reg.register(binary('bits.xor', 'Returns the bitwise "XOR" (exclusive-or) of two integers.', (a, b) => a ^ b))
  reg.register({
    name: 'bits.negate',
    args: [{ name: 'x', type: INT, description: 'the integer to negate' }],
    result: { name: 'z', type: INT, description: 'the bitwise negation of `x`' },
    description: 'Returns the bitwise negation (flip) of an integer.',
    categories: ['bits'],
    impl: ([a]) => normalizeInt(~toBigInt(intOperand(a!, 1))),
  })
  reg.register({
    name: 'bits.lsh',
    args: [
      { name: 'x', type: INT, description: 'the integer to shift' },
      { name: 's', type: INT, description: 'the number of bits to shift' },
    ],
    result: { name: 'z', type: INT, description: 'the result of shifting `x` `s` bits to the left' },
    description: 'Returns a new integer with its bits shifted `s` bits to the left.',
    categories: ['bits'],
    impl: ([a, s]) => normalizeInt(toBigInt(intOperand(a!, 1)) << shiftCount(s!)),
  })
  reg.register({
    name: 'bits.rsh',
    args: [
      { name: 'x', type: INT, description: 'the integer to shift' },
      { name: 's', type: INT, description: 'the number of bits to shift' },
    ],
    result: { name: 'z', type: INT, description: 'the result of shifting `x` `s` bits to the right' },
    description: 'Returns a new integer with its bits shifted `s` bits to the right.',
    categories: ['bits'],
    impl: ([a, s]) => normalizeInt(toBigInt(intOperand(a!, 1)) >> shiftCount(s!)),
  })
}
