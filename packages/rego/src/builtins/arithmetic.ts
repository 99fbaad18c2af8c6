/**
 * Arithmetic (OPA `topdown/arithmetic.go`, `numbers.go`): integers stay exact (bigint beyond
 * 2^53), anything else is a double. `minus` is also set difference, as in OPA.
 */
import { BuiltinError, type BuiltinRegistry } from './builtin.js'
import { intOperand, numberOperand, operandTypeError } from './operands.js'
import { RSet, isInteger, normalizeInt, toBigInt, type Value } from '../value/value.js'

type Num = number | bigint

const N = 'number'
const arithmetic = ['numbers'] as const

function bothInts(a: Num, b: Num): boolean {
  return isInteger(a) && isInteger(b)
}

/** Applies an integer op exactly, or a double op otherwise. */
function arith(a: Num, b: Num, ints: (x: bigint, y: bigint) => bigint, floats: (x: number, y: number) => number): Num {
  if (bothInts(a, b)) return normalizeInt(ints(toBigInt(a), toBigInt(b)))
  return floats(Number(a), Number(b))
}

function div(a: Num, b: Num): Num {
  if (Number(b) === 0 && (typeof b !== 'bigint' || b === 0n)) throw new BuiltinError('divide by zero')
  if (bothInts(a, b)) {
    const x = toBigInt(a)
    const y = toBigInt(b)
    if (x % y === 0n) return normalizeInt(x / y)
  }
  return Number(a) / Number(b)
}

function rem(a: Num, b: Num): Num {
  if (!bothInts(a, b)) throw new BuiltinError('modulo on floating-point number')
  const y = toBigInt(b)
  if (y === 0n) throw new BuiltinError('modulo by zero')
  return normalizeInt(toBigInt(a) % y)
}

/** Go's math.Round: half away from zero. */
function goRound(x: number): number {
  return Math.sign(x) * Math.round(Math.abs(x))
}

function toIntResult(x: number): Num {
  return Number.isSafeInteger(x) ? x : normalizeInt(BigInt(x))
}

function range(from: bigint, to: bigint, step: bigint): Value {
  const out: Value[] = []
  if (from <= to) for (let i = from; i <= to; i += step) out.push(normalizeInt(i))
  else for (let i = from; i >= to; i -= step) out.push(normalizeInt(i))
  return Object.freeze(out)
}

const binary = (name: string, infix: string, description: string, f: (a: Num, b: Num) => Num) => ({
  name,
  infix,
  args: [
    { name: 'x', type: N },
    { name: 'y', type: N },
  ],
  result: { name: 'z', type: N },
  description,
  categories: arithmetic,
  impl: ([a, b]: readonly Value[]) => f(numberOperand(a!, 1), numberOperand(b!, 2)),
})

const rounding = (name: string, description: string, f: (x: number) => number) => ({
  name,
  args: [{ name: 'x', type: N, description: 'the number to round' }],
  result: { name: 'y', type: N },
  description,
  categories: ['numbers'],
  impl: ([a]: readonly Value[]) => {
    const n = numberOperand(a!, 1)
    return typeof n === 'bigint' ? n : toIntResult(f(n))
  },
})

/** Go's strconv.ParseFloat decimal syntax; OPA refuses infinities and NaN. */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/

function toNumber(v: Value): Num {
  if (v === null) return 0
  if (typeof v === 'boolean') return v ? 1 : 0
  if (typeof v === 'number' || typeof v === 'bigint') return v
  if (typeof v === 'string') {
    // ParseFloat would accept these; OPA refuses them as a type error.
    if (/^[+-]?(inf|infinity|nan)$/i.test(v)) throw operandTypeError(1, v, 'valid number string')
    if (!DECIMAL.test(v)) throw new BuiltinError(`strconv.ParseFloat: parsing ${JSON.stringify(v)}: invalid syntax`)
    if (/^[+-]?\d+$/.test(v)) return normalizeInt(BigInt(v))
    const n = Number(v)
    if (!Number.isFinite(n)) throw new BuiltinError(`strconv.ParseFloat: parsing ${JSON.stringify(v)}: value out of range`)
    return n
  }
  throw operandTypeError(1, v, 'null', 'boolean', 'number', 'string')
}

