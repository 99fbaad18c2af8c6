/**
 * Operand checks with OPA's messages word for word (OPA `topdown/builtins/builtins.go`): an
 * evaluation error reads `<builtin>: operand 1 must be string but got number`, and the evaluator
 * adds the built-in's name and location. All of these raise `eval_type_error`.
 */
import { OperandError } from './builtin.js'
import { RObject, RSet, isInteger, typeName, type Value } from '../value/value.js'

/** `operand N must be T but got U` / `operand N must be one of {T1, T2} but got U`. */
export function operandTypeError(pos: number, got: Value, ...expected: string[]): OperandError {
  const want = expected.length === 1 ? expected[0] : `one of {${expected.join(', ')}}`
  return new OperandError(`operand ${pos} must be ${want} but got ${typeName(got)}`)
}

/** `operand N must be array of strings but got array containing number`. */
export function operandElementError(pos: number, composite: Value, got: Value, ...expected: string[]): OperandError {
  const tpe = typeName(composite)
  const want = expected.length === 1 ? `${tpe} of ${expected[0]}s` : `${tpe} of {${expected.join(', ')}}`
  return new OperandError(`operand ${pos} must be ${want} but got ${tpe} containing ${typeName(got)}`)
}

/** `operand N must be one of {a, b}`. */
export function operandEnumError(pos: number, ...expected: string[]): OperandError {
  return new OperandError(`operand ${pos} must be one of {${expected.join(', ')}}`)
}

/** `operand N <message>`: any other operand problem. */
export function operandError(pos: number, message: string): OperandError {
  return new OperandError(`operand ${pos} ${message}`)
}

export function stringOperand(v: Value, pos: number): string {
  if (typeof v !== 'string') throw operandTypeError(pos, v, 'string')
  return v
}

export function numberOperand(v: Value, pos: number): number | bigint {
  if (typeof v !== 'number' && typeof v !== 'bigint') throw operandTypeError(pos, v, 'number')
  return v
}

/** An integral number, as OPA's `IntOperand` (`operand N must be integer number but got floating-point number`). */
export function intOperand(v: Value, pos: number): number | bigint {
  const n = numberOperand(v, pos)
  if (!isInteger(n)) throw new OperandError(`operand ${pos} must be integer number but got floating-point number`)
  return n
}

export function booleanOperand(v: Value, pos: number): boolean {
  if (typeof v !== 'boolean') throw operandTypeError(pos, v, 'boolean')
  return v
}

export function arrayOperand(v: Value, pos: number): readonly Value[] {
  if (!Array.isArray(v)) throw operandTypeError(pos, v, 'array')
  return v
}

export function objectOperand(v: Value, pos: number): RObject {
  if (!(v instanceof RObject)) throw operandTypeError(pos, v, 'object')
  return v
}

export function setOperand(v: Value, pos: number): RSet {
  if (!(v instanceof RSet)) throw operandTypeError(pos, v, 'set')
  return v
}

/** Elements of an array or set, as OPA's iteration order gives them. */
export function collectionOperand(v: Value, pos: number): readonly Value[] {
  if (Array.isArray(v)) return v
  if (v instanceof RSet) return v.sortedValues()
  throw operandTypeError(pos, v, 'set', 'array')
}
