import { RegoError } from '../../ast/errors.js'
import type { Body, Expr, Term } from '../../ast/nodes.js'
import { hashKey, type Value } from '../../value/value.js'
import type { CompiledRule, RuleNode } from '../compiled.js'
import type { CompileState, Stage } from '../stage.js'

/** OPA's CheckRecursion. */
export const checkRecursionStage: Stage = {
  name: 'CheckRecursion',
  run(state: CompileState): void {
    if (state.root) checkRecursion(state.root, state.rules, state.errors)
  },
}

/**
 * Reports rules that depend on themselves (Rego has no recursion):
 * `rego_recursion_error: rule data.p is recursive: data.p -> data.q -> data.p`.
 */
export function checkRecursion(root: RuleNode, rules: readonly CompiledRule[], errors: RegoError[]): void {
  const nodeOf = new Map<CompiledRule, RuleNode>()
  const index = (n: RuleNode): void => {
    for (const r of n.rules) for (let x: CompiledRule | undefined = r; x; x = x.else) nodeOf.set(x, n)
    for (const c of n.children.values()) index(c)
  }
  index(root)
  const deps = new Map<RuleNode, Set<RuleNode>>()
  for (const r of rules) {
    const from = nodeOf.get(r)!
    let set = deps.get(from)
    if (!set) deps.set(from, (set = new Set()))
    for (let x: CompiledRule | undefined = r; x; x = x.else) collectRule(x, root, set)
  }
  const state = new Map<RuleNode, 1 | 2>()
  const stack: RuleNode[] = []
  const reported = new Set<RuleNode>()
  const name = (n: RuleNode): string => 'data.' + n.path.map(String).join('.')
  const dfs = (n: RuleNode): void => {
    state.set(n, 1)
    stack.push(n)
    for (const d of deps.get(n) ?? []) {
      const s = state.get(d)
      if (s === 1) {
        if (!reported.has(d)) {
          reported.add(d)
          const cycle = stack.slice(stack.indexOf(d)).concat(d)
          errors.push(new RegoError('rego_recursion_error', `rule ${name(d)} is recursive: ${cycle.map(name).join(' -> ')}`, d.rules[0]!.rule.location))
        }
      } else if (s === undefined) dfs(d)
    }
    stack.pop()
    state.set(n, 2)
  }
  for (const n of deps.keys()) if (!state.has(n)) dfs(n)
}

function collectRule(r: CompiledRule, root: RuleNode, out: Set<RuleNode>): void {
  collectBody(r.body, root, out)
  collectTerm(r.value, root, out)
  if (r.key) collectTerm(r.key, root, out)
  for (const t of r.dynamic) collectTerm(t, root, out)
  for (const t of r.args) collectTerm(t, root, out)
}

function collectBody(b: Body, root: RuleNode, out: Set<RuleNode>): void {
  for (const e of b) collectExpr(e, root, out)
}

function collectExpr(e: Expr, root: RuleNode, out: Set<RuleNode>): void {
  const b = e.body
  if (b.kind === 'Every') {
    collectTerm(b.domain, root, out)
    collectBody(b.body, root, out)
  } else if (b.kind !== 'SomeDecl') collectTerm(b, root, out)
  for (const w of e.with) collectTerm(w.value, root, out)
}

function collectTerm(t: Term, root: RuleNode, out: Set<RuleNode>): void {
  switch (t.kind) {
    case 'Ref': {
      if (t.head.kind === 'Var' && t.head.name === 'data' && t.head.slot === undefined) {
        const path: Value[] = []
        for (const p of t.path) {
          if (p.kind !== 'Scalar') break
          path.push(p.value as Value)
        }
        addPath(root, path, out)
      } else collectTerm(t.head, root, out)
      for (const p of t.path) collectTerm(p, root, out)
      return
    }
    case 'Call':
      if (t.target?.kind === 'func') addPath(root, t.target.path, out)
      for (const a of t.args) collectTerm(a, root, out)
      return
    case 'Array':
    case 'Set':
      for (const x of t.items) collectTerm(x, root, out)
      return
    case 'Object':
      for (const [k, v] of t.entries) {
        collectTerm(k, root, out)
        collectTerm(v, root, out)
      }
      return
    case 'ArrayCompr':
    case 'SetCompr':
      collectTerm(t.term, root, out)
      collectBody(t.body, root, out)
      return
    case 'ObjectCompr':
      collectTerm(t.key, root, out)
      collectTerm(t.value, root, out)
      collectBody(t.body, root, out)
      return
    case 'TemplateString':
      for (const p of t.parts) if (typeof p !== 'string') collectTerm(p, root, out)
      return
    default:
      return
  }
}

/** Every rule node a ref to `path` may read: the node it reaches, or all below it. */
function addPath(root: RuleNode, path: readonly Value[], out: Set<RuleNode>): void {
  let n = root
  for (const k of path) {
    if (n.rules.length > 0) {
      out.add(n)
      return
    }
    const c = n.children.get(hashKey(k))
    if (!c) return
    n = c
  }
  const all = (x: RuleNode): void => {
    if (x.rules.length > 0) out.add(x)
    for (const c of x.children.values()) all(c)
  }
  all(n)
}
