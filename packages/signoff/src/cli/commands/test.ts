import type { Engine } from '@signoff/rego'
import { CliError } from '../cli-error.js'
import type { CommandContext } from '../command-context.js'
import { ExitCode } from '../exit-code.js'
import { loadPolicyEngine } from '../policy-engine.js'

/** Options of `signoff test`. */
export interface TestOptions {
  readonly run?: string
  readonly v0Compatible?: boolean
}

/** One test rule found in the modules. */
export interface TestCase {
  /** `data.<package>.<rule>`. */
  readonly name: string
  readonly file: string
}

/** The outcome of one test. */
export interface TestResult extends TestCase {
  readonly outcome: 'PASS' | 'FAIL' | 'ERROR'
  readonly ms: number
  readonly error?: string
}

/** Every rule named `test_*` (no arguments, a plain name) in every module, once each, in file order. */
export function findTests(engine: Engine): TestCase[] {
  const seen = new Set<string>()
  const out: TestCase[] = []
  for (const m of engine.modules) {
    for (const rule of m.rules) {
      const head = rule.head.ref
      const first = head[0]
      if (head.length !== 1 || rule.head.args || !first) continue
      const name = first.kind === 'Var' ? first.name : first.kind === 'Scalar' && typeof first.value === 'string' ? first.value : null
      if (!name || !name.startsWith('test_')) continue
      const full = ['data', ...m.package.path, name].join('.')
      if (seen.has(full)) continue
      seen.add(full)
      out.push({ name: full, file: m.file })
    }
  }
  return out
}

function formatMs(ms: number): string {
  return ms < 1 ? `${Math.round(ms * 1000)}µs` : `${ms.toFixed(3)}ms`
}

/** Runs one test: it passes when the rule is defined and not `false`, as in `opa test`. */
export function runTest(engine: Engine, t: TestCase): TestResult {
  const started = performance.now()
  try {
    const value = engine.evalRule(t.name)
    const outcome = value !== undefined && value !== false ? 'PASS' : 'FAIL'
    return { ...t, outcome, ms: performance.now() - started }
  } catch (e) {
    return { ...t, outcome: 'ERROR', ms: performance.now() - started, error: e instanceof Error ? e.message : String(e) }
  }
}

/**
 * `signoff test`: loads the paths like `opa test`, runs every `test_*` rule, prints one
 * `PASS`/`FAIL`/`ERROR` line per test grouped by file and a summary. Exit 0 when all pass, 1 when
 * any fails or errs, 3 when the policies do not load or no test matches.
 */
export async function testCommand(paths: readonly string[], opts: TestOptions, ctx: CommandContext): Promise<ExitCode> {
  const out = ctx.io.stdout
  const engine = await loadPolicyEngine(paths, ctx.io.cwd, opts.v0Compatible ? 0 : 1)
  let filter: RegExp | null = null
  if (opts.run !== undefined) {
    try {
      filter = new RegExp(opts.run)
    } catch (e) {
      throw new CliError(`--run: ${(e as Error).message}`)
    }
  }
  const tests = findTests(engine).filter((t) => !filter || filter.test(t.name))
  if (tests.length === 0) throw new CliError('no tests found (rules named test_… in the given paths)')
  const results = tests.map((t) => runTest(engine, t))
  let file: string | null = null
  for (const r of results) {
    if (r.file !== file) {
      if (file !== null) out.write('\n')
      out.write(`${r.file}:\n`)
      file = r.file
    }
    out.write(`${r.name}: ${r.outcome} (${formatMs(r.ms)})\n`)
    if (r.error) out.write(`  ${r.error.replaceAll('\n', '\n  ')}\n`)
  }
  const count = (o: TestResult['outcome']): number => results.filter((r) => r.outcome === o).length
  out.write(`${'-'.repeat(80)}\n`)
  const pass = count('PASS')
  const fail = count('FAIL')
  const error = count('ERROR')
  if (pass) out.write(`PASS: ${pass}/${results.length}\n`)
  if (fail) out.write(`FAIL: ${fail}/${results.length}\n`)
  if (error) out.write(`ERROR: ${error}/${results.length}\n`)
  return fail || error ? ExitCode.Refused : ExitCode.Ok
}
