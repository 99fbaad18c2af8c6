import { RegoError } from '../ast/errors.js'
import type { Body, Expr, Term } from '../ast/nodes.js'

type Slots = Set<number>

/**
 * Safety analysis and body reordering, as OPA's `reorderBodyForSafety`: a body's statements are
 * reordered so that each one runs only once the variables it reads are bound; a variable that no
 * order can bind is reported as `rego_unsafe_var_error: var x is unsafe`. Closures
 * (comprehensions, `every`) are checked recursively with the variables bound before them.
 */
export class SafetyChecker {
  readonly errors: RegoError[] = []

  constructor(private readonly slotNames: readonly string[]) {}

  /** Reorders `body` given the already-safe slots; reports unsafe variables. */
  reorder(body: Body, globals: ReadonlySet<number>): Body {
    const bodyVars = new Set<number>()
    for (const e of body) exprVars(e, bodyVars, true)
    const safe = new Set(globals)
    const unsafe = new Map<Expr, Slots>()
    // Occurrences per variable, to find wildcards local to one negated expression.
    const uses = new Map<number, number>()
    for (const e of body) {
      const vs = new Set<number>()
      exprVars(e, vs, true)
      for (const v of vs) uses.set(v, (uses.get(v) ?? 0) + 1)
    }
    for (const e of body) {
      const vs = new Set<number>()
      exprVars(e, vs, true)
      for (const v of vs) {
        if (safe.has(v)) continue
        // `not xs[_] == 3`: a wildcard used only inside a negation is quantified there.
        if (e.negated && uses.get(v) === 1 && this.#isWildcard(v)) continue
        getOrInit(unsafe, e).add(v)
      }
    }
    const reordered: Expr[] = []
    const placed = new Set<Expr>()
    for (;;) {
      const n = reordered.length
      for (const e of body) {
        if (placed.has(e)) continue
        const ovs = outputVarsForExpr(e, safe)
        // Closures may only read variables of this body once they are bound.
        const cv = new Set<number>()
        closureVars(e, cv)
        let closureUnsafe = false
        for (const v of cv) if (bodyVars.has(v) && !safe.has(v) && !ovs.has(v)) closureUnsafe = true
        if (closureUnsafe) continue
        const u = unsafe.get(e)
        if (u) for (const v of [...u]) if (ovs.has(v) || safe.has(v)) u.delete(v)
        if (!u || u.size === 0) {
          unsafe.delete(e)
          placed.add(e)
          reordered.push(this.#closures(e, safe))
          for (const v of ovs) safe.add(v)
        }
      }
      if (reordered.length === n) break
    }
    if (reordered.length < body.length) {
      for (const e of body) {
        if (placed.has(e)) continue
        const u = unsafe.get(e)
        const names = new Set<string>()
        if (u && u.size > 0) for (const v of u) names.add(this.#name(v))
        else {
          const cv = new Set<number>()
          closureVars(e, cv)
          for (const v of cv) if (bodyVars.has(v) && !safe.has(v)) names.add(this.#name(v))
        }
        for (const name of names) this.errors.push(new RegoError('rego_unsafe_var_error', `var ${name} is unsafe`, e.location))
      }
      return body
    }
    return reordered
  }

  #isWildcard(slot: number): boolean {
    return this.slotNames[slot]?.startsWith('__local') ?? false
  }

  #name(slot: number): string {
    const n = this.slotNames[slot] ?? `$${slot}`
    return n.startsWith('__local') ? '_' : n
  }

  /** Reorders closure bodies inside `e`, given what is safe when `e` runs. */
  #closures(e: Expr, safe: ReadonlySet<number>): Expr {
    const b = e.body
    if (b.kind === 'Every') {
      const inner = new Set(safe)
      if (b.key) termVars(b.key, inner, true)
      termVars(b.value, inner, true)
      return { ...e, body: { ...b, body: this.reorder(b.body, inner), domain: this.#term(b.domain, safe) }, with: e.with.map((w) => ({ ...w, value: this.#term(w.value, safe) })) }
    }
    if (b.kind === 'SomeDecl') return e
    return { ...e, body: this.#term(b, safe), with: e.with.map((w) => ({ ...w, value: this.#term(w.value, safe) })) }
  }

  #term(t: Term, safe: ReadonlySet<number>): Term {
    switch (t.kind) {
      case 'Scalar':
      case 'Var':
        return t
      case 'Ref':
        return { ...t, head: this.#term(t.head, safe), path: t.path.map((p) => this.#term(p, safe)) }
      case 'Array':
        return { ...t, items: t.items.map((x) => this.#term(x, safe)) }
      case 'Set':
        return { ...t, items: t.items.map((x) => this.#term(x, safe)) }
      case 'Object':
        return { ...t, entries: t.entries.map(([k, v]) => [this.#term(k, safe), this.#term(v, safe)] as const) }
      case 'Call':
        return { ...t, args: t.args.map((x) => this.#term(x, safe)) }
      case 'TemplateString':
        return { ...t, parts: t.parts.map((p) => (typeof p === 'string' ? p : this.#closureTerm(p, safe))) }
      case 'ArrayCompr':
      case 'SetCompr': {
        const body = this.reorder(t.body, safe)
        this.#checkHead([t.term], body, safe, t)
        return { ...t, body, term: this.#term(t.term, boundBy(body, safe)) }
      }
      case 'ObjectCompr': {
        const body = this.reorder(t.body, safe)
        this.#checkHead([t.key, t.value], body, safe, t)
        const inner = boundBy(body, safe)
        return { ...t, body, key: this.#term(t.key, inner), value: this.#term(t.value, inner) }
      }
    }
  }

  /** A template part behaves like a closure: its own variables are bound inside it. */
  #closureTerm(t: Term, safe: ReadonlySet<number>): Term {
    return this.#term(t, safe)
  }

  /** Head variables of a comprehension must be bound by its body. */
  #checkHead(head: readonly Term[], body: Body, safe: ReadonlySet<number>, at: Term): void {
    const bound = new Set(safe)
    for (const e of body) for (const v of outputVarsForExpr(e, bound)) bound.add(v)
    for (const e of body) exprVars(e, bound, true)
    const hv = new Set<number>()
    for (const h of head) termVars(h, hv, true)
    for (const v of hv) {
      if (!bound.has(v)) this.errors.push(new RegoError('rego_unsafe_var_error', `var ${this.#name(v)} is unsafe`, at.location))
    }
  }

  /** Head variables of a rule must be bound by its body (or be arguments). */
  checkRuleHead(terms: readonly Term[], body: Body, globals: ReadonlySet<number>, at: Expr['location']): void {
    const bound = new Set(globals)
    for (const e of body) exprVars(e, bound, true)
    // Head terms may enumerate refs themselves (`q(_) := xs[_]`).
    for (const t of terms) for (const v of outputVarsForTerms(t, bound)) bound.add(v)
    const hv = new Set<number>()
    for (const h of terms) termVars(h, hv, true)
    for (const v of hv) {
      if (!bound.has(v)) this.errors.push(new RegoError('rego_unsafe_var_error', `var ${this.#name(v)} is unsafe`, at))
    }
  }
}

/** What is bound after `body` runs with `safe` bound. */
function boundBy(body: Body, safe: ReadonlySet<number>): Set<number> {
  const bound = new Set(safe)
  for (const e of body) {
    for (const v of outputVarsForExpr(e, bound)) bound.add(v)
    exprVars(e, bound, true)
  }
  return bound
}

function getOrInit(m: Map<Expr, Slots>, e: Expr): Slots {
  let s = m.get(e)
  if (!s) m.set(e, (s = new Set()))
  return s
}

/** Variables of an expression. With `skipClosures`, comprehension and `every` bodies are skipped. */
export function exprVars(e: Expr, out: Slots, skipClosures: boolean): void {
  const b = e.body
  if (b.kind === 'Every') {
    termVars(b.domain, out, skipClosures)
  } else if (b.kind !== 'SomeDecl') termVars(b, out, skipClosures)
  for (const w of e.with) termVars(w.value, out, skipClosures)
}

export function termVars(t: Term, out: Slots, skipClosures: boolean): void {
  switch (t.kind) {
    case 'Scalar':
      return
    case 'Var':
      if (t.slot !== undefined) out.add(t.slot)
      return
    case 'Ref':
      termVars(t.head, out, skipClosures)
      for (const p of t.path) termVars(p, out, skipClosures)
      return
    case 'Array':
    case 'Set':
      for (const x of t.items) termVars(x, out, skipClosures)
      return
    case 'Object':
      for (const [k, v] of t.entries) {
        termVars(k, out, skipClosures)
        termVars(v, out, skipClosures)
      }
      return
    case 'Call':
      for (const a of t.args) termVars(a, out, skipClosures)
      return
    case 'TemplateString':
      if (!skipClosures) for (const p of t.parts) if (typeof p !== 'string') termVars(p, out, false)
      return
    case 'ArrayCompr':
    case 'SetCompr':
      if (!skipClosures) {
        termVars(t.term, out, false)
        for (const e of t.body) exprVars(e, out, false)
      }
      return
    case 'ObjectCompr':
      if (!skipClosures) {
        termVars(t.key, out, false)
        termVars(t.value, out, false)
        for (const e of t.body) exprVars(e, out, false)
      }
      return
  }
}

/** Variables used inside the closures (comprehensions, template parts, `every` bodies) of `e`. */
function closureVars(e: Expr, out: Slots): void {
  const visit = (t: Term): void => {
    switch (t.kind) {
      case 'ArrayCompr':
      case 'SetCompr':
      case 'ObjectCompr':
      case 'TemplateString':
        termVars(t, out, false)
        return
      case 'Ref':
        visit(t.head)
        t.path.forEach(visit)
        return
      case 'Array':
      case 'Set':
        t.items.forEach(visit)
        return
      case 'Object':
        for (const [k, v] of t.entries) {
          visit(k)
          visit(v)
        }
        return
      case 'Call':
        t.args.forEach(visit)
        return
      default:
        return
    }
  }
  const b = e.body
  if (b.kind === 'Every') {
    visit(b.domain)
    if (b.key) termVars(b.key, out, false)
    termVars(b.value, out, false)
    for (const x of b.body) exprVars(x, out, false)
  } else if (b.kind !== 'SomeDecl') visit(b)
  for (const w of e.with) visit(w.value)
}

/** The variables `e` binds when evaluated with `safe` bound (OPA's outputVarsForExpr). */
export function outputVarsForExpr(e: Expr, safe: ReadonlySet<number>): Slots {
  if (e.negated) return new Set()
  for (const w of e.with) {
    const vs = new Set<number>()
    termVars(w.value, vs, true)
    for (const v of vs) if (!safe.has(v)) return new Set()
  }
  const b = e.body
  if (b.kind === 'SomeDecl') return new Set()
  if (b.kind === 'Every') return outputVarsForTerms(b.domain, safe)
  if (b.kind === 'Call') {
    const t = b.target
    if (t && t.kind === 'builtin' && (t.name === 'eq' || t.name === 'assign')) {
      const out = outputVarsForTerms(b, safe)
      for (const v of safe) out.add(v)
      const unified = unify(out, b.args[0]!, b.args[1]!)
      for (const v of unified) out.add(v)
      for (const v of safe) out.delete(v)
      return out
    }
    if (!t) return new Set()
    const out = outputVarsForTerms(b, safe)
    if (t.arity < 0 || b.args.length <= t.arity) return out
    // Relational form: the last argument is an output pattern.
    const outArg = b.args[b.args.length - 1]!
    const vs = new Set<number>()
    patternVars(outArg, vs)
    out.delete(-1)
    const outVars = new Set([...vs])
    for (const v of outVars) out.add(v)
    return out
  }
  return outputVarsForTerms(b, safe)
}

/** Variables of a pattern that unification can bind (skipping sets, object keys, refs, calls). */
function patternVars(t: Term, out: Slots): void {
  switch (t.kind) {
    case 'Var':
      if (t.slot !== undefined) out.add(t.slot)
      return
    case 'Array':
      t.items.forEach((x) => patternVars(x, out))
      return
    case 'Object':
      for (const [, v] of t.entries) patternVars(v, out)
      return
    default:
      return
  }
}

/** Variables bound by ref enumeration (`x[i]`, `data.p[k]`) where the ref's head is safe. */
function outputVarsForTerms(t: Term, safe: ReadonlySet<number>): Slots {
  const out = new Set<number>()
  const visit = (x: Term): void => {
    switch (x.kind) {
      case 'ArrayCompr':
      case 'SetCompr':
      case 'ObjectCompr':
      case 'TemplateString':
      case 'Scalar':
      case 'Var':
        return
      case 'Ref': {
        if (!isRefSafe(x, safe)) {
          visit(x.head)
          return
        }
        visit(x.head)
        for (const p of x.path) termVars(p, out, true)
        return
      }
      case 'Array':
      case 'Set':
        x.items.forEach(visit)
        return
      case 'Object':
        for (const [k, v] of x.entries) {
          visit(k)
          visit(v)
        }
        return
      case 'Call':
        x.args.forEach(visit)
        return
    }
  }
  visit(t)
  return out
}

function isRefSafe(r: Term & { kind: 'Ref' }, safe: ReadonlySet<number>): boolean {
  const h = r.head
  if (h.kind === 'Var') return h.slot === undefined || safe.has(h.slot)
  const vs = new Set<number>()
  termVars(h, vs, true)
  for (const v of vs) if (!safe.has(v)) return false
  return true
}

function allSafe(t: Term, safe: ReadonlySet<number>): boolean {
  const vs = new Set<number>()
  termVars(t, vs, true)
  for (const v of vs) if (!safe.has(v)) return false
  return true
}

/** OPA's `Unify`: which variables become bound by `a = b` given `safe`. */
function unify(safe: ReadonlySet<number>, a: Term, b: Term): Slots {
  const s = new Set(safe)
  const unknown = new Map<number, Set<number>>()
  const markSafe = (v: number): void => {
    if (s.has(v)) return
    s.add(v)
    const deps = unknown.get(v)
    if (deps) {
      unknown.delete(v)
      for (const d of deps) markSafe(d)
    }
  }
  const markAllSafe = (t: Term): void => {
    const vs = new Set<number>()
    patternVars(t, vs)
    for (const v of vs) markSafe(v)
  }
  const markUnknown = (a: number, b: number): void => {
    let set = unknown.get(a)
    if (!set) unknown.set(a, (set = new Set()))
    set.add(b)
  }
  const unifyAll = (v: number, composite: Term): void => {
    if (s.has(v)) {
      markAllSafe(composite)
      return
    }
    const vs = new Set<number>()
    patternVars(composite, vs)
    if (allSafe(composite, s)) markSafe(v)
    else for (const x of vs) markUnknown(x, v)
  }
  const go = (a: Term, b: Term): void => {
    switch (a.kind) {
      case 'Var': {
        if (a.slot === undefined) {
          // `input` / `data`: a ground document.
          if (b.kind === 'Var' && b.slot !== undefined) markSafe(b.slot)
          else if (b.kind === 'Array' || b.kind === 'Object') markAllSafe(b)
          return
        }
        switch (b.kind) {
          case 'Var':
            if (b.slot === undefined || s.has(b.slot)) markSafe(a.slot)
            else if (s.has(a.slot)) markSafe(b.slot)
            else {
              markUnknown(a.slot, b.slot)
              markUnknown(b.slot, a.slot)
            }
            return
          case 'Array':
          case 'Object':
            unifyAll(a.slot, b)
            return
          case 'Ref':
            if (isRefSafe(b, s)) markSafe(a.slot)
            return
          case 'Call':
          case 'Set':
            if (allSafe(b, s)) markSafe(a.slot)
            return
          default:
            markSafe(a.slot)
            return
        }
      }
      case 'Ref':
        if (isRefSafe(a, s)) {
          if (b.kind === 'Var' && b.slot !== undefined) markSafe(b.slot)
          else if (b.kind === 'Array' || b.kind === 'Object') markAllSafe(b)
        }
        return
      case 'Call':
      case 'Set':
        if (allSafe(a, s)) {
          if (b.kind === 'Var' && b.slot !== undefined) markSafe(b.slot)
          else if (b.kind === 'Array' || b.kind === 'Object') markAllSafe(b)
        }
        return
      case 'ArrayCompr':
      case 'SetCompr':
      case 'ObjectCompr':
      case 'TemplateString':
        if (b.kind === 'Var' && b.slot !== undefined) markSafe(b.slot)
        else if (b.kind === 'Array') markAllSafe(b)
        return
      case 'Array':
        switch (b.kind) {
          case 'Var':
            if (b.slot !== undefined) unifyAll(b.slot, a)
            return
          case 'ArrayCompr':
          case 'SetCompr':
          case 'ObjectCompr':
            markAllSafe(a)
            return
          case 'Ref':
            if (isRefSafe(b, s)) markAllSafe(a)
            return
          case 'Call':
            if (allSafe(b, s)) markAllSafe(a)
            return
          case 'Array':
            if (a.items.length === b.items.length) a.items.forEach((x, i) => go(x, b.items[i]!))
            return
          default:
            return
        }
      case 'Object':
        switch (b.kind) {
          case 'Var':
            if (b.slot !== undefined) unifyAll(b.slot, a)
            return
          case 'Ref':
            if (isRefSafe(b, s)) markAllSafe(a)
            return
          case 'Call':
            if (allSafe(b, s)) markAllSafe(a)
            return
          case 'Object':
            if (a.entries.length === b.entries.length) {
              for (const [k, v] of a.entries) {
                const other = b.entries.find(([k2]) => sameKey(k, k2))
                if (other) go(v, other[1])
              }
            }
            return
          default:
            return
        }
      default:
        if (b.kind === 'Var' && b.slot !== undefined) markSafe(b.slot)
        return
    }
  }
  go(a, b)
  return s
}

function sameKey(a: Term, b: Term): boolean {
  if (a.kind === 'Scalar' && b.kind === 'Scalar') return a.value === b.value
  return a.kind === 'Var' && b.kind === 'Var' && a.slot !== undefined && a.slot === b.slot
}
