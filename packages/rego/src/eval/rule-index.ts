import type { Term } from '../ast/nodes.js'
import type { CompiledRule, RuleNode } from '../compiler/compiled.js'
import { hashKey, type Value } from '../value/value.js'

/**
 * A rule index, in the spirit of OPA's: for the rules of one document, the `input` path most
 * of them compare to a constant (`input.user == "alice"`), and which rules each constant
 * selects. Evaluation then reads that path once and runs only the rules that can match, so a
 * policy with hundreds of `allow` rules does not evaluate every one.
 */
export interface RuleIndex {
  /** The indexed path below `input`. */
  readonly path: readonly Value[]
  /** Constant (by hash key) → rules requiring it. */
  readonly byValue: ReadonlyMap<string, readonly CompiledRule[]>
  /** Rules that do not constrain the path (always candidates). */
  readonly always: readonly CompiledRule[]
  /** Position of each rule in the node, to keep the original order. */
  readonly order: ReadonlyMap<CompiledRule, number>
}

/** Rules below this count are simply all evaluated. */
const MIN_RULES = 4

const built = new WeakMap<RuleNode, RuleIndex | null>()

export function ruleIndex(node: RuleNode): RuleIndex | undefined {
  let idx = built.get(node)
  if (idx === undefined) {
    idx = build(node.rules) ?? null
    built.set(node, idx)
  }
  return idx ?? undefined
}

function build(rules: readonly CompiledRule[]): RuleIndex | undefined {
  if (rules.length < MIN_RULES) return undefined
  const conds = rules.map((r) => (r.default || r.else ? new Map<string, { path: Value[]; value: Value }>() : constraints(r)))
  const counts = new Map<string, number>()
  for (const c of conds) for (const k of c.keys()) counts.set(k, (counts.get(k) ?? 0) + 1)
  let best: string | undefined
  let bestCount = 1
  for (const [k, n] of counts) {
    if (n > bestCount) {
      best = k
      bestCount = n
    }
  }
  if (best === undefined) return undefined
  const byValue = new Map<string, CompiledRule[]>()
  const always: CompiledRule[] = []
  let path: Value[] = []
  rules.forEach((r, i) => {
    const c = conds[i]!.get(best!)
    if (!c) {
      always.push(r)
      return
    }
    path = c.path
    const h = hashKey(c.value)
    const list = byValue.get(h)
    if (list) list.push(r)
    else byValue.set(h, [r])
  })
  return { path, byValue, always, order: new Map(rules.map((r, i) => [r, i])) }
}

/** `input.a.b == const` (or `=`) conditions at the top level of a rule body. */
function constraints(r: CompiledRule): Map<string, { path: Value[]; value: Value }> {
  const out = new Map<string, { path: Value[]; value: Value }>()
  for (const e of r.body) {
    if (e.negated || e.with.length > 0 || e.body.kind !== 'Call') continue
    const c = e.body
    const name = c.target?.kind === 'builtin' ? c.target.name : undefined
    if ((name !== 'equal' && name !== 'eq') || c.args.length !== 2) continue
    const [a, b] = c.args as [Term, Term]
    const ref = inputPath(a) ?? inputPath(b)
    const val = a.kind === 'Scalar' ? a.value : b.kind === 'Scalar' ? b.value : undefined
    if (!ref || val === undefined) continue
    const key = ref.map(hashKey).join('\u0000')
    if (!out.has(key)) out.set(key, { path: ref, value: val })
  }
  return out
}

function inputPath(t: Term): Value[] | undefined {
  if (t.kind !== 'Ref' || t.head.kind !== 'Var' || t.head.name !== 'input' || t.head.slot !== undefined) return undefined
  const out: Value[] = []
  for (const p of t.path) {
    if (p.kind !== 'Scalar') return undefined
    out.push(p.value)
  }
  return out
}
