/**
 * `npm run conformance -w @signoff/rego -- [ROOT…] [--only a,b] [--verbose]`
 * Prints a table per directory and, as its last line, a JSON summary.
 */
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { listDirs, loadCases, runCase, type CaseResult } from './runner.js'

const here = dirname(fileURLToPath(import.meta.url))
export const SHARED_SUITE = join(here, '../../../../../shared/opa-conformance')

const args = process.argv.slice(2)
const roots: string[] = []
let only: Set<string> | undefined
let verbose = false
for (let i = 0; i < args.length; i++) {
  const a = args[i]!
  if (a === '--only') only = new Set(args[++i]!.split(',').map((s) => s.trim()))
  else if (a.startsWith('--only=')) only = new Set(a.slice(7).split(','))
  else if (a === '--verbose' || a === '-v') verbose = true
  else roots.push(a)
}
if (roots.length === 0) roots.push(SHARED_SUITE)

const dirs: Record<string, { passed: number; total: number }> = {}
let passed = 0
let total = 0
const failures: CaseResult[] = []
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

if (verbose) {
  for (const f of failures) {
    console.log(`FAIL ${f.file} :: ${f.note}\n  expected: ${f.expected?.replace(/\n/g, '\n            ')}\n  actual:   ${f.actual?.replace(/\n/g, '\n            ')}`)
  }
}
const width = Math.max(10, ...Object.keys(dirs).map((d) => d.length))
console.log(`${'directory'.padEnd(width)}  passed  total`)
for (const [d, s] of Object.entries(dirs)) {
  const mark = s.passed === s.total ? ' ' : '*'
  console.log(`${d.padEnd(width)}  ${String(s.passed).padStart(6)}  ${String(s.total).padStart(5)} ${mark}`)
}
console.log(JSON.stringify({ passed, failed: total - passed, total, dirs }))
