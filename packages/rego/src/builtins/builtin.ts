import type { Location } from '../ast/location.js'
import type { Value } from '../value/value.js'

/**
 * A built-in's declaration, as data. Types are written in the notation of OPA's builtins.json
 * (`string`, `number`, `any<string, number>`, `array[string]`, `set[any]`,
 * `object[string: any]`, `object<a: string>`), parsed by `types.ts` for arity and type checks.
 */
export interface BuiltinDecl {
  /** Full dotted name, e.g. `strings.replace_n`. */
  readonly name: string
  readonly args: readonly ArgDecl[]
  /** Absent for built-ins that produce no value (e.g. `print`). */
  readonly result?: ArgDecl
  /** Variadic tail (only `print` and `internal.*` have one). */
  readonly variadic?: ArgDecl
  readonly description?: string
  readonly categories?: readonly string[]
  /** Infix operator spelling, e.g. `+` for `plus`. */
  readonly infix?: string
  /** Result depends on more than the arguments (time, randomness, network): recorded per evaluation. */
  readonly nondeterministic?: boolean
  /** Deprecated built-ins exist under Rego v0 only; v1 modules that call them do not compile. */
  readonly deprecated?: boolean
}

export interface ArgDecl {
  readonly name?: string
  readonly type: string
  readonly description?: string
}

/** What a built-in may use besides its arguments. One context per evaluation. */
export interface BuiltinContext {
  /** Strict built-in errors: when false, a built-in error makes the expression undefined. */
  readonly strict: boolean
  /** The evaluation's clock: nanoseconds since the Unix epoch, fixed for one evaluation. */
  readonly timeNs: bigint
  /** The evaluation's seeded random source, uniform in [0, 1). */
  random(): number
  /**
   * Environment visible to `opa.runtime()`; undefined when the embedder configured no runtime,
   * and `opa.runtime()` is then `{}`, as in OPA without a runtime.
   */
  readonly env: Readonly<Record<string, string>> | undefined
  /** Location of the calling expression, for messages. */
  readonly location: Location | undefined
  /**
   * Results of non-deterministic built-ins in this evaluation, keyed by `name(args as JSON)`, so
   * that a decision can be stored with them (OPA's `nd_builtin_cache`) and replayed.
   */
  readonly ndCache: Map<string, Value>
  /** Scratch space for one evaluation (e.g. http.send's per-query cache). */
  readonly evalCache: Map<string, unknown>
  /** Whether network built-ins (http.send, net.lookup_ip_addr) may reach the network. */
  readonly allowNet: boolean
  /** Writes `print` output. */
  print(msg: string): void
  /**
   * Metadata of the rule being evaluated and its chain, for `rego.metadata.*`; provided by the
   * evaluator.
   */
  readonly metadata?: { chain(): Value; rule(): Value }
}

/**
 * A built-in function: its declaration plus an implementation. `impl` returns the result, or
 * `undefined` when the call is undefined; it throws {@link BuiltinError} or an operand error
 * (see operands.ts) for errors. A built-in that yields several results (`walk`) sets `iterate`.
 */
export interface Builtin extends BuiltinDecl {
  impl(args: readonly Value[], ctx: BuiltinContext): Value | undefined
  iterate?(args: readonly Value[], ctx: BuiltinContext): Iterable<Value>
}

/** A built-in failed on valid operand types (`eval_builtin_error`). */
export class BuiltinError extends Error {
  override readonly name = 'BuiltinError'
}

/** An operand has the wrong type or shape (`eval_type_error`). */
export class OperandError extends Error {
  override readonly name = 'OperandError'
}

/** Where built-ins are registered; `builtins/index.ts` fills one with every family. */
export class BuiltinRegistry {
  readonly #map = new Map<string, Builtin>()

  register(b: Builtin): void {
    if (this.#map.has(b.name)) throw new Error(`built-in ${b.name} registered twice`)
    this.#map.set(b.name, b)
  }

  /** Replaces a built-in (embedders overriding e.g. http.send). */
  override(b: Builtin): void {
    this.#map.set(b.name, b)
  }

  get(name: string): Builtin | undefined {
    return this.#map.get(name)
  }

  has(name: string): boolean {
    return this.#map.has(name)
  }

  all(): IterableIterator<Builtin> {
    return this.#map.values()
  }
}
