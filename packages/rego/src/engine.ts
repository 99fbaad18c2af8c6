import { RegoError, RegoErrors } from './ast/errors.js'
import type { Module, Term } from './ast/nodes.js'
import { defaultRegistry, type BuiltinRegistry } from './builtins/index.js'
import type { CompiledQuery } from './compiler/compiled.js'
import { compileModules, compileQuery, type CompiledPolicy } from './compiler/compiler.js'
import { Evaluator } from './eval/evaluator.js'
import { Parser, type RegoVersion } from './parser/parser.js'
import { fromJS, toJS } from './value/json.js'
import { RObject, RSet, type Value } from './value/value.js'

export interface EngineOptions {
  /** Built-ins available to policies (default: every built-in signoff ships). */
  readonly registry?: BuiltinRegistry
  /** Built-in errors abort evaluation instead of making the expression undefined. */
  readonly strictBuiltinErrors?: boolean
  /** Whether `http.send` and `net.lookup_ip_addr` may use the network (default true). */
  readonly allowNet?: boolean
  /** Environment visible to `opa.runtime()`; without it, `opa.runtime()` is `{}` as in OPA with no runtime. */
  readonly env?: Readonly<Record<string, string>>
  /** Where `print` writes (default: stderr). */
  readonly print?: (msg: string) => void
}

export interface AddPolicyOptions {
  /** Rego syntax version of this file (default 1). */
  readonly regoVersion?: RegoVersion
}

export interface EvalOptions {
  /** The input document (plain JSON; sets and big integers are accepted too). */
  readonly input?: unknown
  /** Input already converted to a Rego value (e.g. from {@link parseTerm}). */
  readonly inputValue?: Value
  readonly strictBuiltinErrors?: boolean
  /** The evaluation's clock in nanoseconds since the epoch (default: now). */
  readonly timeNs?: bigint
  /** Seed for `rand.intn` / `uuid.rfc4122` (default: random). */
  readonly seed?: number
}

/** Results of one evaluation with what non-deterministic built-ins returned. */
export interface DetailedResult {
  readonly rows: Map<string, Value>[]
  /** OPA's `nd_builtin_cache`: `name(args)` → result, for storing with a decision. */
  readonly ndBuiltinCache: ReadonlyMap<string, Value>
}

/**
 * The Rego engine: add policies, set data, then evaluate queries or rules.
 * Parsing happens in {@link addPolicy}; compilation in {@link compile} (or lazily on first use).
 */
export class Engine {
  readonly #modules = new Map<string, Module>()
  readonly #registry: BuiltinRegistry
  readonly #opts: EngineOptions
  #data: Value = new RObject()
  #compiled: CompiledPolicy | undefined

  constructor(opts: EngineOptions = {}) {
    this.#opts = opts
    this.#registry = opts.registry ?? defaultRegistry()
  }

  /** Parses a module; throws {@link RegoErrors} (`rego_parse_error`, `file:row:col: …`) if it does not parse. */
  addPolicy(filename: string, source: string, opts: AddPolicyOptions = {}): void {
    const module = parseModule(filename, source, opts.regoVersion ?? 1)
    this.#modules.set(filename, module)
    this.#compiled = undefined
  }

  removePolicy(filename: string): boolean {
    this.#compiled = undefined
    return this.#modules.delete(filename)
  }

  /** Replaces the base `data` document. */
  setData(data: unknown): void {
    this.#data = fromJS(data ?? {})
  }

