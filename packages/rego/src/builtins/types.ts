/** Type checks (OPA `topdown/type.go`, `type_name.go`). */
import type { BuiltinRegistry } from './builtin.js'
import { typeName, type TypeName, type Value } from '../value/value.js'

const CHECKS: readonly [string, TypeName][] = [
  ['is_number', 'number'],
  ['is_string', 'string'],
  ['is_boolean', 'boolean'],
  ['is_array', 'array'],
  ['is_set', 'set'],
  ['is_object', 'object'],
  ['is_null', 'null'],
]

export function register(reg: BuiltinRegistry): void {
  for (const [name, t] of CHECKS) {
    reg.register({
      name,
      args: [{ name: 'x', type: 'any', description: 'input value' }],
      result: { name: 'result', type: 'boolean', description: `\`true\` if \`x\` is a ${t}, \`false\` otherwise.` },
      description: `Returns \`true\` if the input value is a ${t}.`,
      categories: ['types'],
      impl: ([x]: readonly Value[]) => typeName(x!) === t,
    })
  }
  reg.register({
    name: 'type_name',
    args: [{ name: 'x', type: 'any', description: 'input value' }],
    result: { name: 'type', type: 'string', description: 'one of "null", "boolean", "number", "string", "array", "object", "set"' },
    description: 'Returns the type of its input value.',
    categories: ['types'],
    impl: ([x]) => typeName(x!),
  })
}
