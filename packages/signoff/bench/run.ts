/**
 * `npm run bench -w signoff`: a bare Fastify route, then POST /v1/requests on the allowed path and
 * on the pending path (SQLite), each in its own child process, loaded by autocannon from this one.
 * Prints req/s, p99 latency and the ratio to the bare route, and checks the targets.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { createRequire } from 'node:module'
import { BENCH_TOKEN } from './target.js'

interface CannonResult {
  requests: { average: number; total: number }
  latency: { p99: number; average: number }
  non2xx: number
  errors: number
}
type Cannon = (opts: Record<string, unknown>) => Promise<CannonResult>
const autocannon = createRequire(import.meta.url)('autocannon') as Cannon

const DURATION = Number(process.env['BENCH_DURATION'] ?? 8)
const CONNECTIONS = Number(process.env['BENCH_CONNECTIONS'] ?? 10)

async function startTarget(mode: string): Promise<{ port: number; child: ChildProcess }> {
  // The targets run the compiled JavaScript, as production does (a TypeScript loader would add
  // its own per-closure overhead to every measurement).
  const child = spawn(process.execPath, [new URL('./target.js', import.meta.url).pathname, mode], { stdio: ['ignore', 'pipe', 'inherit'] })
  const port = await new Promise<number>((resolve, reject) => {
    let out = ''
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString()
      const m = /READY (\d+)/.exec(out)
      if (m) resolve(Number(m[1]))
    })
    child.once('exit', (code) => reject(new Error(`target ${mode} exited with ${code}`)))
  })
  return { port, child }
}

async function load(port: number, path: string, body: unknown, auth: boolean): Promise<CannonResult> {
  const opts = {
    url: `http://127.0.0.1:${port}${path}`,
    method: 'POST',
    connections: CONNECTIONS,
    duration: DURATION,
    headers: { 'content-type': 'application/json', ...(auth ? { authorization: `Bearer ${BENCH_TOKEN}` } : {}) },
    body: JSON.stringify(body),
  }
  await autocannon({ ...opts, duration: 1 }) // warm-up (JIT, SQLite page cache)
  return autocannon(opts)
}

async function main(): Promise<void> {
  const rows: Array<{ name: string; r: CannonResult }> = []
  const bare = await startTarget('bare')
  try {
    rows.push({ name: 'bare Fastify route', r: await load(bare.port, '/bare', { input: { environment: 'dev' } }, false) })
  } finally {
    bare.child.kill()
  }
  const app = await startTarget('signoff')
  try {
    rows.push({ name: 'POST /v1/requests allowed', r: await load(app.port, '/v1/requests', { input: { environment: 'dev', service: 'api' } }, true) })
    rows.push({ name: 'POST /v1/requests pending', r: await load(app.port, '/v1/requests', { input: { environment: 'production', service: 'api' } }, true) })
  } finally {
    app.child.kill()
  }
  const base = rows[0]!.r.requests.average
  const lines = [
    `autocannon: ${CONNECTIONS} connections, ${DURATION}s per target, Node ${process.version}`,
    '',
    '| target | req/s | p99 ms | avg ms | vs bare | non-2xx |',
    '|---|---:|---:|---:|---:|---:|',
    ...rows.map(({ name, r }) => `| ${name} | ${r.requests.average.toFixed(0)} | ${r.latency.p99} | ${r.latency.average.toFixed(2)} | ${((r.requests.average / base) * 100).toFixed(1)}% | ${r.non2xx + r.errors} |`),
  ]
  const [, allowed, pending] = rows
  const checks = [
    [`allowed path ≥ 40% of bare`, allowed!.r.requests.average >= 0.4 * base],
    [`pending path ≥ 1000 req/s`, pending!.r.requests.average >= 1000],
    [`p99 < 50 ms on every signoff path`, allowed!.r.latency.p99 < 50 && pending!.r.latency.p99 < 50],
    [`no errors`, rows.every(({ r }) => r.non2xx + r.errors === 0)],
  ] as const
  lines.push('', ...checks.map(([what, ok]) => `${ok ? 'PASS' : 'MISS'}  ${what}`))
  process.stdout.write(lines.join('\n') + '\n')
}

void main()
