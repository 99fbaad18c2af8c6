import { RegoError } from '../ast/errors.js'
import type { Location } from '../ast/location.js'
import type { Body, Call, Every, Expr, Ref, Term, TemplateString } from '../ast/nodes.js'
import { BuiltinError, OperandError, type Builtin, type BuiltinContext, type BuiltinRegistry } from '../builtins/builtin.js'
import type { CompiledPolicy } from '../compiler/compiler.js'
import type { CompiledQuery, CompiledRule, RuleNode } from '../compiler/compiled.js'
import { termString } from '../builtins/sprintf.js'
import { toJSONText } from '../value/json.js'
import { RObject, RSet, equal, hashKey, type Value } from '../value/value.js'
import { EvalContext, overrideData, patchValue, type DataOverride, type FunctionOverride } from './context.js'
import { container, insertPath, insertSetElement, mergeInto, partialSet } from './documents.js'
import { constant, lookup, storageLookup } from './lookup.js'
import { metadataChain, ruleMetadata } from './metadata.js'
import { ruleIndex } from './rule-index.js'

type Frame = (Value | undefined)[]
/** A continuation: returns true to stop the search (enough solutions found). */
type K = () => boolean
type KV = (v: Value) => boolean

const NONE = null
/** Marks a term that needs full evaluation (see Evaluator.#simple). */
const COMPLEX: unique symbol = Symbol('complex')

export interface EvaluatorOptions {
  readonly policy: CompiledPolicy
  readonly registry: BuiltinRegistry
  readonly data: Value
  readonly input: Value | undefined
  readonly builtins: Omit<BuiltinContext, 'location'>
}

/**
 * Top-down evaluation with backtracking, in continuation-passing style: every `eval*` method
 * calls its continuation once per solution and returns true when the continuation asked to stop.
 * Variables live in per-rule frames; bindings are recorded on a trail and undone on backtrack.
 */
export class Evaluator {
  readonly #policy: CompiledPolicy
  readonly #registry: BuiltinRegistry
  readonly #data: Value
  #ctx: EvalContext
  readonly #trailFrames: Frame[] = []
  readonly #trailSlots: number[] = []
  readonly #bctx: Omit<BuiltinContext, 'location'>
  #callCtx: { -readonly [K in keyof BuiltinContext]: BuiltinContext[K] } | undefined
  readonly #inProgress = new Set<RuleNode>()
  /** Rules being evaluated, innermost last (for rego.metadata.*). */
  readonly #rules: CompiledRule[] = []

  constructor(opts: EvaluatorOptions) {
    this.#policy = opts.policy
    this.#registry = opts.registry
    this.#data = opts.data
    this.#bctx = opts.builtins
    this.#ctx = new EvalContext(opts.input, undefined, undefined)
  }

