import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { parse as parseYaml } from 'yaml'
import { CliError } from '../cli-error.js'
import type { CommandContext } from '../command-context.js'
import { ExitCode } from '../exit-code.js'
import { formatJson, formatPretty, type OpaResultRow } from '../opa-result.js'
import { captureQuery } from '../query-captures.js'
import { loadPolicyEngine, regoFailure } from '../policy-engine.js'
import { readJsonArgument } from '../read-input.js'

/** Options of `signoff eval`. */
export interface EvalOptions {
  readonly data: readonly string[]
  readonly input?: string
  /** Read the input document from standard input (`opa eval --stdin-input`). */
  readonly stdinInput?: boolean
  readonly format: 'json' | 'pretty'
  readonly v0Compatible?: boolean
}

async function readInput(file: string, cwd: string): Promise<unknown> {
  const path = resolve(cwd, file)
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (e) {
    throw new CliError(`--input: cannot read ${path}: ${(e as Error).message}`)
  }
  try {
    return /\.ya?ml$/i.test(path) ? parseYaml(text) : JSON.parse(text)
  } catch (e) {
    throw new CliError(`--input: ${path}: ${(e as Error).message}`)
  }
}

/**
 * `signoff eval`: evaluates a query like `opa eval` does, with `-d` policy/data paths and `-i`
 * an input file. `--format json` prints OPA's `{"result": [{"expressions": …, "bindings": …}]}`
 * (`{}` when undefined); `pretty` prints the value or a table. Exit 0, or 3 on any error.
 */
export async function evalCommand(query: string, opts: EvalOptions, ctx: CommandContext): Promise<ExitCode> {
  if (opts.input !== undefined && opts.stdinInput) throw new CliError('--input and --stdin-input cannot be used together')
  const input = opts.stdinInput ? await readJsonArgument('-', '--stdin-input', ctx.io) : opts.input === undefined ? undefined : await readInput(opts.input, ctx.io.cwd)
  const regoVersion = opts.v0Compatible ? 0 : 1
  const engine = await loadPolicyEngine(opts.data, ctx.io.cwd, regoVersion)
  const captured = captureQuery(query)
  if (captured.expressions.length === 0) throw new CliError('the query is empty')
  const captures = new Set(captured.expressions.map((e) => e.capture).filter((c) => c !== null))
  let rows: OpaResultRow[]
  try {
    rows = engine
      .prepare(captured.query, { regoVersion })
      .eval({ input })
      .map((r) => {
        const bindings = Object.fromEntries(Object.entries(r).filter(([k]) => !captures.has(k)))
        const expressions = captured.expressions.map((e) => ({ value: e.capture ? r[e.capture] : true, text: e.text, location: { row: e.row, col: e.col } }))
        return Object.keys(bindings).length ? { expressions, bindings } : { expressions }
      })
  } catch (e) {
    throw regoFailure(e)
  }
  ctx.io.stdout.write((opts.format === 'pretty' ? formatPretty(rows) : formatJson(rows)) + '\n')
  return ExitCode.Ok
}
