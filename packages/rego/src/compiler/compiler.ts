import { call, ref, scalar, varTerm } from '../ast/builders.js'
import { RegoError, RegoErrors } from '../ast/errors.js'
import type { Body, Expr, Module, Ref, Rule, Term, Var } from '../ast/nodes.js'
import type { BuiltinRegistry } from '../builtins/builtin.js'
import { hashKey, type Value } from '../value/value.js'
import type { CompiledQuery, CompiledRule, RuleKind, RuleNode } from './compiled.js'
import { checkRecursion } from './recursion.js'
import { RuleRewriter, type CallResolver, type Globals } from './rewrite.js'
import { SafetyChecker, termVars } from './safety.js'

/** The compiled form of a set of modules: the rule tree the evaluator walks. */
export interface CompiledPolicy {
  readonly root: RuleNode
  readonly rules: readonly CompiledRule[]
  /** Function arities by dotted path below data. */
  readonly functions: ReadonlyMap<string, number>
  readonly modules: readonly Module[]
}

interface HeadInfo {
  readonly kind: RuleKind
  readonly path: Value[]
  readonly dynamic: Term[]
}

/** Reserved names that rules may not use. */
const RESERVED_ROOTS = new Set(['input', 'data'])

/**
 * Compiles modules together. Stages run in order, each named as in OPA (ResolveRefs,
 * RewriteLocalVars, CheckSafety, SetRuleTree, CheckRecursion); errors from a stage are collected
 * and thrown together as {@link RegoErrors}.
 */
export function compileModules(modules: readonly Module[], registry: BuiltinRegistry): CompiledPolicy {
  const errors: RegoError[] = []
  const heads = new Map<Rule, HeadInfo>()
  const functions = new Map<string, number>()
  // Stage: classify rule heads and collect function arities.
  for (const m of modules) {
    for (const r of m.rules) {
      const h = classify(m, r, errors)
      heads.set(r, h)
      if (h.kind === 'function') {
        const key = h.path.join('.')
        const prev = functions.get(key)
        if (prev !== undefined && prev !== r.head.args!.length) {
          errors.push(new RegoError('rego_type_error', `conflicting rules data.${key} found`, r.location))
        }
        functions.set(key, r.head.args!.length)
      }
    }
  }
  const compiled: CompiledRule[] = []
  for (const m of modules) {
    const globals = moduleGlobals(m)
    const resolver = callResolver(registry, functions, m.regoVersion)
    for (const r of m.rules) {
      const h = heads.get(r)!
      compiled.push(compileRule(r, h, globals, resolver, errors))
    }
  }
  if (errors.length > 0) throw new RegoErrors(errors)
  const root = buildTree(compiled, modules, errors)
  if (errors.length === 0) checkRecursion(root, compiled, errors)
  if (errors.length > 0) throw new RegoErrors(errors)
  return { root, rules: compiled, functions, modules }
}

/** Compiles a query against a compiled policy (queries have no package: names are free vars). */
export function compileQuery(body: Body, policy: CompiledPolicy, registry: BuiltinRegistry, regoVersion: 0 | 1 = 1): CompiledQuery {
  const errors: RegoError[] = []
  const rw = new RuleRewriter(new Map(), callResolver(registry, policy.functions, regoVersion))
  const scope = rw.newScope()
  const rewritten = rw.body(body, scope)
  errors.push(...rw.errors)
  if (errors.length > 0) throw new RegoErrors(errors)
  const safety = new SafetyChecker(rw.slotNames)
  const ordered = safety.reorder(rewritten, new Set())
  if (safety.errors.length > 0) throw new RegoErrors(safety.errors)
  const vars: { name: string; slot: number }[] = []
  for (const [name, slot] of rw.freeVars) vars.push({ name, slot })
  for (let i = 0; i < rw.slotNames.length; i++) {
    const n = rw.slotNames[i]!
    if (!rw.freeVars.has(n) && !n.startsWith('__local')) vars.push({ name: n, slot: i })
  }
  vars.sort((a, b) => a.slot - b.slot)
  return { body: ordered, slots: rw.slots, vars }
}

