/** `walk` (OPA `topdown/walk.go`): every `[path, value]` pair of a document, root first. */
import type { BuiltinRegistry } from './builtin.js'
import { RObject, RSet, type Value } from '../value/value.js'

function* walk(v: Value, path: Value[]): Generator<Value> {
  yield Object.freeze([Object.freeze([...path]), v])
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) yield* walk(v[i]!, [...path, i])
  } else if (v instanceof RObject) {
    for (const [k, x] of v.entries()) yield* walk(x, [...path, k])
  } else if (v instanceof RSet) {
    for (const x of v.sortedValues()) yield* walk(x, [...path, x])
  }
}

export function register(reg: BuiltinRegistry): void {
  reg.register({
    name: 'walk',
    args: [{ name: 'x', type: 'any', description: 'value to walk' }],
    result: { name: 'output', type: 'array<array[any], any>', description: 'pairs of `path` and `value`: `path` is an array representing the pointer to `value` in `x`' },
    description: 'Generates `[path, value]` tuples for all nested documents of `x` (recursively).',
    categories: ['graph'],
    impl: () => undefined,
    iterate: ([x]) => walk(x!, []),
  })
}
