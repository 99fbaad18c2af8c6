import { opName, ref } from '../ast/builders.js'
import { RegoError } from '../ast/errors.js'
import type { Location } from '../ast/location.js'
import type { Body, Call, CallTarget, Every, Expr, Ref, Term, Var, With } from '../ast/nodes.js'

/** What a name means at module level: a document below `data`/`input` (rules, imports). */
export type Globals = ReadonlyMap<string, Ref | Var>

/** Looks up what a call invokes; returns undefined for unknown functions. */
export interface CallResolver {
  builtin(name: string): { arity: number; variadic: boolean } | undefined
  /** Arity of the user function at this path below `data`, or undefined. */
  func(path: readonly string[]): number | undefined
}

class Scope {
  readonly declared = new Map<string, number>()
  /** Free (undeclared) names used in this scope, for "referenced above" errors. */
  readonly used = new Set<string>()
  constructor(readonly parent: Scope | undefined) {}

  lookup(name: string): number | undefined {
    const slot = this.declared.get(name)
    return slot !== undefined ? slot : this.parent?.lookup(name)
  }
}

/**
 * Rewrites one rule (or query) for evaluation:
 * - gives every variable a frame slot, honouring `:=` / `some` / `every` scoping (declared
 *   variables shadow; `_` is always fresh);
 * - resolves names: declared locals first, then `input` / `data`, then the module's rules and
 *   imports (to `data.…` refs), then free variables;
 * - turns `some x in xs` into `x = xs[_]` (and `some k, v in xs` into `v = xs[k]`);
 * - resolves every call to a built-in or a user function, checking the argument count.
 */
export class RuleRewriter {
  readonly slotNames: string[] = []
  readonly #free = new Map<string, number>()
  readonly errors: RegoError[] = []

  constructor(
    private readonly globals: Globals,
    private readonly calls: CallResolver,
  ) {}

  get slots(): number {
    return this.slotNames.length
  }

  /** Free variables by name (query result columns). */
  get freeVars(): ReadonlyMap<string, number> {
    return this.#free
  }

  newScope(parent?: Scope): Scope {
    return new Scope(parent)
  }