function callResolver(registry: BuiltinRegistry, functions: ReadonlyMap<string, number>, version: 0 | 1): CallResolver {
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

/** Names a module's rules and imports define, mapped to what they refer to. */
function moduleGlobals(m: Module): Globals {
  const g = new Map<string, Ref | Var>()
  const loc = m.package.location
  const pkgRef = (name: string): Ref =>
    ref(varTerm('data', loc), [...m.package.path, name].map((p) => scalar(p, loc)), loc)
  for (const r of m.rules) {
    const first = r.head.ref[0]
    if (first && first.kind === 'Var') g.set(first.name, pkgRef(first.name))
  }
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

function classify(m: Module, r: Rule, errors: RegoError[]): HeadInfo {
  const h = r.head
  const first = h.ref[0]!
  const name = first.kind === 'Var' ? first.name : ''
  if (RESERVED_ROOTS.has(name)) {
    errors.push(new RegoError('rego_compile_error', `rule name conflicts with built-in ${name}`, r.location))
  }
  const path: Value[] = [...m.package.path, name]
  let i = 1
  for (; i < h.ref.length; i++) {
    const t = h.ref[i]!
    if (t.kind !== 'Scalar') break
    path.push(t.value as Value)
  }
  const dynamic = h.ref.slice(i)
  if (h.args) {
    if (dynamic.length > 0) errors.push(new RegoError('rego_compile_error', 'function name must be a ground ref', r.location))
    return { kind: 'function', path, dynamic: [] }
  }
  if (h.key) {
    // `p[q].r contains s`: sets as leaves of an object below the ground prefix.
    if (dynamic.length > 0) return { kind: 'object', path, dynamic }
    return { kind: 'set', path, dynamic: [] }
  }
  if (dynamic.length > 0) {
    if (r.default) errors.push(new RegoError('rego_compile_error', 'default rules must have a ground ref', r.location))
    return { kind: 'object', path, dynamic }
  }
  return { kind: 'complete', path, dynamic: [] }
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

function newNode(key: Value, path: readonly Value[]): RuleNode {
  return { key, path, children: new Map(), rules: [] }
}

function buildTree(rules: readonly CompiledRule[], modules: readonly Module[], errors: RegoError[]): RuleNode {
  const root = newNode('data', [])
  const nodeAt = (path: readonly Value[]): RuleNode => {
    let node = root
    for (let i = 0; i < path.length; i++) {
      const k = path[i]!
      const h = hashKey(k)
      let child = node.children.get(h)
      if (!child) {
        child = newNode(k, path.slice(0, i + 1))
        node.children.set(h, child)
      }
      node = child
    }
    return node
  }
  // Every package exists as a document, even one without rules (it is then an empty object).
  for (const m of modules) nodeAt(m.package.path)
  for (const r of rules) nodeAt(r.path).rules.push(r)
  // Conflicts between kinds at one path.
  const visit = (n: RuleNode): void => {
    const kinds = new Set(n.rules.map((r) => r.kind))
    if (kinds.size > 1 && !(kinds.size === 2 && kinds.has('object') && kinds.has('complete') && false)) {
      const r = n.rules[n.rules.length - 1]!
      const hasFn = kinds.has('function')
      errors.push(
        new RegoError(
          'rego_type_error',
          hasFn ? `conflicting rules data.${n.path.join('.')} found` : `conflicting rule types: data.${n.path.join('.')}`,
          r.rule.location,
        ),
      )
    }
    if (n.rules.filter((r) => r.default).length > 1) {
      const r = n.rules.filter((r) => r.default)[1]!
      errors.push(new RegoError('rego_type_error', `multiple default rules data.${n.path.join('.')} found`, r.rule.location))
    }
    if (n.rules.some((r) => r.kind === 'complete' || r.kind === 'function' || r.kind === 'set') && n.children.size > 0) {
      const r = n.rules[0]!
      const child = [...n.children.values()][0]!
      errors.push(new RegoError('rego_type_error', `rule data.${n.path.join('.')} conflicts with [data.${child.path.join('.')}]`, r.rule.location))
    }
    for (const c of n.children.values()) visit(c)
  }
  visit(root)
  return root
}
