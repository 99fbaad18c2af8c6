import { watch, type FSWatcher } from 'node:fs'
import { Engine, RegoErrors, RegoError } from '@signoff/rego'
import { SignoffError } from '../domain/index.js'
import { readDecision, seedSpec, DecisionShapeError, type ApprovalDefaults, type PolicyForm, type PolicyOutcome } from './policy-outcome.js'
import { PolicySourceError, readPolicySources, type PolicySources } from './policy-sources.js'

/** One problem with a policy load, located when the engine knows where. */
export interface PolicyProblem {
  readonly file: string
  readonly row: number | null
  readonly col: number | null
  readonly code: string
  /** `file:row:col: code: message`, as OPA prints it. */
  readonly message: string
}

/** The result of a load: the new revision, or what was wrong (the working policy stays). */
export type PolicyLoadResult =
  | { readonly ok: true; readonly revision: string; readonly form: PolicyForm }
  | { readonly ok: false; readonly problems: readonly PolicyProblem[] }

/** Options for {@link PolicyHost}. */
export interface PolicyHostOptions {
  readonly paths: readonly string[]
  /** The package queried, e.g. `approvals` → `data.approvals`. */
  readonly package: string
  /** Rego version of files with no bundle manifest saying otherwise. */
  readonly regoVersion: 0 | 1
  /** Approval details for the seed form and for rich decisions that leave some out. */
  readonly defaults: ApprovalDefaults
  /** Told about every load, good or bad (for logs and metrics). */
  readonly onLoad?: (result: PolicyLoadResult) => void
}

interface Loaded {
  readonly engine: Engine
  readonly form: PolicyForm
  readonly revision: string
  readonly sources: PolicySources
}

/**
 * Holds the working policy. Each load builds a fresh Engine and swaps it in only when it
 * compiles, so a broken file never replaces a working policy. `watch()` reloads on file change.
 */
export class PolicyHost {
  readonly #opts: PolicyHostOptions
  #current: Loaded | null = null
  #lastProblems: readonly PolicyProblem[] = []
  #watchers: FSWatcher[] = []
  #timer: NodeJS.Timeout | null = null
  #loading: Promise<PolicyLoadResult> | null = null

  constructor(opts: PolicyHostOptions) {
    this.#opts = opts
  }

  /** The loaded revision (digest of sources and data), or `null` before the first good load. */
  get revision(): string | null {
    return this.#current?.revision ?? null
  }

  /** Which contract form the loaded policy uses. */
  get form(): PolicyForm | null {
    return this.#current?.form ?? null
  }

  /** Problems of the last failed load (empty after a good one). */
  get lastProblems(): readonly PolicyProblem[] {
    return this.#lastProblems
  }

  /** Reads, parses and compiles the policy; swaps it in only if all of that succeeds. */
  async load(): Promise<PolicyLoadResult> {
    const result = await this.#load()
    this.#opts.onLoad?.(result)
    return result
  }

