/** Calls built-ins of the strings/regex/encoding families directly, without the evaluator. */
import { BuiltinRegistry, type BuiltinContext } from '../src/builtins/builtin.js'
import { fromJS } from '../src/value/json.js'
import type { Value } from '../src/value/value.js'

export function makeContext(seed = 1): BuiltinContext {
  let state = seed
  return {
    strict: true,
    timeNs: 1_700_000_000_000_000_000n,
    random() {
      state = (state * 1103515245 + 12345) % 2147483648
      return state / 2147483648
    },
    env: {},
    location: undefined,
    ndCache: new Map(),
    evalCache: new Map(),
    allowNet: false,
    print() {},
  }
}

/** A caller over a registry filled by the given family `register` functions. */
export function caller(...families: ((reg: BuiltinRegistry) => void)[]) {
  const reg = new BuiltinRegistry()
  for (const f of families) f(reg)
  return {
    reg,
    /** Calls `name` with JS arguments converted by fromJS; returns the raw Value (or undefined). */
    call(name: string, ...args: unknown[]): Value | undefined {
      const b = reg.get(name)
      if (b === undefined) throw new Error(`no built-in ${name}`)
      return b.impl(args.map((a) => fromJS(a)), makeContext())
    },
    callWith(ctx: BuiltinContext, name: string, ...args: Value[]): Value | undefined {
      return reg.get(name)!.impl(args, ctx)
    },
  }
}
