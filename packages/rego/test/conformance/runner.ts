/**
 * Runs OPA's YAML conformance cases against the engine, following OPA's own runner
 * (see ../shared/opa-conformance/README.md): compile all modules together, evaluate the query with
 * the case's data and input, and compare errors or the set of result rows.
 */
import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs'
import { join } from 'node:path'
import { parse as parseYaml } from 'yaml'
import { Engine, RegoError, RegoErrors, defaultRegistry, fromJS, parseTerm, toJS, type BuiltinRegistry, type Value } from '../../src/index.js'
import { canonical } from '../../src/value/value.js'

export interface Case {
  readonly note: string
  readonly query: string
  readonly modules?: string[]
  readonly data?: unknown
  readonly input?: unknown
  readonly input_term?: string
  readonly want_result?: Record<string, unknown>[]
  readonly want_error_code?: string
  readonly want_error?: string
  readonly strict_error?: boolean
  readonly sort_bindings?: boolean
  readonly ignore_generated_vars?: boolean
  readonly env?: Record<string, string>
}

export interface CaseResult {
  readonly dir: string
  readonly file: string
  readonly note: string
  readonly ok: boolean
  readonly expected?: string
  readonly actual?: string
}

/** Directories under a root as `v0/name` / `v1/name`. */
export function listDirs(root: string): string[] {
  const out: string[] = []
  for (const v of ['v0', 'v1']) {
    const p = join(root, v)
    if (!existsSync(p)) continue
    for (const d of readdirSync(p).sort()) if (statSync(join(p, d)).isDirectory()) out.push(`${v}/${d}`)
  }
  return out
}

export function loadCases(root: string, dir: string): { file: string; cases: Case[] }[] {
  const p = join(root, dir)
  const out: { file: string; cases: Case[] }[] = []
  for (const f of readdirSync(p).sort()) {
    if (!f.endsWith('.yaml') && !f.endsWith('.yml') && !f.endsWith('.json')) continue
    const doc = parseYaml(readFileSync(join(p, f), 'utf8'), { intAsBigInt: true }) as { cases?: Case[] }
    out.push({ file: join(dir, f), cases: doc?.cases ?? [] })
  }
  return out
}

/**
 * The production built-ins plus `test.sleep`, which OPA's own test runner registers for the suite
 * (it is not a Rego built-in and never reaches policies outside these tests).
 */
function suiteRegistry(): BuiltinRegistry {
  const reg = defaultRegistry()
  reg.register({
    name: 'test.sleep',
    args: [{ name: 'duration', type: 'string' }],
    description: 'Sleeps for the given Go duration (test-only).',
    impl([d]) {
      const m = /^(\d+)(ms|s)$/.exec(String(d))
      const ms = m ? Number(m[1]) * (m[2] === 's' ? 1000 : 1) : 0
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms)
      return true
    },
  })
  return reg
}

const REGISTRY = suiteRegistry()

export function runCase(dir: string, file: string, c: Case): CaseResult {
  const version: 0 | 1 = dir.startsWith('v0/') ? 0 : 1
  const base = { dir, file, note: c.note }
  let rows: Map<string, Value>[]
  try {
    const engine = new Engine({ env: c.env, print: () => {}, registry: REGISTRY })
    ;(c.modules ?? []).forEach((m, i) => engine.addPolicy(`test-${i}.rego`, m, { regoVersion: version }))
    engine.setData(c.data ?? {})
    const inputValue = c.input_term !== undefined ? parseTerm(c.input_term, version) : c.input === undefined ? undefined : fromJS(c.input)
    const q = engine.prepare(c.query, { regoVersion: version })
    rows = q.evalValues({ inputValue, strictBuiltinErrors: c.strict_error === true }).rows
  } catch (e) {
    const code = e instanceof RegoErrors ? e.code : e instanceof RegoError ? e.code : 'internal'
    const msg = e instanceof Error ? e.message : String(e)
    if (c.want_error_code !== undefined || c.want_error !== undefined) {
      const okCode = c.want_error_code === undefined || c.want_error_code === code
      const okMsg = c.want_error === undefined || msg.includes(c.want_error)
      return { ...base, ok: okCode && okMsg, expected: `error ${c.want_error_code ?? ''} ${c.want_error ?? ''}`, actual: `error ${code}: ${msg}` }
    }
    return { ...base, ok: false, expected: JSON.stringify(c.want_result, (_k, v) => (typeof v === 'bigint' ? v.toString() : v)), actual: `error ${code}: ${msg}${code === 'internal' && e instanceof Error ? '\n' + e.stack : ''}` }
  }
  if (c.want_error_code !== undefined || c.want_error !== undefined) {
    return { ...base, ok: false, expected: `error ${c.want_error_code ?? ''} ${c.want_error ?? ''}`, actual: show(rows) }
  }
  if (c.want_result === undefined) return { ...base, ok: false, expected: '(no expectation)', actual: show(rows) }
  const norm = (v: Value): Value => {
    const j = fromJS(toJS(v))
    if (c.sort_bindings && Array.isArray(j)) return Object.freeze([...j].sort((a, b) => (canonical(a) < canonical(b) ? -1 : 1)))
    return j
  }
  const actual = rows.map((r) => rowKey(new Map([...r].map(([k, v]) => [k, norm(v)]))))
  const expected = c.want_result.map((r) => rowKey(new Map(Object.entries(r).map(([k, v]) => [k, norm(fromJS(v))]))))
  actual.sort()
  expected.sort()
  const ok = actual.length === expected.length && actual.every((a, i) => a === expected[i])
  return { ...base, ok, expected: expected.join('\n'), actual: actual.join('\n') }
}

function rowKey(r: Map<string, Value>): string {
  return [...r.keys()]
    .sort()
    .map((k) => `${k}=${canonical(r.get(k)!)}`)
    .join(' ')
}

function show(rows: Map<string, Value>[]): string {
  return rows.map((r) => rowKey(r)).join('\n') || '(undefined)'
}

export interface SuiteResult {
  readonly passed: number
  readonly total: number
  readonly dirs: Record<string, { passed: number; total: number }>
  readonly failures: CaseResult[]
}

/** Runs every case under the roots (optionally only some directory names). */
export function runSuite(roots: readonly string[], only?: ReadonlySet<string>): SuiteResult {
  const dirs: Record<string, { passed: number; total: number }> = {}
  const failures: CaseResult[] = []
  let passed = 0
  let total = 0
  for (const root of roots) {
    for (const dir of listDirs(root)) {
      const name = dir.split('/')[1]!
      if (only && !only.has(name) && !only.has(dir)) continue
      const stat = (dirs[dir] ??= { passed: 0, total: 0 })
      for (const { file, cases } of loadCases(root, dir)) {
        for (const c of cases) {
          let r: CaseResult
          try {
            r = runCase(dir, file, c)
          } catch (e) {
            r = { dir, file, note: c.note, ok: false, actual: `crash: ${(e as Error).stack}` }
          }
          stat.total++
          total++
          if (r.ok) {
            stat.passed++
            passed++
          } else failures.push(r)
        }
      }
    }
  }
  return { passed, total, dirs, failures }
}

/** Directories of the suite that pass every case, as `v1/name`. */
export function fullyPassing(result: SuiteResult): string[] {
  return Object.entries(result.dirs)
    .filter(([, s]) => s.passed === s.total)
    .map(([d]) => d)
    .sort()
}
