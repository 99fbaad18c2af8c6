/**
 * `opa.runtime` (OPA `topdown/runtime.go`): what the engine is running with. Only the environment
 * the embedder handed to the engine is visible, never the whole process environment.
 */
import type { BuiltinRegistry } from './builtin.js'
import { RObject } from '../value/value.js'

/** The engine version `opa.runtime().version` reports. */
export const ENGINE_VERSION = '0.1.0'

export function register(reg: BuiltinRegistry): void {
  reg.register({
    name: 'opa.runtime',
    args: [],
    result: {
      name: 'output',
      type: 'object[string: any]',
      description:
        'includes a `config` key if OPA was started with a configuration file; an `env` key containing the environment variables that the OPA process was started with; includes `version` and `commit` keys containing the version and build commit of OPA.',
    },
    description: 'Returns an object that describes the runtime environment where OPA is deployed.',
    categories: ['opa'],
    impl(_args, ctx) {
      if (ctx.env === undefined) return new RObject()
      const env = RObject.from(Object.entries(ctx.env))
      return RObject.from([
        ['env', env],
        ['version', ENGINE_VERSION],
        ['commit', ''],
      ])
    },
  })
}
