import { RObject, hashKey, type Value } from '../value/value.js'
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

/** A copy of `base` with `path` set to `v`, creating objects along the way. */
export function patchValue(base: Value | undefined, path: readonly Value[], v: Value): Value {
  if (path.length === 0) return v
  const out = new RObject()
  if (base instanceof RObject) for (const [k, x] of base.unorderedEntries()) out.set(k, x)
  const head = path[0]!
  out.set(head, patchValue(base instanceof RObject ? base.get(head) : undefined, path.slice(1), v))
  return out
}

export function overrideData(cur: DataOverride | undefined, path: readonly Value[], v: Value): DataOverride {
  const root: DataOverride = cloneOverride(cur)
  let n = root
  for (const p of path) {
    const h = hashKey(p)
    let c = n.children.get(h)
    c = cloneOverride(c)
    n.children.set(h, c)
    n = c
  }
  n.value = v
  n.children.clear()
  return root
}

function cloneOverride(o: DataOverride | undefined): DataOverride {
  return { value: o?.value, children: new Map(o?.children ?? []) }
}
