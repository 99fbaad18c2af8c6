/**
 * Time built-ins (OPA `topdown/time.go`). `time.now_ns` is the evaluation's clock, fixed for one
 * evaluation and injected by the caller.
 */
import type { BuiltinRegistry } from './builtin.js'
import { normalizeInt } from '../value/value.js'

export function register(reg: BuiltinRegistry): void {
  reg.register({
    name: 'time.now_ns',
    args: [],
    result: { name: 'now', type: 'number', description: 'nanoseconds since epoch' },
    description: 'Returns the current time since epoch in nanoseconds.',
    categories: ['time'],
    nondeterministic: true,
    impl: (_args, ctx) => normalizeInt(ctx.timeNs),
  })
}
