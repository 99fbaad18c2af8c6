/**
 * `net.lookup_ip_addr` (OPA `topdown/net.go`): real name resolution through the blocking network
 * worker, cached per evaluation and recorded in the non-deterministic built-in cache.
 */
import { BuiltinError, type BuiltinRegistry } from './builtin.js'
import { stringOperand } from './operands.js'
import { runBlocking } from './http-worker.js'
import { toJSONText } from '../value/json.js'
import { RSet } from '../value/value.js'

const LOOKUP_TIMEOUT_MS = 5000

export function register(reg: BuiltinRegistry): void {
  reg.register({
    name: 'net.lookup_ip_addr',
    args: [{ name: 'name', type: 'string', description: 'domain name to resolve' }],
    result: { name: 'addrs', type: 'set[string]', description: 'IP addresses (v4 and v6) that `name` resolves to' },
    description:
      'Returns the set of IP addresses (both v4 and v6) that the passed-in `name` resolves to using the standard name resolution mechanisms available.',
    categories: ['net'],
    nondeterministic: true,
    impl([n], ctx) {
      const name = stringOperand(n!, 1)
      const key = `net.lookup_ip_addr\u0000${name}`
      const hit = ctx.evalCache.get(key)
      if (hit instanceof RSet) return hit
      // OPA refuses hosts outside its allow_net capability with this message.
      if (!ctx.allowNet) throw new BuiltinError(`unallowed host: ${name}`)
      const answer = runBlocking({ kind: 'dns', name, timeoutMs: LOOKUP_TIMEOUT_MS }, LOOKUP_TIMEOUT_MS + 1000)
      if ('error' in answer) {
        const code = answer.error.code
        if (code === 'ENOTFOUND' || code === 'ENODATA' || code === 'EAI_AGAIN') throw new BuiltinError(`lookup ${name}: no such host`)
        if (code === 'TIMEOUT') throw new BuiltinError(`lookup ${name}: i/o timeout`)
        throw new BuiltinError(`lookup ${name}: ${answer.error.message}`)
      }
      const result = RSet.from(answer.addrs)
      ctx.evalCache.set(key, result)
      ctx.ndCache.set(`net.lookup_ip_addr(${toJSONText(Object.freeze([name]))})`, result)
      return result
    },
  })
}
