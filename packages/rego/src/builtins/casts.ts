/**
 * Deprecated conversions and quantifiers (OPA `topdown/casts.go`, `aggregates.go`): `cast_*`,
 * `all`, `any`, `set_diff`. They exist under Rego v0 only; v1 modules that call them do not compile.
 */
import type { BuiltinRegistry } from './builtin.js'
import { operandTypeError, setOperand } from './operands.js'
import { RObject, RSet, type Value } from '../value/value.js'

const deprecated = true

function collection(v: Value): readonly Value[] {
  if (Array.isArray(v)) return v
  if (v instanceof RSet) return v.sortedValues()
  throw operandTypeError(1, v, 'array', 'set')
}

export function register(reg: BuiltinRegistry): void {
  reg.register({
    name: 'cast_array',
    args: [{ name: 'x', type: 'any' }],
    result: { name: 'y', type: 'array[any]' },
    description: 'Converts a set or array into an array.',
    deprecated,
    impl: ([x]) => Object.freeze([...collection(x!)]),
  })
  reg.register({
    name: 'cast_set',
    args: [{ name: 'x', type: 'any' }],
    result: { name: 'y', type: 'set[any]' },
    description: 'Converts a set or array into a set.',
    deprecated,
    impl: ([x]) => RSet.from(collection(x!)),
  })
  const exact = (name: string, t: string, ok: (v: Value) => boolean) =>
    reg.register({
      name,
      args: [{ name: 'x', type: 'any' }],
      result: { name: 'y', type: t },
      description: `Returns \`x\` if it is a ${t}; a type error otherwise.`,
      deprecated,
      impl: ([x]) => {
        if (!ok(x!)) throw operandTypeError(1, x!, t)
        return x!
      },
    })
  exact('cast_string', 'string', (v) => typeof v === 'string')
  exact('cast_boolean', 'boolean', (v) => typeof v === 'boolean')
  exact('cast_null', 'null', (v) => v === null)
  exact('cast_object', 'object', (v) => v instanceof RObject)
  reg.register({
    name: 'all',
    args: [{ type: 'any<array[any], set[any]>' }],
    result: { type: 'boolean' },
    description: 'Returns true if all of the values in the collection are true.',
    deprecated,
    impl: ([x]) => collection(x!).every((v) => v === true),
  })
  reg.register({
    name: 'any',
    args: [{ type: 'any<array[any], set[any]>' }],
    result: { type: 'boolean' },
    description: 'Returns true if any of the values in the collection is true.',
    deprecated,
    impl: ([x]) => collection(x!).some((v) => v === true),
  })
  reg.register({
    name: 'set_diff',
    args: [{ type: 'set[any]' }, { type: 'set[any]' }],
    result: { type: 'set[any]' },
    description: 'Returns the difference of two sets.',
    deprecated,
    impl([a, b]) {
      const x = setOperand(a!, 1)
      const y = setOperand(b!, 2)
      const out = new RSet()
      for (const v of x.unorderedValues()) if (!y.has(v)) out.add(v)
      return out
    },
  })
}
