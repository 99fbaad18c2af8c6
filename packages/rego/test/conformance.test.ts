import assert from 'node:assert/strict'
import { existsSync, readFileSync } from 'node:fs'
import { test } from 'node:test'
import { OWN_CASES, PASSING_FILE, SHARED_SUITE } from './conformance/paths.js'
import { fullyPassing, runSuite } from './conformance/runner.js'

test('OPA conformance: every directory in passing.txt passes, and the list is complete', () => {
  assert.ok(existsSync(SHARED_SUITE), `OPA's suite not found at ${SHARED_SUITE}`)
  const listed = readFileSync(PASSING_FILE, 'utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'))
  const result = runSuite([SHARED_SUITE])
  const passing = new Set(fullyPassing(result))
  const regressed = listed.filter((d) => !passing.has(d))
  const failuresIn = (d: string) => result.failures.filter((f) => f.dir === d).map((f) => `  ${f.file} :: ${f.note}\n    expected: ${f.expected}\n    actual:   ${f.actual}`)
  assert.deepEqual(regressed, [], `directories in passing.txt that now fail:\n${regressed.flatMap(failuresIn).join('\n')}`)
  const unlisted = [...passing].filter((d) => !listed.includes(d))
  assert.deepEqual(unlisted, [], 'directories that now pass fully: run `npm run conformance -w @signoff/rego -- --update-passing` and commit passing.txt')
})

test('our own conformance cases (test/cases) all pass', () => {
  const result = runSuite([OWN_CASES])
  assert.ok(result.total > 0, 'test/cases holds no cases')
  assert.deepEqual(result.failures.map((f) => `${f.file} :: ${f.note}\n  expected: ${f.expected}\n  actual:   ${f.actual}`), [])
})