  get modules(): readonly Module[] {
    return [...this.#modules.values()]
  }

  /** Compiles every module together; throws {@link RegoErrors} on compile errors. */
  compile(): void {
    this.#policy()
  }

  #policy(): CompiledPolicy {
    if (!this.#compiled) this.#compiled = compileModules([...this.#modules.values()], this.#registry)
    return this.#compiled
  }

  /** Compiles a query (e.g. `data.pkg.allow = x`) for repeated evaluation. */
  prepare(query: string, opts: AddPolicyOptions = {}): PreparedQuery {
    const policy = this.#policy()
    const body = wrapParse(() => new Parser('query', query, { regoVersion: opts.regoVersion ?? 1 }).parseQuery())
    const compiled = compileQuery(body, policy, this.#registry, opts.regoVersion ?? 1)
    return new PreparedQuery(this, policy, compiled)
  }

  /** The JSON value of the document at a dotted path (`data.pkg.rule`), or undefined. */
  evalRule(path: string, input?: unknown, opts: Omit<EvalOptions, 'input'> = {}): unknown {
    const parts = path.split('.')
    if (parts[0] !== 'data') throw new TypeError(`rule path must start with data: ${path}`)
    const ev = this.evaluator({ ...opts, input })
    const v = ev.document(parts.slice(1))
    return v === undefined ? undefined : toJS(v)
  }

  /** @internal An evaluator over the current policy and data. */
  evaluator(opts: EvalOptions, nd = new Map<string, Value>()): Evaluator {
    const input = opts.inputValue ?? (opts.input === undefined ? undefined : fromJS(opts.input))
    const rand = seeded(opts.seed ?? Math.floor(Math.random() * 2 ** 32))
    return new Evaluator({
      policy: this.#policy(),
      registry: this.#registry,
      data: this.#data,
      input,
      builtins: {
        strict: opts.strictBuiltinErrors ?? this.#opts.strictBuiltinErrors ?? false,
        timeNs: opts.timeNs ?? BigInt(Date.now()) * 1_000_000n,
        random: rand,
        env: this.#opts.env,
        ndCache: nd,
        evalCache: new Map(),
        allowNet: this.#opts.allowNet ?? true,
        print: this.#opts.print ?? ((m) => process.stderr.write(m + '\n')),
      },
    })
  }
}

/** A query compiled once and evaluated many times. */
export class PreparedQuery {
  readonly #engine: Engine
  readonly #query: CompiledQuery

  constructor(engine: Engine, _policy: CompiledPolicy, query: CompiledQuery) {
    this.#engine = engine
    this.#query = query
  }

  /** Result rows as plain JSON (sets as arrays), one object per solution. */
  eval(opts: EvalOptions = {}): Record<string, unknown>[] {
    return this.evalValues(opts).rows.map((row) => {
      const o: Record<string, unknown> = {}
      for (const [k, v] of row) o[k] = toJS(v)
      return o
    })
  }

  /** Result rows as Rego values, with the non-deterministic built-in results. */
  evalValues(opts: EvalOptions = {}): DetailedResult {
    const nd = new Map<string, Value>()
    const rows = this.#engine.evaluator(opts, nd).query(this.#query)
    return { rows, ndBuiltinCache: nd }
  }
}

/** Parses one module; errors are {@link RegoErrors} with `rego_parse_error`. */
export function parseModule(filename: string, source: string, regoVersion: RegoVersion = 1): Module {
  return wrapParse(() => new Parser(filename, source, { regoVersion }).parseModule())
}

/** Parses a ground Rego term (JSON plus sets, e.g. an input written as Rego) into a value. */
export function parseTerm(text: string, regoVersion: RegoVersion = 1): Value {
  const t = wrapParse(() => new Parser('term', text, { regoVersion }).parseSingleTerm())
  return termToValue(t)
}

function termToValue(t: Term): Value {
  switch (t.kind) {
    case 'Scalar':
      return t.value
    case 'Array':
      return Object.freeze(t.items.map(termToValue))
    case 'Set':
      return RSet.from(t.items.map(termToValue))
    case 'Object':
      return RObject.from(t.entries.map(([k, v]) => [termToValue(k), termToValue(v)] as const))
    default:
      throw new RegoErrors([new RegoError('rego_parse_error', 'term is not a ground value', t.location)])
  }
}

function wrapParse<T>(f: () => T): T {
  try {
    return f()
  } catch (e) {
    if (e instanceof RegoError) throw new RegoErrors([e])
    throw e
  }
}

/** mulberry32: a small, fast seeded PRNG so evaluations are reproducible. */
function seeded(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