  #alloc(name: string): number {
    this.slotNames.push(name)
    return this.slotNames.length - 1
  }

  #fresh(loc: Location, name = '_'): Var {
    const slot = this.#alloc(`__local${this.slotNames.length}__`)
    return { kind: 'Var', name: name === '_' ? `__local${slot}__` : name, location: loc, slot }
  }

  #error(msg: string, loc: Location, code: RegoError['code'] = 'rego_compile_error'): void {
    this.errors.push(new RegoError(code, msg, loc))
  }

  // ---- declarations ---------------------------------------------------------------------------

  /** Declares every variable of a pattern (`:=` left side, `some`, args) in `scope`. */
  declarePattern(t: Term, scope: Scope, how: 'assign' | 'some' | 'arg'): Term {
    switch (t.kind) {
      case 'Var': {
        if (t.name === '_') return this.#fresh(t.location)
        if (t.name === 'input' || t.name === 'data') {
          this.#error(`variables must not shadow ${t.name} (use a different variable name)`, t.location)
        }
        if (how === 'assign') {
          if (scope.declared.has(t.name)) this.#error(`var ${t.name} assigned above`, t.location)
          else if (scope.used.has(t.name)) this.#error(`var ${t.name} referenced above`, t.location)
        }
        if (how === 'arg' && scope.declared.has(t.name)) return { ...t, slot: scope.declared.get(t.name)! }
        const slot = this.#alloc(t.name)
        scope.declared.set(t.name, slot)
        return { ...t, slot }
      }
      case 'Array':
        return { ...t, items: t.items.map((x) => this.declarePattern(x, scope, how)) }
      case 'Object':
        return { ...t, entries: t.entries.map(([k, v]) => [this.term(k, scope), this.declarePattern(v, scope, how)] as const) }
      default:
        if (how === 'assign') {
          this.#error(`cannot assign to ${describe(t)}`, t.location)
          return t
        }
        return this.term(t, scope)
    }
  }

  // ---- bodies ---------------------------------------------------------------------------------

  body(body: Body, scope: Scope): Expr[] {
    const out: Expr[] = []
    for (const e of body) {
      const r = this.expr(e, scope)
      if (r) out.push(r)
    }
    return out
  }

  expr(e: Expr, scope: Scope): Expr | undefined {
    const withs = e.with.map((w) => this.#with(w, scope))
    const b = e.body
    switch (b.kind) {
      case 'SomeDecl': {
        const sym = b.symbols[0]
        if (sym && sym.kind === 'Call') {
          // some x in xs  →  x = xs[_];  some k, v in xs  →  v = xs[k]
          const three = sym.args.length === 3
          const domain = this.term(sym.args[three ? 2 : 1]!, scope)
          const keyPat = three ? this.declarePattern(sym.args[0]!, scope, 'some') : this.#fresh(sym.location)
          const valPat = this.declarePattern(sym.args[three ? 1 : 0]!, scope, 'some')
          const lookup = domain.kind === 'Ref' ? ref(domain.head, [...domain.path, keyPat], sym.location) : ref(domain, [keyPat], sym.location)
          return { ...e, body: eqCall(valPat, lookup, sym.location), with: withs }
        }
        // `some x` declares a fresh x in this scope (declaring it again makes another).
        for (const s of b.symbols) scope.declared.set((s as Var).name, this.#alloc((s as Var).name))
        return undefined
      }
      case 'Every': {
        const domain = this.term(b.domain, scope)
        const inner = new Scope(scope)
        const key = b.key ? this.declarePattern(b.key, inner, 'some') : undefined
        const value = this.declarePattern(b.value, inner, 'some')
        const body = this.body(b.body, inner)
        const ev: Every = { ...b, key, value, domain, body }
        return { ...e, body: ev, with: withs }
      }
      default: {
        if (b.kind === 'Call' && b.op.kind === 'Var' && b.op.name === 'assign' && b.args.length === 2) {
          if (e.negated) this.#error('cannot assign vars inside negated expression', e.location)
          const rhs = this.term(b.args[1]!, scope)
          const lhs = this.declarePattern(b.args[0]!, scope, 'assign')
          const call: Call = { ...b, args: [lhs, rhs], target: { kind: 'builtin', name: 'assign', arity: 2 } }
          return { ...e, body: call, with: withs }
        }
        return { ...e, body: this.term(b, scope, true), with: withs }
      }
    }
  }

  #with(w: With, scope: Scope): With {
    // A built-in named as the replacement (`with f as count`) stays a name, not a variable.
    const v = w.value
    const vname = v.kind === 'Var' || v.kind === 'Ref' ? opName(v) : undefined
    const isBuiltinName = vname !== undefined && scope.lookup(vname.split('.')[0]!) === undefined && !this.globals.has(vname.split('.')[0]!) && this.calls.builtin(vname) !== undefined
    const value = isBuiltinName ? v : this.term(w.value, scope)
    const t = w.target
    let target: Term = t
    const head = t.kind === 'Ref' ? t.head : t
    if (head.kind !== 'Var') {
      this.#error('with keyword target must reference existing input, data, or a function', w.location, 'rego_type_error')
    } else if (head.name !== 'input' && head.name !== 'data') {
      const g = this.globals.get(head.name)
      if (g) target = t.kind === 'Ref' ? joinRef(g, t.path, t.location) : g
    }
    return { ...w, target, value }
  }

  // ---- terms ----------------------------------------------------------------------------------

  term(t: Term, scope: Scope, exprLevel = false): Term {
    switch (t.kind) {
      case 'Scalar':
        return t
      case 'Var':
        return this.#var(t, scope)
      case 'Ref': {
        const path = t.path.map((p) => this.term(p, scope))
        if (t.head.kind === 'Var') {
          const head = this.#var(t.head, scope)
          if (head.kind === 'Ref') return joinRef(head, path, t.location)
          return { ...t, head, path }
        }
        return { ...t, head: this.term(t.head, scope), path }
      }
      case 'Array':
        return { ...t, items: t.items.map((x) => this.term(x, scope)) }
      case 'Set':
        return { ...t, items: t.items.map((x) => this.term(x, scope)) }
      case 'Object':
        return { ...t, entries: t.entries.map(([k, v]) => [this.term(k, scope), this.term(v, scope)] as const) }
      case 'ArrayCompr':
      case 'SetCompr': {
        const inner = new Scope(scope)
        const body = this.body(t.body, inner)
        return { ...t, body, term: this.term(t.term, inner) }
      }
      case 'ObjectCompr': {
        const inner = new Scope(scope)
        const body = this.body(t.body, inner)
        return { ...t, body, key: this.term(t.key, inner), value: this.term(t.value, inner) }
      }
      case 'TemplateString':
        return { ...t, parts: t.parts.map((p) => (typeof p === 'string' ? p : this.term(p, scope))) }
      case 'Call':
        return this.#call(t, scope, exprLevel)
    }
  }

  #var(v: Var, scope: Scope): Var | Ref {
    if (v.slot !== undefined) return v
    if (v.name === '_') return this.#fresh(v.location)
    const slot = scope.lookup(v.name)
    if (slot !== undefined) return { ...v, slot }
    if (v.name === 'input' || v.name === 'data') return v
    const g = this.globals.get(v.name)
    if (g) return g.kind === 'Ref' ? { ...g, location: v.location } : { ...g, location: v.location }
    let free = this.#free.get(v.name)
    if (free === undefined) {
      free = this.#alloc(v.name)
      this.#free.set(v.name, free)
    }
    for (let s: Scope | undefined = scope; s; s = s.parent) s.used.add(v.name)
    return { ...v, slot: free }
  }

  #call(c: Call, scope: Scope, exprLevel: boolean): Term {
    const args = c.args.map((a) => this.term(a, scope))
    const name = opName(c.op)
    if (name === 'eq' || name === 'assign') {
      return { ...c, args, target: { kind: 'builtin', name, arity: 2 } }
    }
    let target: CallTarget | undefined
    // Resolve the operator: a declared local cannot be called; module names and `data` refs are
    // user functions; anything else is a built-in.
    const head = c.op.kind === 'Var' ? c.op : c.op.head
    let path: string[] | undefined
    if (head.kind === 'Var' && scope.lookup(head.name) === undefined) {
      const g = head.name === 'data' ? ({ kind: 'Var', name: 'data', location: head.location } as Var) : this.globals.get(head.name)
      if (g) {
        const full = c.op.kind === 'Ref' ? joinRef(g, c.op.path, c.op.location) : g
        path = refToPath(full)
      }
    }
    if (path) {
      const arity = this.calls.func(path)
      if (arity === undefined) {
        this.#error(`undefined function data.${path.join('.')}`, c.location, 'rego_type_error')
        return { ...c, args }
      }
      target = { kind: 'func', path, arity }
    } else if (name !== undefined) {
      const b = this.calls.builtin(name)
      if (!b) {
        this.#error(`undefined function ${name}`, c.location, 'rego_type_error')
        return { ...c, args }
      }
      target = { kind: 'builtin', name, arity: b.variadic ? -1 : b.arity }
    } else {
      this.#error(`invalid function name ${describe(c.op)}`, c.location, 'rego_type_error')
      return { ...c, args }
    }
    if (target.arity >= 0) {
      const n = args.length
      if (n !== target.arity && !(exprLevel && n === target.arity + 1)) {
        const fname = target.kind === 'func' ? `data.${target.path.join('.')}` : target.name
        // OPA's wording: `count: too many arguments` followed by the have/want signatures.
        const msg = n < target.arity ? 'too few arguments' : 'too many arguments'
        const sig = (k: number): string => new Array(k).fill('any').join(', ')
        this.#error(`${fname}: ${msg}\n\thave: (${sig(n)})\n\twant: (${sig(target.arity)})`, c.location, 'rego_type_error')
      }
    }
    return { ...c, args, target }
  }
}

