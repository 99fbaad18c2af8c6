/**
 * `npm run bench -w @signoff/rego`: per-evaluation latency (median, p99) for the RBAC example,
 * the seed policy and a built-in-heavy policy, and parse+compile time of a 1,000-rule policy.
 */
import { Engine } from '@signoff/rego'
import { BUILTINS, BUILTIN_INPUTS, RBAC, RBAC_INPUTS, SEED, SEED_INPUTS, generatedPolicy } from './policies.js'

interface Row {
  readonly name: string
  readonly median: number
  readonly p99: number
  readonly unit: string
  readonly n: number
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!
}

/** Times `f` per call in microseconds after a warm-up; calls cycle through the inputs. */
function timeEval(name: string, f: (i: number) => unknown, n: number): Row {
  for (let i = 0; i < Math.min(n, 20_000); i++) f(i)
  const samples = new Array<number>(n)
  for (let i = 0; i < n; i++) {
    const t0 = process.hrtime.bigint()
    f(i)
    samples[i] = Number(process.hrtime.bigint() - t0) / 1000
  }
  samples.sort((a, b) => a - b)
  return { name, median: percentile(samples, 0.5), p99: percentile(samples, 0.99), unit: 'µs', n }
}

function evalBench(name: string, file: string, src: string, version: 0 | 1, query: string, inputs: readonly unknown[], n: number): Row {
  const engine = new Engine()
  engine.addPolicy(file, src, { regoVersion: version })
  const q = engine.prepare(query)
  return timeEval(name, (i) => q.eval({ input: inputs[i % inputs.length] }), n)
}

const rows: Row[] = []
const n = Number(process.env.BENCH_N ?? 100_000)
rows.push(evalBench('rbac allow (OPA policy-performance example, input)', 'rbac.rego', RBAC, 1, 'data.rbac.allow', RBAC_INPUTS, n))
rows.push(evalBench('seed policy allow (design.md §3, v0)', 'seed.rego', SEED, 0, 'data.approvals.allow', SEED_INPUTS, n))
rows.push(evalBench('seed policy allow + deny', 'seed.rego', SEED, 0, 'x := data.approvals', SEED_INPUTS, n))
rows.push(evalBench('regex.match + glob.match + sprintf + time.parse_rfc3339_ns', 'b.rego', BUILTINS, 1, 'data.builtins.allow', BUILTIN_INPUTS, Math.min(n, 50_000)))

const gen = generatedPolicy(1000)
rows.push(
  timeEval(
    'parse + compile, generated 1,000-rule policy',
    () => {
      const e = new Engine()
      e.addPolicy('gen.rego', gen)
      e.compile()
    },
    30,
  ),
)
const genEngine = new Engine()
genEngine.addPolicy('gen.rego', gen)
const genQ = genEngine.prepare('data.gen.allow')
rows.push(timeEval('eval allow in the 1,000-rule policy', (i) => genQ.eval({ input: { user: `user${(i * 4) % 1000}`, action: 'read' } }), Math.min(n, 20_000)))

const fmt = (x: number, unit: string): string => (unit === 'µs' && x >= 1000 ? `${(x / 1000).toFixed(2)} ms` : `${x.toFixed(2)} ${unit}`)
const w = Math.max(...rows.map((r) => r.name.length))
console.log(`${'benchmark'.padEnd(w)}  ${'median'.padStart(10)}  ${'p99'.padStart(10)}  ${'runs'.padStart(7)}`)
for (const r of rows) console.log(`${r.name.padEnd(w)}  ${fmt(r.median, r.unit).padStart(10)}  ${fmt(r.p99, r.unit).padStart(10)}  ${String(r.n).padStart(7)}`)
