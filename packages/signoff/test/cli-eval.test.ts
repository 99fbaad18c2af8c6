import { strict as assert } from 'node:assert'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { runCli } from './cli-fake-io.js'

let dir: string

const SEED_V0 = `package approvals
allow { input.resource == "production"; input.approved == true }
deny  { input.resource == "production"; not input.approved }
`
const SEED_V1 = `package approvals
allow if { input.resource == "production"; input.approved == true }
deny if { input.resource == "production"; not input.approved }
`
const TESTS_V1 = `package approvals_test
import data.approvals
test_allowed_when_approved if approvals.allow with input as {"resource": "production", "approved": true}
test_denied_without_approval if approvals.deny with input as {"resource": "production"}
test_staging_is_not_denied if not approvals.deny with input as {"resource": "staging"}
`

const home = process.cwd()

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'signoff-cli-eval-'))
  // File names in messages are shown as typed, relative to the process's directory.
  process.chdir(dir)
  mkdirSync(join(dir, 'v0'))
  mkdirSync(join(dir, 'v1/limits'), { recursive: true })
  writeFileSync(join(dir, 'v0/approvals.rego'), SEED_V0)
  writeFileSync(join(dir, 'v1/approvals.rego'), SEED_V1)
  writeFileSync(join(dir, 'v1/approvals_test.rego'), TESTS_V1)
  writeFileSync(join(dir, 'v1/limits/data.json'), JSON.stringify({ max: 3, teams: ['sre', 'dev'] }))
  writeFileSync(join(dir, 'approved.json'), JSON.stringify({ resource: 'production', approved: true }))
  writeFileSync(join(dir, 'pending.yaml'), 'resource: production\n')
  writeFileSync(join(dir, 'broken.rego'), 'package broken\nallow if {\n  input.x ==\n}\n')
  writeFileSync(join(dir, 'failing_test.rego'), 'package failing\ntest_yes if true\ntest_no if false\ntest_undefined if input.nothing\n')
})

after(() => {
  process.chdir(home)
  rmSync(dir, { recursive: true, force: true })
})

