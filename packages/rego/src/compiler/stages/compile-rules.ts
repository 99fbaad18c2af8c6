import { call, ref, scalar, varTerm } from '../../ast/builders.js'
import type { RegoError } from '../../ast/errors.js'
import type { Expr, Module, Ref, Rule, Term, Var } from '../../ast/nodes.js'
import type { BuiltinRegistry } from '../../builtins/builtin.js'
import type { CompiledRule } from '../compiled.js'
import { RuleRewriter, type CallResolver, type Globals } from '../rewrite.js'
import { SafetyChecker, termVars } from '../safety.js'
import type { CompileState, HeadInfo, Stage } from '../stage.js'

/**
 * OPA's ResolveRefs, RewriteLocalVars and CheckSafety for each rule: names become `data.…`
 * refs or frame slots, calls are resolved, bodies are reordered for safety.
 */
export const compileRules: Stage = {
  name: 'CompileRules',
  run(state: CompileState): void {
    // Rule names are global to a package, whichever file of the package defines them.
    const packageRules = new Map<string, Set<string>>()
    for (const m of state.modules) {
      const key = m.package.path.join('.')
      let names = packageRules.get(key)
      if (!names) packageRules.set(key, (names = new Set()))
      for (const r of m.rules) {
        const first = r.head.ref[0]
        if (first && first.kind === 'Var') names.add(first.name)
      }
    }
    for (const m of state.modules) {
      const globals = moduleGlobals(m, packageRules.get(m.package.path.join('.'))!)
      const resolver = callResolver(state.registry, state.functions, m.regoVersion)
      for (const r of m.rules) state.rules.push(compileRule(r, state.heads.get(r)!, globals, resolver, state.errors))
    }
  },
}

export function callResolver(registry: BuiltinRegistry, functions: ReadonlyMap<string, number>, version: 0 | 1): CallResolver {
  return {
    builtin(name) {
      if (name === 'eq' || name === 'assign') return { arity: 2, variadic: false }
      const b = registry.get(name)
      if (!b || (b.deprecated && version === 1)) return undefined
      return { arity: b.args.length, variadic: b.variadic !== undefined }
    },
    func(path) {
      return functions.get(path.join('.'))
    },
  }
}

/** Names the package's rules (in any module) and this module's imports define, and what they refer to. */
function moduleGlobals(m: Module, ruleNames: ReadonlySet<string>): Globals {
  const g = new Map<string, Ref | Var>()
  const loc = m.package.location
  const pkgRef = (name: string): Ref =>
    ref(varTerm('data', loc), [...m.package.path, name].map((p) => scalar(p, loc)), loc)
  for (const name of ruleNames) g.set(name, pkgRef(name))
  for (const imp of m.imports) {
    const p = imp.path
    const head = p.kind === 'Var' ? p.name : p.head.kind === 'Var' ? p.head.name : ''
    if (head !== 'data' && head !== 'input') continue
    let alias = imp.alias
    if (!alias) {
      if (p.kind === 'Var') alias = p.name
      else {
        const last = p.path[p.path.length - 1]
        alias = last && last.kind === 'Scalar' && typeof last.value === 'string' ? last.value : undefined
      }
    }
    if (alias && alias !== 'input' && alias !== 'data') g.set(alias, p)
  }
  return g
}

function compileRule(r: Rule, h: HeadInfo, globals: Globals, resolver: CallResolver, errors: RegoError[]): CompiledRule {
  const rw = new RuleRewriter(globals, resolver)
  const scope = rw.newScope()
  // Arguments that are not plain patterns (calls, refs, templates) become body expressions
  // `arg_i = term`, so safety ordering can evaluate them after what they depend on.
  const argExprs: Expr[] = []
  const rawArgs = (r.head.args ?? []).map((a, i) => {
    if (isPattern(a)) return a
    const v = varTerm(`__arg${i}__`, a.location)
    argExprs.push({ kind: 'Expr', negated: false, body: call('eq', [v, a], a.location), with: [], location: a.location })
    return v
  })
  const args = rawArgs.map((a) => rw.declarePattern(a, scope, 'arg'))
  const body = rw.body([...r.body, ...argExprs], scope)
  const loc = r.head.location
  const valueTerm: Term = r.head.value ?? scalar(true, loc)
  const value = rw.term(valueTerm, scope)
  const key = r.head.key ? rw.term(r.head.key, scope) : undefined
  const dynamic = h.dynamic.map((t) => rw.term(t, scope))
  errors.push(...rw.errors)
  const argSlots = new Set<number>()
  for (const a of args) termVars(a, argSlots, true)
  const safety = new SafetyChecker(rw.slotNames)
  const ordered = safety.reorder(body, argSlots)
  if (safety.errors.length === 0) {
    safety.checkRuleHead([value, ...(key ? [key] : []), ...dynamic], ordered, argSlots, r.head.location)
  }
  errors.push(...safety.errors)
  const vs = new Set<number>()
  termVars(value, vs, false)
  // An else branch is compiled as its own rule sharing the head's kind and path.
  const elseRule = r.else ? compileRule(r.else, h, globals, resolver, errors) : undefined
  return {
    rule: r,
    kind: h.kind,
    path: h.path,
    dynamic,
    key,
    value,
    args,
    body: ordered,
    default: r.default,
    else: elseRule,
    slots: rw.slots,
    constantValue: vs.size === 0 && isPlainValue(value),
  }
}

/** Variables, scalars, and arrays/objects of patterns: what argument unification can bind. */
function isPattern(t: Term): boolean {
  switch (t.kind) {
    case 'Var':
    case 'Scalar':
      return true
    case 'Array':
      return t.items.every(isPattern)
    case 'Object':
      return t.entries.every(([k, v]) => k.kind === 'Scalar' && isPattern(v))
    default:
      return false
  }
}

/** A value term that evaluates the same every time (no refs or calls). */
function isPlainValue(t: Term): boolean {
  switch (t.kind) {
    case 'Scalar':
      return true
    case 'Array':
    case 'Set':
      return t.items.every(isPlainValue)
    case 'Object':
      return t.entries.every(([k, v]) => isPlainValue(k) && isPlainValue(v))
    default:
      return false
  }
}