  /** Evaluates a compiled query; one row per solution (variable name → value). */
  query(q: CompiledQuery): Map<string, Value>[] {
    const rows: Map<string, Value>[] = []
    const frame: Frame = new Array(q.slots)
    this.#evalBody(q.body, 0, frame, () => {
      const row = new Map<string, Value>()
      for (const v of q.vars) {
        const x = frame[v.slot]
        if (x !== undefined) row.set(v.name, x)
      }
      rows.push(row)
      return false
    })
    return rows
  }

  /** The value of the document at `path` below data, or undefined. */
  document(path: readonly Value[]): Value | undefined {
    let result: Value | undefined
    const terms: Term[] = path.map((p) => ({ kind: 'Scalar', value: p as string, location: LOC }))
    this.#evalData(this.#policy.root, this.#data, this.#ctx.data, terms, 0, [], (v) => {
      result = v
      return true
    })
    return result
  }

  // ---- bindings -------------------------------------------------------------------------------

  #bind(frame: Frame, slot: number, v: Value): void {
    frame[slot] = v
    this.#trailFrames.push(frame)
    this.#trailSlots.push(slot)
  }

  #undo(mark: number): void {
    const fs = this.#trailFrames
    const ss = this.#trailSlots
    while (fs.length > mark) {
      fs.pop()![ss.pop()!] = undefined
    }
  }

  // ---- bodies and expressions -----------------------------------------------------------------

  #evalBody(body: Body, i: number, frame: Frame, k: K): boolean {
    if (i === body.length) return k()
    return this.#evalExpr(body[i]!, frame, () => this.#evalBody(body, i + 1, frame, k))
  }

  #evalExpr(e: Expr, frame: Frame, k: K): boolean {
    if (e.with.length > 0) return this.#evalWith(e, frame, k)
    if (e.negated) {
      const mark = this.#trailFrames.length
      const found = this.#evalExprInner(e, frame, () => true)
      this.#undo(mark)
      return found ? false : k()
    }
    return this.#evalExprInner(e, frame, k)
  }

  #evalExprInner(e: Expr, frame: Frame, k: K): boolean {
    const b = e.body
    switch (b.kind) {
      case 'Every':
        return this.#evalEvery(b, frame, k)
      case 'SomeDecl':
        return k()
      case 'Call':
        return this.#evalCallExpr(b, frame, k)
      default:
        return this.#evalTerm(b, frame, (v) => (v === false ? false : k()))
    }
  }

  #evalEvery(ev: Every, frame: Frame, k: K): boolean {
    return this.#evalTerm(ev.domain, frame, (dom) => {
      // Only collections can be iterated: `every x in 42 {…}` is undefined.
      if (!Array.isArray(dom) && !(dom instanceof RObject) && !(dom instanceof RSet)) return false
      let ok = true
      this.#iterate(dom, (key, val) => {
        const mark = this.#trailFrames.length
        const inner = (): boolean => this.#unifyValue(ev.value, val, frame, () => this.#evalBody(ev.body, 0, frame, () => true))
        const found = ev.key ? this.#unifyValue(ev.key, key, frame, inner) : inner()
        this.#undo(mark)
        if (!found) ok = false
        return !ok
      })
      return ok ? k() : false
    })
  }

  #evalWith(e: Expr, frame: Frame, k: K): boolean {
    // Evaluate the replacement values first, in the current context.
    const targets: { target: Term; value: Value | FunctionOverride }[] = []
    const collect = (i: number): boolean => {
      if (i === e.with.length) return this.#applyWith(e, targets, frame, k)
      const w = e.with[i]!
      const fo = this.#functionTarget(w.target)
      if (fo !== undefined) {
        const repl = this.#functionReplacement(w.value)
        if (repl) {
          targets.push({ target: w.target, value: repl })
          const stop = collect(i + 1)
          targets.pop()
          return stop
        }
      }
      return this.#evalTerm(w.value, frame, (v) => {
        targets.push({ target: w.target, value: fo !== undefined ? { kind: 'value', value: v } : v })
        const stop = collect(i + 1)
        targets.pop()
        return stop
      })
    }
    return collect(0)
  }

  /** The function a `with` target names (a built-in or a user function), or undefined for documents. */
  #functionTarget(t: Term): string | undefined {
    if (t.kind === 'Var') {
      if (t.name === 'input' || t.name === 'data') return undefined
      return this.#registry.has(t.name) ? t.name : undefined
    }
    if (t.kind !== 'Ref' || t.head.kind !== 'Var') return undefined
    const parts = [t.head.name]
    for (const p of t.path) {
      if (p.kind !== 'Scalar' || typeof p.value !== 'string') return undefined
      parts.push(p.value)
    }
    if (parts[0] === 'data') {
      const key = parts.slice(1).join('.')
      return this.#policy.functions.has(key) ? 'data.' + key : undefined
    }
    if (parts[0] === 'input') return undefined
    const name = parts.join('.')
    return this.#registry.has(name) ? name : undefined
  }

  #functionReplacement(t: Term): FunctionOverride | undefined {
    const name = this.#functionTarget(t)
    if (name === undefined) return undefined
    if (name.startsWith('data.')) return { kind: 'func', path: name.slice(5).split('.') }
    return { kind: 'builtin', name }
  }

  #applyWith(e: Expr, targets: readonly { target: Term; value: Value | FunctionOverride }[], frame: Frame, k: K): boolean {
    const outer = this.#ctx
    let input = outer.input
    let data = outer.data
    let functions = outer.functions
    for (const { target, value } of targets) {
      const fname = this.#functionTarget(target)
      if (fname !== undefined) {
        const m = new Map(functions ?? [])
        m.set(fname, value as FunctionOverride)
        functions = m
        continue
      }
      const head = target.kind === 'Ref' ? target.head : target
      const path = target.kind === 'Ref' ? target.path.map((p) => (p as { value: Value }).value) : []
      if (head.kind === 'Var' && head.name === 'input') {
        input = path.length === 0 ? (value as Value) : patchValue(input, path, value as Value)
      } else {
        data = overrideData(data, path, value as Value)
      }
    }
    const inner = new EvalContext(input, data, functions)
    this.#ctx = inner
    try {
      return this.#evalExprNoWith(e, frame, () => {
        this.#ctx = outer
        try {
          return k()
        } finally {
          this.#ctx = inner
        }
      })
    } finally {
      this.#ctx = outer
    }
  }

  #evalExprNoWith(e: Expr, frame: Frame, k: K): boolean {
    if (e.negated) {
      const mark = this.#trailFrames.length
      const found = this.#evalExprInner(e, frame, () => true)
      this.#undo(mark)
      return found ? false : k()
    }
    return this.#evalExprInner(e, frame, k)
  }

  // ---- calls ----------------------------------------------------------------------------------

  #evalCallExpr(c: Call, frame: Frame, k: K): boolean {
    const t = c.target
    if (t && t.kind === 'builtin' && (t.name === 'eq' || t.name === 'assign')) {
      return this.#unify(c.args[0]!, c.args[1]!, frame, k)
    }
    if (t && t.kind === 'builtin' && t.name === 'print') return this.#print(c, frame, () => k())
    if (t && t.kind === 'builtin' && c.args.length === t.arity) {
      // Fast path: every argument is a plain value now (the common `input.x == "y"`).
      const vals = this.#simpleArgs(c.args, frame)
      if (vals !== COMPLEX) return vals === undefined ? false : this.#invoke(c, vals, frame, (r) => (r === false ? false : k()))
    }
    if (t && t.arity >= 0 && c.args.length === t.arity + 1) {
      const out = c.args[t.arity]!
      return this.#evalArgs(c.args, t.arity, frame, (vals) => this.#invoke(c, vals, frame, (r) => this.#unifyValue(out, r, frame, k)))
    }
    return this.#evalArgs(c.args, c.args.length, frame, (vals) => this.#invoke(c, vals, frame, (r) => (r === false ? false : k())))
  }

  #evalCall(c: Call, frame: Frame, k: KV): boolean {
    if (c.target?.kind === 'builtin' && c.target.name === 'print') return this.#print(c, frame, () => k(true))
    return this.#evalArgs(c.args, c.args.length, frame, (vals) => this.#invoke(c, vals, frame, k))
  }

  /** Evaluates the first `n` arguments (each may have several values) and calls `k` per combination. */
  #evalArgs(args: readonly Term[], n: number, frame: Frame, k: (vals: Value[]) => boolean): boolean {
    const vals: Value[] = new Array(n)
    // A bare variable may be bound by enumerating another argument (`x == xs[x]`): evaluate
    // unbound variables after the rest.
    let order: number[] | undefined
    for (let i = 0; i < n; i++) {
      const a = args[i]!
      if (a.kind === 'Var' && a.slot !== undefined && frame[a.slot] === undefined) {
        order ??= Array.from({ length: n }, (_, j) => j)
        order.splice(order.indexOf(i), 1)
        order.push(i)
      }
    }
    const step = (j: number): boolean => {
      if (j === n) return k(vals)
      const i = order ? order[j]! : j
      return this.#evalTerm(args[i]!, frame, (v) => {
        vals[i] = v
        return step(j + 1)
      })
    }
    return step(0)
  }

  #invoke(c: Call, vals: readonly Value[], frame: Frame, k: KV): boolean {
    const t = c.target
    if (!t) throw new RegoError('eval_internal_error', 'unresolved call', c.location)
    const key = t.kind === 'func' ? 'data.' + t.path.join('.') : t.name
    const override = this.#ctx.functions?.get(key)
    if (override) return this.#invokeOverride(override, c, vals, k)
    if (t.kind === 'func') return this.#callFunction(t.path, vals, k)
    return this.#callBuiltin(t.name, c, vals, k)
  }

  #invokeOverride(o: FunctionOverride, c: Call, vals: readonly Value[], k: KV): boolean {
    if (o.kind === 'value') return k(o.value)
    // The replacement sees the original functions: `with f as g` where g calls f is no
    // recursion, and a mock never calls another mock.
    const outer = this.#ctx
    const inner = new EvalContext(outer.input, outer.data, undefined)
    this.#ctx = inner
    try {
      return o.kind === 'func'
        ? this.#callFunction(o.path, vals, (v) => this.#withContext(outer, () => k(v), inner))
        : this.#callBuiltin(o.name, c, vals, (v) => this.#withContext(outer, () => k(v), inner))
    } finally {
      this.#ctx = outer
    }
  }

  /** Runs `f` in context `ctx`, then restores `back`. */
  #withContext(ctx: EvalContext, f: () => boolean, back: EvalContext): boolean {
    this.#ctx = ctx
    try {
      return f()
    } finally {
      this.#ctx = back
    }
  }

  #callBuiltin(name: string, c: Call, vals: readonly Value[], k: KV): boolean {
    const b = this.#registry.get(name)
    if (!b) throw new RegoError('eval_internal_error', `unknown built-in ${name}`, c.location)
    const ctx = this.#builtinContext(c.location)
    if (b.iterate) {
      let results: Value[]
      try {
        results = [...b.iterate(vals, ctx)]
      } catch (err) {
        return this.#builtinFailed(b, err, c.location)
      }
      for (const r of results) if (k(r)) return true
      return false
    }
    let r: Value | undefined
    try {
      r = b.impl(vals, ctx)
    } catch (err) {
      return this.#builtinFailed(b, err, c.location)
    }
    if (r === undefined) return false
    // Recorded so a decision can be stored with what time, randomness and the network returned.
    if (b.nondeterministic) ctx.ndCache.set(`${b.name}(${toJSONText(Object.freeze([...vals]))})`, r)
    return k(r)
  }

  /** One context per evaluation; only the caller's location changes between calls. */
  #builtinContext(loc: Location | undefined): BuiltinContext {
    let ctx = this.#callCtx
    if (ctx === undefined) {
      // Built once per evaluation, property by property: an object spread here showed up in
      // service profiles.
      const b = this.#bctx
      ctx = this.#callCtx = {
        strict: b.strict,
        timeNs: b.timeNs,
        random: b.random,
        env: b.env,
        location: undefined,
        ndCache: b.ndCache,
        evalCache: b.evalCache,
        allowNet: b.allowNet,
        print: b.print,
        metadata: {
          rule: () => ruleMetadata(this.#rules[this.#rules.length - 1]),
          chain: () => metadataChain(this.#rules[this.#rules.length - 1], this.#policy.rules, this.#policy.modules),
        },
      }
    }
    ctx.location = loc
    return ctx
  }

  #builtinFailed(b: Builtin, err: unknown, loc: Location): boolean {
    if (err instanceof RegoError) throw err
    if (!this.#bctx.strict) return false
    const msg = err instanceof Error ? err.message : String(err)
    const code = err instanceof OperandError ? 'eval_type_error' : err instanceof BuiltinError ? 'eval_builtin_error' : 'eval_builtin_error'
    throw new RegoError(code, `${b.name}: ${msg}`, loc)
  }

  /** `print(args…)`: each argument is collected like a set comprehension; undefined prints as <undefined>. */
  #print(c: Call, frame: Frame, k: K): boolean {
    const parts: string[] = []
    for (const a of c.args) {
      const vals = new RSet()
      const mark = this.#trailFrames.length
      this.#evalTerm(a, frame, (v) => {
        vals.add(v)
        return false
      })
      this.#undo(mark)
      const text = vals.size === 0 ? '<undefined>' : vals.sortedValues().map((v) => (typeof v === 'string' ? v : termString(v))).join(', ')
      parts.push(vals.size > 1 ? `{${text}}` : text)
    }
    this.#bctx.print(parts.join(' '))
    return k()
  }

  #callFunction(path: readonly string[], vals: readonly Value[], k: KV): boolean {
    const node = this.#node(path)
    if (!node) return false
    // Calls with scalar arguments are cached per context; composite arguments would cost more to
    // key than most function bodies cost to evaluate.
    const cacheKey = vals.every((v) => v === null || typeof v !== 'object') ? path.join('.') + '(' + vals.map(hashKey).join(',') + ')' : undefined
    const cached = cacheKey === undefined ? undefined : this.#ctx.funcCache.get(cacheKey)
    if (cached !== undefined) return cached === NONE ? false : k(cached)
    let result: Value | undefined
    let defaultRule: CompiledRule | undefined
    for (const r of node.rules) {
      if (r.default) {
        defaultRule = r
        continue
      }
      for (let x: CompiledRule | undefined = r; x; x = x.else) {
        let found = false
        const frame: Frame = new Array(x.slots)
        const rule = x
        this.#rules.push(rule)
        try {
          this.#unifyValues(rule.args, vals, 0, frame, () =>
            this.#evalBody(rule.body, 0, frame, () =>
              this.#evalTerm(rule.value, frame, (v) => {
                if (result !== undefined && !equal(result, v)) {
                  throw new RegoError('eval_conflict_error', 'functions must not produce multiple outputs for same inputs', rule.rule.location)
                }
                result = v
                found = true
                return rule.constantValue
              }),
            ),
          )
        } finally {
          this.#rules.pop()
        }
        if (found) break
      }
    }
    if (result === undefined && defaultRule) {
      const frame: Frame = new Array(defaultRule.slots)
      this.#evalTerm(defaultRule.value, frame, (v) => {
        result = v
        return true
      })
    }
    if (cacheKey !== undefined) this.#ctx.funcCache.set(cacheKey, result === undefined ? NONE : result)
    return result === undefined ? false : k(result)
  }

  #unifyValues(pats: readonly Term[], vals: readonly Value[], i: number, frame: Frame, k: K): boolean {
    if (i === pats.length) return k()
    return this.#unifyValue(pats[i]!, vals[i]!, frame, () => this.#unifyValues(pats, vals, i + 1, frame, k))
  }

  #node(path: readonly Value[]): RuleNode | undefined {
    let n: RuleNode | undefined = this.#policy.root
    for (const p of path) {
      n = n.children.get(hashKey(p))
      if (!n) return undefined
    }
    return n
  }

  // ---- terms ----------------------------------------------------------------------------------

  #evalTerm(t: Term, frame: Frame, k: KV): boolean {
    switch (t.kind) {
      case 'Scalar':
        return k(t.value)
      case 'Var': {
        if (t.slot === undefined) {
          if (t.name === 'input') return this.#ctx.input === undefined ? false : k(this.#ctx.input)
          if (t.name === 'data') {
            return this.#evalData(this.#policy.root, this.#data, this.#ctx.data, [], 0, frame, k)
          }
          throw new RegoError('eval_internal_error', `unresolved variable ${t.name}`, t.location)
        }
        const v = frame[t.slot]
        if (v === undefined) throw new RegoError('rego_unsafe_var_error', `var ${t.name} is unsafe`, t.location)
        return k(v)
      }
      case 'Ref': {
        const v = this.#simple(t, frame)
        if (v !== COMPLEX) return v === undefined ? false : k(v)
        return this.#evalRef(t, frame, k)
      }
      case 'Array': {
        const c = constant(t)
        if (c !== undefined) return k(c)
        return this.#evalArgs(t.items, t.items.length, frame, (vals) => k(Object.freeze(vals.slice())))
      }
      case 'Set': {
        const c = constant(t)
        if (c !== undefined) return k(c)
        return this.#evalArgs(t.items, t.items.length, frame, (vals) => k(RSet.from(vals)))
      }
      case 'Object': {
        const c = constant(t)
        if (c !== undefined) return k(c)
        const n = t.entries.length
        const ks: Value[] = new Array(n)
        const vs: Value[] = new Array(n)
        const step = (i: number): boolean => {
          if (i === n) {
            // A key written twice keeps the last value, as OPA's object insert does.
            const o = new RObject()
            for (let j = 0; j < n; j++) o.set(ks[j]!, vs[j]!)
            return k(o)
          }
          const [kt, vt] = t.entries[i]!
          return this.#evalTerm(kt, frame, (kv) => {
            ks[i] = kv
            return this.#evalTerm(vt, frame, (vv) => {
              vs[i] = vv
              return step(i + 1)
            })
          })
        }
        return step(0)
      }
      case 'ArrayCompr': {
        const out: Value[] = []
        this.#evalBody(t.body, 0, frame, () =>
          this.#evalTerm(t.term, frame, (v) => {
            out.push(v)
            return false
          }),
        )
        return k(Object.freeze(out))
      }
      case 'SetCompr': {
        const out = new RSet()
        this.#evalBody(t.body, 0, frame, () =>
          this.#evalTerm(t.term, frame, (v) => {
            out.add(v)
            return false
          }),
        )
        return k(out)
      }
      case 'ObjectCompr': {
        const out = new RObject()
        this.#evalBody(t.body, 0, frame, () =>
          this.#evalTerm(t.key, frame, (kv) =>
            this.#evalTerm(t.value, frame, (vv) => {
              const prev = out.get(kv)
              if (prev !== undefined && !equal(prev, vv)) {
                throw new RegoError('eval_conflict_error', 'object keys must be unique', t.location)
              }
              out.set(kv, vv)
              return false
            }),
          ),
        )
        return k(out)
      }
      case 'Call':
        return this.#evalCall(t, frame, k)
      case 'TemplateString':
        return this.#evalTemplate(t, frame, k)
    }
  }

  #evalTemplate(t: TemplateString, frame: Frame, k: KV): boolean {
    let s = ''
    for (const p of t.parts) {
      if (typeof p === 'string') {
        s += p
        continue
      }
      // Each part is a set comprehension of its values (see the parser).
      let vals: Value = new RSet()
      this.#evalTerm(p, frame, (v) => {
        vals = v
        return true
      })
      const set = vals as RSet
      if (set.size === 0) s += '<undefined>'
      else if (set.size > 1) throw new RegoError('eval_conflict_error', 'template-strings must not produce multiple outputs', p.location)
      else {
        const v = set.sortedValues()[0]!
        s += typeof v === 'string' ? v : termString(v)
      }
    }
    return k(s)
  }

  /**
   * The value of a term that needs no enumeration (a scalar, a bound variable, a ground ref into
   * input or a local value, a constant literal), undefined if such a ref has no value, or COMPLEX.
   */
  #simple(t: Term, frame: Frame): Value | undefined | typeof COMPLEX {
    switch (t.kind) {
      case 'Scalar':
        return t.value
      case 'Var': {
        if (t.slot !== undefined) {
          const v = frame[t.slot]
          return v === undefined ? COMPLEX : v
        }
        return t.name === 'input' ? this.#ctx.input : COMPLEX
      }
      case 'Ref': {
        const h = t.head
        if (h.kind !== 'Var') return COMPLEX
        let v: Value | undefined
        if (h.slot !== undefined) {
          v = frame[h.slot]
          if (v === undefined) return COMPLEX
        } else if (h.name === 'input') v = this.#ctx.input
        else return COMPLEX
        for (const p of t.path) {
          if (v === undefined) return undefined
          let key: Value
          if (p.kind === 'Scalar') key = p.value
          else if (p.kind === 'Var' && p.slot !== undefined && frame[p.slot] !== undefined) key = frame[p.slot]!
          else return COMPLEX
          v = lookup(v, key)
        }
        return v
      }
      case 'Array':
      case 'Object':
      case 'Set':
        return constant(t) ?? COMPLEX
      default:
        return COMPLEX
    }
  }

  #simpleArgs(args: readonly Term[], frame: Frame): Value[] | undefined | typeof COMPLEX {
    const vals: Value[] = new Array(args.length)
    let missing = false
    for (let i = 0; i < args.length; i++) {
      const v = this.#simple(args[i]!, frame)
      if (v === COMPLEX) return COMPLEX
      if (v === undefined) missing = true
      else vals[i] = v
    }
    return missing ? undefined : vals
  }

  // ---- references -----------------------------------------------------------------------------

  #evalRef(r: Ref, frame: Frame, k: KV): boolean {
    const h = r.head
    if (h.kind === 'Var') {
      if (h.slot === undefined) {
        if (h.name === 'input') {
          const inp = this.#ctx.input
          return inp === undefined ? false : this.#walk(inp, r.path, 0, frame, k)
        }
        if (h.name === 'data') return this.#evalData(this.#policy.root, this.#data, this.#ctx.data, r.path, 0, frame, k)
      }
      const v = h.slot === undefined ? undefined : frame[h.slot]
      if (v === undefined) throw new RegoError('rego_unsafe_var_error', `var ${h.name} is unsafe`, h.location)
      return this.#walk(v, r.path, 0, frame, k)
    }
    return this.#evalTerm(h, frame, (v) => this.#walk(v, r.path, 0, frame, k))
  }

  /** Follows `path[i:]` into a value, enumerating unbound variables. */
  #walk(v: Value, path: readonly Term[], i: number, frame: Frame, k: KV, storage = false): boolean {
    if (i === path.length) return k(v)
    const p = path[i]!
    if (p.kind === 'Scalar') {
      const c = storage ? storageLookup(v, p.value) : lookup(v, p.value)
      return c === undefined ? false : this.#walk(c, path, i + 1, frame, k, storage)
    }
    if (p.kind === 'Var' && p.slot !== undefined) {
      const bound = frame[p.slot]
      if (bound !== undefined) {
        const c = storage ? storageLookup(v, bound) : lookup(v, bound)
        return c === undefined ? false : this.#walk(c, path, i + 1, frame, k, storage)
      }
      const slot = p.slot
      return this.#iterate(v, (key, child) => {
        this.#bind(frame, slot, key)
        const stop = this.#walk(child, path, i + 1, frame, k)
        this.#undo(this.#trailFrames.length - 1)
        return stop
      })
    }
    if (this.#isGround(p, frame)) {
      return this.#evalTerm(p, frame, (key) => {
        const c = lookup(v, key)
        return c === undefined ? false : this.#walk(c, path, i + 1, frame, k)
      })
    }
    return this.#iterate(v, (key, child) => this.#unifyValue(p, key, frame, () => this.#walk(child, path, i + 1, frame, k)))
  }

  /** Calls `f` for each (key, value) of a collection, in OPA's order; stops when `f` returns true. */
  #iterate(v: Value, f: (key: Value, val: Value) => boolean): boolean {
    if (Array.isArray(v)) {
      for (let j = 0; j < v.length; j++) if (f(j, v[j]!)) return true
      return false
    }
    if (v instanceof RObject) {
      for (const key of v.sortedKeys()) if (f(key, v.get(key)!)) return true
      return false
    }
    if (v instanceof RSet) {
      for (const e of v.sortedValues()) if (f(e, e)) return true
      return false
    }
    return false
  }

  /** A term whose value is fully determined now (no unbound variables). */
  #isGround(t: Term, frame: Frame): boolean {
    switch (t.kind) {
      case 'Scalar':
        return true
      case 'Var':
        return t.slot === undefined || frame[t.slot] !== undefined
      case 'Array':
      case 'Set':
        return t.items.every((x) => this.#isGround(x, frame))
      case 'Object':
        return t.entries.every(([a, b]) => this.#isGround(a, frame) && this.#isGround(b, frame))
      case 'Ref':
        return this.#isGround(t.head, frame) && t.path.every((x) => this.#isGround(x, frame))
      case 'Call':
        return t.args.every((x) => this.#isGround(x, frame))
      default:
        return true
    }
  }

  // ---- the data tree: base documents merged with rules ------------------------------------------

  #evalData(
    node: RuleNode | undefined,
    base: Value | undefined,
    ov: DataOverride | undefined,
    path: readonly Term[],
    i: number,
    frame: Frame,
    k: KV,
  ): boolean {
    if (ov?.value !== undefined) return this.#walk(ov.value, path, i, frame, k)
    if (node && node.rules.length > 0) {
      // A base document at the same path as rules takes precedence, as in OPA.
      const v = base !== undefined ? base : this.#virtual(node, base, ov)
      return v === undefined ? false : this.#walk(v, path, i, frame, k)
    }
    if (i === path.length) {
      const v = this.#fullValue(node, base, ov)
      return v === undefined ? false : k(v)
    }
    const p = path[i]!
    const step = (key: Value): boolean => {
      const h = hashKey(key)
      const child = node?.children.get(h)
      let cb = base === undefined ? undefined : lookup(base, key)
      // Storage paths are strings: data[2] reads the key "2".
      if (cb === undefined && base instanceof RObject && (typeof key === 'number' || typeof key === 'bigint')) cb = base.get(String(key))
      const co = ov?.children.get(h)
      if (!child && cb === undefined && !co) return false
      if (!child && !co) return this.#walk(cb!, path, i + 1, frame, k, true)
      return this.#evalData(child, cb, co, path, i + 1, frame, k)
    }
    if (p.kind === 'Scalar') return step(p.value)
    if (this.#isGround(p, frame)) return this.#evalTerm(p, frame, step)
    // Enumerate every key that exists here: rule children, base data and overrides.
    const keys = new Map<string, Value>()
    if (node) for (const [h, c] of node.children) keys.set(h, c.key)
    if (base instanceof RObject) for (const kk of base.sortedKeys()) keys.set(hashKey(kk), kk)
    if (ov) for (const [h] of ov.children) if (!keys.has(h)) keys.set(h, h)
    const sorted = [...keys.values()].sort(compareKeys)
    for (const key of sorted) {
      const stop = this.#unifyValue(p, key, frame, () => step(key))
      if (stop) return true
    }
    return false
  }

  /** The whole document at a node: base data merged with every rule below it. */
  #fullValue(node: RuleNode | undefined, base: Value | undefined, ov: DataOverride | undefined): Value | undefined {
    if (ov?.value !== undefined) return ov.value
    if (node && node.rules.length > 0) return base !== undefined ? base : this.#virtual(node, base, ov)
    if (!node && !ov) return base
    const out = container()
    if (base instanceof RObject) for (const [kk, vv] of base.unorderedEntries()) out.set(kk, vv)
    else if (base !== undefined && (!node || node.children.size === 0)) return base
    const keys = new Map<string, Value>()
    if (node) for (const [h, c] of node.children) keys.set(h, c.key)
    if (ov) for (const [h] of ov.children) if (!keys.has(h)) keys.set(h, h)
    for (const [h, key] of keys) {
      const cb = base === undefined ? undefined : lookup(base, key)
      const v = this.#fullValue(node?.children.get(h), cb, ov?.children.get(h))
      if (v !== undefined) out.set(key, v)
    }
    return out
  }

  /** The value rules define at a node (cached per context). */
  #virtual(node: RuleNode, base: Value | undefined, ov: DataOverride | undefined): Value | undefined {
    const cache = this.#ctx.cache
    const hit = cache.get(node)
    if (hit !== undefined) return hit === NONE ? undefined : hit
    if (this.#inProgress.has(node)) {
      throw new RegoError('rego_recursion_error', `rule data.${node.path.join('.')} is recursive`, node.rules[0]!.rule.location)
    }
    this.#inProgress.add(node)
    let v: Value | undefined
    try {
      v = this.#computeVirtual(node, base, ov)
    } finally {
      this.#inProgress.delete(node)
    }
    cache.set(node, v === undefined ? NONE : v)
    return v
  }

  /** The rules of a node that can match the current input (see rule-index.ts). */
  #candidates(node: RuleNode): readonly CompiledRule[] {
    const idx = ruleIndex(node)
    if (!idx) return node.rules
    let v: Value | undefined = this.#ctx.input
    for (const p of idx.path) {
      if (v === undefined) break
      v = lookup(v, p)
    }
    const hits = v === undefined ? undefined : idx.byValue.get(hashKey(v))
    if (!hits) return idx.always
    if (idx.always.length === 0) return hits
    return [...hits, ...idx.always].sort((a, b) => idx.order.get(a)! - idx.order.get(b)!)
  }

  #computeVirtual(node: RuleNode, base: Value | undefined, ov: DataOverride | undefined): Value | undefined {
    const kind = node.rules[0]!.kind
    switch (kind) {
      case 'function': {
        // A function without parameters (`f() := 1`) is also a document.
        if (node.rules.some((r) => r.args.length > 0)) return undefined
        let v: Value | undefined
        this.#callFunction(node.path.map(String), [], (x) => {
          v = x
          return true
        })
        return v
      }
      case 'complete':
        return this.#evalComplete(this.#candidates(node))
      case 'set': {
        const out = partialSet()
        for (const r of this.#candidates(node)) {
          const frame: Frame = new Array(r.slots)
          this.#rules.push(r)
          try {
            this.#evalBody(r.body, 0, frame, () =>
              this.#evalTerm(r.key!, frame, (v) => {
                out.add(v)
                return false
              }),
            )
          } finally {
            this.#rules.pop()
          }
        }
        return out
      }
      case 'object': {
        const out = container()
        for (const r of this.#candidates(node)) this.#evalObjectRule(r, out)
        // Ground children (`a.b.c := 1` beside `a.b[x] := …`) merge into the same object.
        for (const [h, c] of node.children) {
          const v = this.#fullValue(c, base === undefined ? undefined : lookup(base, c.key), ov?.children.get(h))
          if (v === undefined) continue
          mergeInto(out, c.key, v, node.rules[0]!.rule.location)
        }
        return out
      }
    }
  }

  #evalComplete(rules: readonly CompiledRule[]): Value | undefined {
    let result: Value | undefined
    let def: CompiledRule | undefined
    for (const r of rules) {
      if (r.default) {
        def = r
        continue
      }
      // A rule whose constant value is already the result cannot change or contradict it.
      if (result !== undefined && r.constantValue && !r.else && r.value.kind === 'Scalar' && equal(r.value.value, result)) continue
      const v = this.#evalRuleChain(r)
      if (v === undefined) continue
      if (result !== undefined && !equal(result, v)) {
        throw new RegoError('eval_conflict_error', 'complete rules must not produce multiple outputs', r.rule.location)
      }
      result = v
    }
    if (result === undefined && def) {
      const frame: Frame = new Array(def.slots)
      this.#evalTerm(def.value, frame, (v) => {
        result = v
        return true
      })
    }
    return result
  }

  /** The value of the first rule in an `else` chain whose body succeeds. */
  #evalRuleChain(r: CompiledRule): Value | undefined {
    for (let x: CompiledRule | undefined = r; x; x = x.else) {
      let result: Value | undefined
      const rule = x
      const frame: Frame = new Array(rule.slots)
      this.#rules.push(rule)
      try {
        this.#evalBody(rule.body, 0, frame, () =>
          this.#evalTerm(rule.value, frame, (v) => {
            if (result !== undefined && !equal(result, v)) {
              throw new RegoError('eval_conflict_error', 'complete rules must not produce multiple outputs', rule.rule.location)
            }
            result = v
            // else chains stop at the first solution; a constant value cannot change either.
            return rule.constantValue || r.else !== undefined || rule !== r
          }),
        )
      } finally {
        this.#rules.pop()
      }
      if (result !== undefined) return result
    }
    return undefined
  }

  #evalObjectRule(r: CompiledRule, out: RObject): void {
    const frame: Frame = new Array(r.slots)
    const leaf = r.key ?? r.value
    this.#rules.push(r)
    try {
      this.#evalBody(r.body, 0, frame, () =>
        this.#evalArgs(r.dynamic, r.dynamic.length, frame, (keys) =>
          this.#evalTerm(leaf, frame, (v) => {
            if (r.key) insertSetElement(out, keys, v, r.rule.location)
            else insertPath(out, keys, v, r.rule.location)
            return false
          }),
        ),
      )
    } finally {
      this.#rules.pop()
    }
  }

  // ---- unification ----------------------------------------------------------------------------

  #unify(a: Term, b: Term, frame: Frame, k: K): boolean {
    if (a.kind === 'Var' && a.slot !== undefined && frame[a.slot] === undefined) {
      if (b.kind === 'Var' && b.slot !== undefined && frame[b.slot] === undefined) {
        throw new RegoError('rego_unsafe_var_error', `var ${a.name} is unsafe`, a.location)
      }
      return this.#evalTerm(b, frame, (v) => this.#unifyValue(a, v, frame, k))
    }
    if (b.kind === 'Var' && b.slot !== undefined && frame[b.slot] === undefined) {
      return this.#evalTerm(a, frame, (v) => this.#unifyValue(b, v, frame, k))
    }
    if (a.kind === 'Array' && b.kind === 'Array') {
      if (a.items.length !== b.items.length) return false
      const step = (i: number): boolean => (i === a.items.length ? k() : this.#unify(a.items[i]!, b.items[i]!, frame, () => step(i + 1)))
      return step(0)
    }
    if (a.kind === 'Object' && b.kind === 'Object' && (!this.#isGround(a, frame) || !this.#isGround(b, frame))) {
      if (a.entries.length !== b.entries.length) return false
      return this.#unifyObjects(a.entries, b.entries, frame, k)
    }
    if (this.#isGround(a, frame) || (!isPattern(a) && isPattern(b))) {
      return this.#evalTerm(a, frame, (v) => this.#unifyValue(b, v, frame, k))
    }
    return this.#evalTerm(b, frame, (v) => this.#unifyValue(a, v, frame, k))
  }

  #unifyObjects(a: readonly (readonly [Term, Term])[], b: readonly (readonly [Term, Term])[], frame: Frame, k: K): boolean {
    // Keys must be ground; pair entries by key value.
    const bk = new Map<string, Term>()
    let ok = true
    for (const [kt, vt] of b) {
      this.#evalTerm(kt, frame, (kv) => {
        bk.set(hashKey(kv), vt)
        return true
      })
    }
    const pairs: [Term, Term][] = []
    for (const [kt, vt] of a) {
      let found: Term | undefined
      this.#evalTerm(kt, frame, (kv) => {
        found = bk.get(hashKey(kv))
        return true
      })
      if (!found) ok = false
      else pairs.push([vt, found])
    }
    if (!ok) return false
    const step = (i: number): boolean => (i === pairs.length ? k() : this.#unify(pairs[i]![0], pairs[i]![1], frame, () => step(i + 1)))
    return step(0)
  }

  /** Unifies a term (a pattern that may bind variables) with a value. */
  #unifyValue(t: Term, v: Value, frame: Frame, k: K): boolean {
    switch (t.kind) {
      case 'Var': {
        if (t.slot === undefined) return this.#evalTerm(t, frame, (x) => (equal(x, v) ? k() : false))
        const cur = frame[t.slot]
        if (cur !== undefined) return equal(cur, v) ? k() : false
        this.#bind(frame, t.slot, v)
        const stop = k()
        this.#undo(this.#trailFrames.length - 1)
        return stop
      }
      case 'Scalar':
        return equal(t.value, v) ? k() : false
      case 'Array': {
        if (!Array.isArray(v) || v.length !== t.items.length) return false
        const arr = v as readonly Value[]
        const step = (i: number): boolean => (i === arr.length ? k() : this.#unifyValue(t.items[i]!, arr[i]!, frame, () => step(i + 1)))
        return step(0)
      }
      case 'Object': {
        if (!(v instanceof RObject) || v.size !== t.entries.length) return false
        const step = (i: number): boolean => {
          if (i === t.entries.length) return k()
          const [kt, vt] = t.entries[i]!
          return this.#evalTerm(kt, frame, (kv) => {
            const child = v.get(kv)
            return child === undefined ? false : this.#unifyValue(vt, child, frame, () => step(i + 1))
          })
        }
        return step(0)
      }
      default:
        return this.#evalTerm(t, frame, (x) => (equal(x, v) ? k() : false))
    }
  }
}

const LOC: Location = { file: '', row: 0, col: 0, offset: 0, length: 0 }

function isPattern(t: Term): boolean {
  return t.kind === 'Var' || t.kind === 'Array' || t.kind === 'Object'
}

function compareKeys(a: Value, b: Value): number {
  return typeof a === 'string' && typeof b === 'string' ? (a < b ? -1 : a > b ? 1 : 0) : hashKey(a) < hashKey(b) ? -1 : 1
}