export function register(reg: BuiltinRegistry): void {
  reg.register({
    name: 'to_number',
    args: [{ name: 'x', type: 'any<null, boolean, number, string>', description: 'value to convert' }],
    result: { name: 'num', type: 'number', description: 'the numeric representation of `x`' },
    description: 'Converts a string, bool, or number value to a number: Strings are converted to numbers using `strconv.Atoi`, Boolean `false` is converted to 0 and `true` is converted to 1.',
    categories: ['conversions'],
    impl: ([x]) => toNumber(x!),
  })
  reg.register(binary('plus', '+', 'Plus adds two numbers together.', (a, b) => arith(a, b, (x, y) => x + y, (x, y) => x + y)))
  reg.register(binary('mul', '*', 'Multiplies two numbers.', (a, b) => arith(a, b, (x, y) => x * y, (x, y) => x * y)))
  reg.register(binary('div', '/', 'Divides the first number by the second number.', div))
  reg.register(binary('rem', '%', 'Returns the remainder for of `x` divided by `y`, for `y != 0`.', rem))
  reg.register({
    name: 'minus',
    infix: '-',
    args: [
      { name: 'x', type: 'any<number, set[any]>' },
      { name: 'y', type: 'any<number, set[any]>' },
    ],
    result: { name: 'z', type: 'any<number, set[any]>', description: 'the difference of `x` and `y`' },
    description: 'Minus subtracts the second number from the first number or computes the difference between two sets.',
    categories: arithmetic,
    impl([a, b]) {
      const n1 = typeof a === 'number' || typeof a === 'bigint'
      const n2 = typeof b === 'number' || typeof b === 'bigint'
      if (n1 && n2) return arith(a as Num, b as Num, (x, y) => x - y, (x, y) => x - y)
      if (a instanceof RSet && b instanceof RSet) {
        const out = new RSet()
        for (const x of a.unorderedValues()) if (!b.has(x)) out.add(x)
        return out
      }
      if (!n1 && !(a instanceof RSet)) throw operandTypeError(1, a!, 'number', 'set')
      if (n2) throw operandTypeError(2, b!, 'set')
      throw operandTypeError(2, b!, 'number')
    },
  })
  reg.register({
    name: 'abs',
    args: [{ name: 'x', type: N, description: 'the number to take the absolute value of' }],
    result: { name: 'y', type: N, description: 'the absolute value of `x`' },
    description: 'Returns the number without its sign.',
    categories: ['numbers'],
    impl: ([a]) => {
      const n = numberOperand(a!, 1)
      return typeof n === 'bigint' ? (n < 0n ? -n : n) : Math.abs(n)
    },
  })
  reg.register(rounding('round', 'Rounds the number to the nearest integer.', goRound))
  reg.register(rounding('ceil', 'Rounds the number _up_ to the nearest integer.', Math.ceil))
  reg.register(rounding('floor', 'Rounds the number _down_ to the nearest integer.', Math.floor))
  reg.register({
    name: 'numbers.range',
    args: [
      { name: 'a', type: N, description: 'the start of the range' },
      { name: 'b', type: N, description: 'the end of the range (inclusive)' },
    ],
    result: { name: 'range', type: 'array[number]', description: 'the range between `a` and `b`' },
    description: 'Returns an array of numbers in the given (inclusive) range. If `a==b`, then `range == [a]`; if `a > b`, then `range` is in descending order.',
    categories: ['numbers'],
    impl: ([a, b]) => range(toBigInt(intOperand(a!, 1)), toBigInt(intOperand(b!, 2)), 1n),
  })
  reg.register({
    name: 'numbers.range_step',
    args: [
      { name: 'a', type: N, description: 'the start of the range' },
      { name: 'b', type: N, description: 'the end of the range (inclusive)' },
      { name: 'step', type: N, description: 'the step between numbers in the range' },
    ],
    result: { name: 'range', type: 'array[number]', description: 'the range between `a` and `b` in `step` increments' },
    description: 'Returns an array of numbers in the given (inclusive) range incremented by a positive step.',
    categories: ['numbers'],
    impl([a, b, s]) {
      const from = toBigInt(intOperand(a!, 1))
      const to = toBigInt(intOperand(b!, 2))
      const step = toBigInt(intOperand(s!, 3))
      if (step <= 0n) throw new BuiltinError('step must be a positive integer')
      return range(from, to, step)
    },
  })
}
