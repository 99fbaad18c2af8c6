/** Array built-ins (OPA `topdown/array.go`). */
import type { BuiltinRegistry } from './builtin.js'
import { arrayOperand, intOperand } from './operands.js'
import type { Value } from '../value/value.js'

const arrays = ['array'] as const

/** One level: nested arrays' elements are spliced in, deeper arrays stay. */
function flatten(xs: readonly Value[], out: Value[]): Value[] {
  for (const x of xs) {
    if (Array.isArray(x)) out.push(...(x as readonly Value[]))
    else out.push(x)
  }
  return out
}

export function register(reg: BuiltinRegistry): void {
  reg.register({
    name: 'array.concat',
    args: [
      { name: 'x', type: 'array[any]', description: 'the first array' },
      { name: 'y', type: 'array[any]', description: 'the second array' },
    ],
    result: { name: 'z', type: 'array[any]', description: 'the concatenation of `x` and `y`' },
    description: 'Concatenates two arrays.',
    categories: arrays,
    impl: ([a, b]) => Object.freeze([...arrayOperand(a!, 1), ...arrayOperand(b!, 2)]),
  })
  reg.register({
    name: 'array.slice',
    args: [
      { name: 'arr', type: 'array[any]', description: 'the array to be sliced' },
      { name: 'start', type: 'number', description: 'the start index of the returned slice; if less than zero, it\'s clamped to 0' },
      { name: 'stop', type: 'number', description: 'the stop index of the returned slice; if larger than `count(arr)`, it\'s clamped to `count(arr)`' },
    ],
    result: { name: 'slice', type: 'array[any]', description: 'the subslice of `array`, from `start` to `end`, including `arr[start]`, but excluding `arr[end]`' },
    description: 'Returns a slice of a given array. If `start` is greater or equal than `stop`, `slice` is `[]`.',
    categories: arrays,
    impl([a, s, e]) {
      const arr = arrayOperand(a!, 1)
      const start = Math.max(0, Number(intOperand(s!, 2)))
      const stop = Math.min(arr.length, Number(intOperand(e!, 3)))
      return Object.freeze(start >= stop ? [] : arr.slice(start, stop))
    },
  })
  reg.register({
    name: 'array.reverse',
    args: [{ name: 'arr', type: 'array[any]', description: 'the array to be reversed' }],
    result: { name: 'rev', type: 'array[any]', description: 'an array containing the elements of `arr` in reverse order' },
    description: 'Returns the reverse of a given array.',
    categories: arrays,
    impl: ([a]) => Object.freeze([...arrayOperand(a!, 1)].reverse()),
  })
  reg.register({
    name: 'array.flatten',
    args: [{ name: 'arr', type: 'array[any]', description: 'the array to be flattened' }],
    result: { name: 'flat', type: 'array[any]', description: 'the flattened array' },
    description: 'Flattens nested arrays into a single array.',
    categories: arrays,
    impl: ([a]) => Object.freeze(flatten(arrayOperand(a!, 1), [])),
  })
}
