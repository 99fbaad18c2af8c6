/** Calls built-ins of the crypto/x509/JWT/network families directly, without the evaluator. */
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { BuiltinRegistry, type BuiltinContext } from '../src/builtins/builtin.js'
import { register as crypto } from '../src/builtins/crypto.js'
import { register as x509 } from '../src/builtins/x509.js'
import { register as jwt } from '../src/builtins/jwt.js'
import { fromJS, toJS } from '../src/value/json.js'
import type { Value } from '../src/value/value.js'

/** 2030-01-01T00:00:00Z: inside the validity of the fixture certificates. */
export const NOW_2030 = 1_893_456_000_000_000_000n

export function context(overrides: Partial<BuiltinContext> = {}): BuiltinContext {
  return {
    strict: true,
    timeNs: NOW_2030,
    random: () => 0.5,
    env: {},
    location: undefined,
    ndCache: new Map(),
    evalCache: new Map(),
    allowNet: false,
    print() {},
    ...overrides,
  }
}

export function fixture(name: string): string {
  return readFileSync(fileURLToPath(new URL(`fixtures/crypto/${name}`, import.meta.url)), 'utf8')
}

const reg = new BuiltinRegistry()
crypto(reg)
x509(reg)
jwt(reg)

/** Calls `name` with JS arguments (converted by fromJS); returns the result as plain JS. */
export function call(name: string, ...args: unknown[]): unknown {
  return callCtx(context(), name, ...args)
}

export function callCtx(ctx: BuiltinContext, name: string, ...args: unknown[]): unknown {
  const b = reg.get(name)
  if (b === undefined) throw new Error(`no built-in ${name}`)
  const r = b.impl(args.map((a) => fromJS(a)), ctx)
  return r === undefined ? undefined : toJS(r as Value)
}
