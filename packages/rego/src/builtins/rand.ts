/** `rand.intn` (OPA `topdown/rand.go`): one value per evaluation for the same arguments. */
import type { BuiltinRegistry } from './builtin.js'
import { intOperand, stringOperand } from './operands.js'
import { toJSONText } from '../value/json.js'
import type { Value } from '../value/value.js'

export function register(reg: BuiltinRegistry): void {
  reg.register({
    name: 'rand.intn',
    args: [
      { name: 'str', type: 'string', description: 'seed string for the random number' },
      { name: 'n', type: 'number', description: 'upper bound of the random number (exclusive)' },
    ],
    result: { name: 'y', type: 'number', description: 'random integer in the range `[0, abs(n))`' },
    description: 'Returns a random integer between `0` and `n` (`n` exclusive). If `n` is `0`, then `y` is always `0`. For any given argument pair (`str`, `n`), the output will be consistent throughout a query evaluation.',
    categories: ['numbers'],
    nondeterministic: true,
    impl([s, n], ctx) {
      stringOperand(s!, 1)
      const bound = Math.abs(Number(intOperand(n!, 2)))
      const key = `rand.intn(${toJSONText(Object.freeze([s!, n!] as Value[]))})`
      const cached = ctx.ndCache.get(key)
      if (cached !== undefined) return cached
      return bound === 0 ? 0 : Math.floor(ctx.random() * bound)
    },
  })
}