describe('cli: eval', () => {
  it('evaluates the seed policy (Rego v0) like opa eval --format json', async () => {
    const r = await runCli(['eval', '--v0-compatible', '-d', 'v0', '-i', 'approved.json', 'data.approvals.allow'], { cwd: dir })
    assert.equal(r.code, 0, r.stderr)
    assert.deepEqual(JSON.parse(r.stdout), { result: [{ expressions: [{ value: true, text: 'data.approvals.allow', location: { row: 1, col: 1 } }] }] })
  })

  it('prints {} for an undefined result and reads YAML input', async () => {
    const r = await runCli(['eval', '-d', 'v1', '-i', 'pending.yaml', 'data.approvals.allow'], { cwd: dir })
    assert.equal(r.code, 0, r.stderr)
    assert.deepEqual(JSON.parse(r.stdout), {})
    const deny = await runCli(['eval', '-d', 'v1', '-i', 'pending.yaml', '--format', 'pretty', 'data.approvals.deny'], { cwd: dir })
    assert.equal(deny.stdout, 'true\n')
  })

  it('places data files at their directory path and prints pretty values and tables', async () => {
    const v = await runCli(['eval', '-d', 'v1', '-f', 'pretty', 'data.limits'], { cwd: dir })
    assert.equal(v.stdout, '{\n  "max": 3,\n  "teams": [\n    "sre",\n    "dev"\n  ]\n}\n')
    const t = await runCli(['eval', '-d', 'v1', '-f', 'pretty', 'some t in data.limits.teams; u := upper(t)'], { cwd: dir })
    assert.equal(t.code, 0, t.stderr)
    assert.equal(t.stdout, ['+-------+-------+', '| t     | u     |', '+-------+-------+', '| "sre" | "SRE" |', '| "dev" | "DEV" |', '+-------+-------+', ''].join('\n'))
    const j = await runCli(['eval', '-d', 'v1', 'x := data.limits.max'], { cwd: dir })
    assert.deepEqual(JSON.parse(j.stdout).result[0].bindings, { x: 3 })
  })

  it('reports every expression with its location, capturing term values (false too) as opa eval does', async () => {
    const r = await runCli(['eval', '-d', 'v1', 'x := data.limits.max; data.approvals.allow with input as {"resource": "x"}\nfalse'], { cwd: dir })
    assert.equal(r.code, 0, r.stderr)
    assert.deepEqual(JSON.parse(r.stdout), {})
    const ok = await runCli(['eval', '-d', 'v1', 'x := data.limits.max; data.approvals.deny with input as {"resource": "production"}\n  false # a comment; not a separator'], { cwd: dir })
    assert.deepEqual(JSON.parse(ok.stdout), {
      result: [
        {
          expressions: [
            { value: true, text: 'x := data.limits.max', location: { row: 1, col: 1 } },
            { value: true, text: 'data.approvals.deny with input as {"resource": "production"}', location: { row: 1, col: 23 } },
            { value: false, text: 'false', location: { row: 2, col: 3 } },
          ],
          bindings: { x: 3 },
        },
      ],
    })
    const cmp = await runCli(['eval', '1 > 2'], { cwd: dir })
    assert.deepEqual(JSON.parse(cmp.stdout), {}, 'a failed comparison is undefined, not false')
    assert.equal((await runCli(['eval', '  '], { cwd: dir })).code, 3)
  })

  it('reads the input from standard input with -I', async () => {
    const r = await runCli(['eval', '-d', 'v1', '-I', '-f', 'pretty', 'data.approvals.allow'], { cwd: dir, stdin: '{"resource":"production","approved":true}' })
    assert.equal(r.code, 0, r.stderr)
    assert.equal(r.stdout, 'true\n')
    assert.equal((await runCli(['eval', '-d', 'v1', '-I', '-i', 'approved.json', 'data'], { cwd: dir })).code, 3)
  })

  it('names file:row:col for a policy that does not parse, exit 3', async () => {
    const r = await runCli(['eval', '-d', 'broken.rego', 'data.broken.allow'], { cwd: dir })
    assert.equal(r.code, 3)
    assert.match(r.stderr, /^signoff: broken\.rego:\d+:\d+: rego_parse_error: /)
  })

  it('refuses a bad format and missing files with exit 3', async () => {
    assert.equal((await runCli(['eval', '-f', 'xml', 'data'], { cwd: dir })).code, 3)
    const missing = await runCli(['eval', '-d', 'nope', 'data'], { cwd: dir })
    assert.equal(missing.code, 3)
    assert.match(missing.stderr, /^signoff: nope: no such file/)
  })
})

describe('cli: test', () => {
  it('runs test_ rules and prints PASS lines and a summary, exit 0', async () => {
    const r = await runCli(['test', 'v1'], { cwd: dir })
    assert.equal(r.code, 0, r.stdout + r.stderr)
    const lines = r.stdout.split('\n')
    assert.equal(lines[0], 'v1/approvals_test.rego:')
    assert.match(lines[1]!, /^data\.approvals_test\.test_allowed_when_approved: PASS \(/)
    assert.match(lines[2]!, /^data\.approvals_test\.test_denied_without_approval: PASS \(/)
    assert.match(lines[3]!, /^data\.approvals_test\.test_staging_is_not_denied: PASS \(/)
    assert.ok(r.stdout.endsWith('PASS: 3/3\n'))
  })

  it('reports false and undefined tests as FAIL, exit 1; --run filters', async () => {
    const r = await runCli(['test', 'failing_test.rego'], { cwd: dir })
    assert.equal(r.code, 1)
    assert.match(r.stdout, /data\.failing\.test_yes: PASS/)
    assert.match(r.stdout, /data\.failing\.test_no: FAIL/)
    assert.match(r.stdout, /data\.failing\.test_undefined: FAIL/)
    assert.match(r.stdout, /PASS: 1\/3\nFAIL: 2\/3\n$/)
    const only = await runCli(['test', '--run', 'yes$', 'failing_test.rego'], { cwd: dir })
    assert.equal(only.code, 0)
    assert.ok(!only.stdout.includes('test_no'))
  })

  it('exits 3 when nothing loads or no test matches', async () => {
    assert.equal((await runCli(['test', 'broken.rego'], { cwd: dir })).code, 3)
    const none = await runCli(['test', 'v0', '--v0-compatible'], { cwd: dir })
    assert.equal(none.code, 3)
    assert.match(none.stderr, /no tests found/)
  })
})
