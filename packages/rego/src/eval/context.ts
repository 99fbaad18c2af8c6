import type { Value } from '../value/value.js'
import type { RuleNode } from '../compiler/compiled.js'

/** Replacement for a function or built-in under `with`: another function, or a constant value. */
export type FunctionOverride =
  | { readonly kind: 'builtin'; readonly name: string }
  | { readonly kind: 'func'; readonly path: readonly string[] }
  | { readonly kind: 'value'; readonly value: Value }

/** `with data.a.b as v` replacements, as a tree keyed by path segment. */
export interface DataOverride {
  value?: Value
  readonly children: Map<string, DataOverride>
}

/**
 * The documents an expression sees. Each `with` creates a child context with its own virtual
 * document cache, since rules may evaluate differently under the replaced documents.
 */
export class EvalContext {
  readonly cache = new Map<RuleNode, Value | null>()
  #funcCache: Map<string, Value | null> | undefined

  /** Function results by `path(args)` for this context (created on first use). */
  get funcCache(): Map<string, Value | null> {
    return (this.#funcCache ??= new Map())
  }

  constructor(
    readonly input: Value | undefined,
    readonly data: DataOverride | undefined,
    readonly functions: ReadonlyMap<string, FunctionOverride> | undefined,
  ) {}
}