export function eqCall(a: Term, b: Term, loc: Location): Call {
  return { kind: 'Call', op: { kind: 'Var', name: 'eq', location: loc }, args: [a, b], location: loc, target: { kind: 'builtin', name: 'eq', arity: 2 } }
}

export function joinRef(base: Ref | Var, path: readonly Term[], loc: Location): Ref {
  if (base.kind === 'Var') return ref(base, path, loc)
  return ref(base.head, [...base.path, ...path], loc)
}

/** `data.a.b` → ["a", "b"]; undefined unless the ref is `data` followed by strings. */
export function refToPath(t: Ref | Var): string[] | undefined {
  if (t.kind === 'Var') return t.name === 'data' ? [] : undefined
  if (t.head.kind !== 'Var' || t.head.name !== 'data') return undefined
  const out: string[] = []
  for (const p of t.path) {
    if (p.kind !== 'Scalar' || typeof p.value !== 'string') return undefined
    out.push(p.value)
  }
  return out
}

function describe(t: Term): string {
  switch (t.kind) {
    case 'Scalar':
      return typeof t.value === 'string' ? 'string' : t.value === null ? 'null' : typeof t.value === 'boolean' ? 'boolean' : 'number'
    case 'Ref':
      return 'ref'
    case 'Call':
      return 'call'
    default:
      return t.kind.toLowerCase()
  }
}