  async #load(): Promise<PolicyLoadResult> {
    let sources: PolicySources
    try {
      sources = await readPolicySources(this.#opts.paths, this.#opts.regoVersion)
    } catch (e) {
      if (e instanceof PolicySourceError) return this.#fail([{ file: e.file, row: null, col: null, code: 'signoff_policy_source', message: e.message }])
      throw e
    }
    const engine = new Engine({ allowNet: false })
    try {
      for (const m of sources.modules) engine.addPolicy(m.file, m.source, { regoVersion: m.regoVersion })
      engine.setData(sources.data)
      engine.compile()
    } catch (e) {
      if (e instanceof RegoErrors || e instanceof RegoError) return this.#fail(problems(e))
      throw e
    }
    const form = detectForm(engine, this.#opts.package)
    this.#current = { engine, form, revision: sources.revision, sources }
    this.#lastProblems = []
    if (this.#watchers.length > 0) this.#rewatch()
    return { ok: true, revision: sources.revision, form }
  }

  #fail(list: PolicyProblem[]): PolicyLoadResult {
    this.#lastProblems = list
    return { ok: false, problems: list }
  }

  /**
   * Evaluates the policy for `input` (which already carries `approved`, `approvals`,
   * `requester` and `request`). For the seed form, when `allow` does not hold and the input is
   * not yet approved, asks again with `approved: true` to tell "needs approval" from "denied".
   * Throws {@link SignoffError} `SIGNOFF_POLICY_NOT_LOADED` or `SIGNOFF_POLICY_ERROR`.
   */
  evaluate(input: Record<string, unknown>, nowMs: number): PolicyOutcome & { readonly revision: string } {
    const cur = this.#current
    if (cur === null) throw new SignoffError('SIGNOFF_POLICY_NOT_LOADED', 'no policy has loaded', { problems: this.#lastProblems })
    const pkg = `data.${this.#opts.package}`
    const timeNs = BigInt(nowMs) * 1_000_000n
    const rule = (name: string, inp: unknown): unknown => {
      try {
        return cur.engine.evalRule(`${pkg}.${name}`, inp, { timeNs })
      } catch (e) {
        if (e instanceof RegoErrors || e instanceof RegoError) {
          throw new SignoffError('SIGNOFF_POLICY_ERROR', `policy evaluation failed: ${e.message}`, { problems: problems(e) })
        }
        throw e
      }
    }
    switch (cur.form) {
      case 'rich':
        try {
          return { ...readDecision(rule('decision', input), this.#opts.defaults), revision: cur.revision }
        } catch (e) {
          if (e instanceof DecisionShapeError) throw new SignoffError('SIGNOFF_POLICY_ERROR', `policy error: ${e.message}`)
          throw e
        }
      case 'seed': {
        const allow = rule('allow', input)
        if (allow === true) return { kind: 'allow', reason: null, result: { allow: true }, revision: cur.revision }
        if (input['approved'] !== true) {
          const would = rule('allow', { ...input, approved: true })
          if (would === true) {
            return { kind: 'approval', reason: null, result: { allow: false }, spec: seedSpec(this.#opts.defaults), revision: cur.revision }
          }
        }
        return { kind: 'deny', reason: null, result: { allow: allow ?? false }, revision: cur.revision }
      }
      case 'none':
        throw new SignoffError(
          'SIGNOFF_POLICY_ERROR',
          `policy error: package ${this.#opts.package} defines neither a decision rule nor an allow rule`,
        )
    }
  }

  /** Reloads when any policy file changes (debounced). Call {@link close} to stop. */
  watch(): void {
    this.#rewatch()
  }

  #rewatch(): void {
    for (const w of this.#watchers) w.close()
    this.#watchers = []
    const targets = new Set<string>([...this.#opts.paths, ...(this.#current?.sources.files ?? [])])
    for (const t of targets) {
      try {
        const w = watch(t, () => this.#schedule())
        w.on('error', () => {})
        this.#watchers.push(w)
      } catch {
        // A path that does not exist yet is picked up by the next successful load.
      }
    }
  }

  #schedule(): void {
    if (this.#timer) clearTimeout(this.#timer)
    this.#timer = setTimeout(() => {
      this.#timer = null
      if (this.#loading) return
      this.#loading = this.load().finally(() => {
        this.#loading = null
      })
    }, 100)
    this.#timer.unref()
  }

  /** Stops watching. */
  close(): void {
    if (this.#timer) clearTimeout(this.#timer)
    for (const w of this.#watchers) w.close()
    this.#watchers = []
  }
}

function detectForm(engine: Engine, pkg: string): PolicyForm {
  const path = pkg.split('.')
  let allow = false
  for (const m of engine.modules) {
    if (m.package.path.length !== path.length || m.package.path.some((p, i) => p !== path[i])) continue
    for (const r of m.rules) {
      const head = r.head.ref[0]
      const name = head && head.kind === 'Var' ? head.name : null
      if (name === 'decision') return 'rich'
      if (name === 'allow') allow = true
    }
  }
  return allow ? 'seed' : 'none'
}

function problems(e: RegoErrors | RegoError): PolicyProblem[] {
  const list = e instanceof RegoErrors ? e.errors : [e]
  return list.map((x) => ({
    file: x.location?.file ?? '',
    row: x.location?.row ?? null,
    col: x.location?.col ?? null,
    code: x.code,
    message: x.message,
  }))
}
