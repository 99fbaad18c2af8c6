/**
 * `npm run conformance -w @signoff/rego -- [ROOT…] [--only a,b] [--verbose] [--update-passing]`
 * Prints a table per directory and, as its last line, a JSON summary. `--update-passing`
 * rewrites passing.txt (the ratchet `npm test` enforces) from a run over the shared suite.
 */
import { writeFileSync } from 'node:fs'
import { fullyPassing, runSuite } from './runner.js'
import { PASSING_FILE, SHARED_SUITE } from './paths.js'

const args = process.argv.slice(2)
const roots: string[] = []
let only: Set<string> | undefined
let verbose = false
let update = false
for (let i = 0; i < args.length; i++) {
  const a = args[i]!
  if (a === '--only') only = new Set(args[++i]!.split(',').map((s) => s.trim()))
  else if (a.startsWith('--only=')) only = new Set(a.slice(7).split(','))
  else if (a === '--verbose' || a === '-v') verbose = true
  else if (a === '--update-passing') update = true
  else roots.push(a)
}
if (roots.length === 0) roots.push(SHARED_SUITE)

const result = runSuite(roots, only)
if (verbose) {
  for (const f of result.failures) {
    console.log(`FAIL ${f.file} :: ${f.note}\n  expected: ${f.expected?.replace(/\n/g, '\n            ')}\n  actual:   ${f.actual?.replace(/\n/g, '\n            ')}`)
  }
}
const width = Math.max(10, ...Object.keys(result.dirs).map((d) => d.length))
console.log(`${'directory'.padEnd(width)}  passed  total`)
for (const [d, s] of Object.entries(result.dirs)) {
  const mark = s.passed === s.total ? ' ' : '*'
  console.log(`${d.padEnd(width)}  ${String(s.passed).padStart(6)}  ${String(s.total).padStart(5)} ${mark}`)
}
if (update) {
  if (only || roots[0] !== SHARED_SUITE || roots.length !== 1) {
    console.error('--update-passing needs a full run over the shared suite (no ROOT, no --only)')
    process.exit(2)
  }
  writeFileSync(PASSING_FILE, fullyPassing(result).join('\n') + '\n')
  console.error(`wrote ${PASSING_FILE}`)
}
console.log(JSON.stringify({ passed: result.passed, failed: result.total - result.passed, total: result.total, dirs: result.dirs }))
