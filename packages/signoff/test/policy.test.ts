import { strict as assert } from 'node:assert'
import { execFileSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { SignoffError } from '../src/domain/index.js'
import { PolicyHost, type PolicyLoadResult } from '../src/policy/index.js'
import { richPolicy, tempDir } from './fixtures.js'

const EXAMPLES = new URL('../../../examples/', import.meta.url).pathname
const defaults = { approvers: ['group:sre'], minApprovals: 1, channels: ['web'], timeoutMs: 3_600_000 }

function host(paths: string[], pkg: string, regoVersion: 0 | 1 = 1, onLoad?: (r: PolicyLoadResult) => void): PolicyHost {
  return new PolicyHost({ paths, package: pkg, regoVersion, defaults, ...(onLoad ? { onLoad } : {}) })
}

const NOW = Date.UTC(2026, 0, 1)

describe('policy: seed form', () => {
  it('is the article policy exactly, in Rego v0', () => {
    assert.equal(
      readFileSync(join(EXAMPLES, 'seed/approvals.rego'), 'utf8'),
      'package approvals\nallow { input.resource == "production"; input.approved == true }\ndeny  { input.resource == "production"; not input.approved }\n',
    )
  })

  for (const [name, file, version] of [
    ['v0 seed', 'seed/approvals.rego', 0],
    ['v1 translation', 'v1/approvals.rego', 1],
  ] as const) {
    it(`${name}: needs approval for production, allows once approved, denies the rest`, async () => {
      const h = host([join(EXAMPLES, file)], 'approvals', version)
      const r = await h.load()
      assert.ok(r.ok, JSON.stringify(r))
      assert.equal(h.form, 'seed')
      const pending = h.evaluate({ resource: 'production', approved: false }, NOW)
      assert.equal(pending.kind, 'approval')
      assert.deepEqual(pending.kind === 'approval' && pending.spec, { ...defaults, selfApproval: false, grantTtlMs: null })
      assert.equal(h.evaluate({ resource: 'production', approved: true }, NOW).kind, 'allow')
      assert.equal(h.evaluate({ resource: 'staging', approved: false }, NOW).kind, 'deny')
    })
  }

  it('v0 syntax fails to parse as v1 and the error names file:row:col', async () => {
    const h = host([join(EXAMPLES, 'seed/approvals.rego')], 'approvals', 1)
    const r = await h.load()
    assert.equal(r.ok, false)
    assert.match(!r.ok ? r.problems[0]!.message : '', /approvals\.rego:2:\d+: rego_parse_error/)
  })
})

describe('policy: rich form', () => {
  it('reads allow, deny with reason, and approval details', async () => {
    const h = host([join(EXAMPLES, 'rich')], 'signoff')
    assert.ok((await h.load()).ok)
    assert.equal(h.form, 'rich')
    assert.equal(h.evaluate({ environment: 'dev', approved: false }, NOW).kind, 'allow')
    const p = h.evaluate({ environment: 'production', approved: false }, NOW)
    assert.equal(p.kind, 'approval')
    if (p.kind !== 'approval') return
    assert.equal(p.reason, 'production deploys need two SREs')
    assert.deepEqual(p.spec, { approvers: ['group:sre'], minApprovals: 2, channels: ['web'], timeoutMs: 3_600_000, selfApproval: false, grantTtlMs: 1_800_000 })
    assert.equal(h.evaluate({ environment: 'production', approved: true }, NOW).kind, 'allow')
  })

  it('an undefined decision denies; a malformed one is a policy error, never an allow', async () => {
    const dir = tempDir({ 'p.rego': richPolicy() + '\ndecision := "yes" if input.environment == "odd"\n' })
    const h = host([dir], 'signoff')
    assert.ok((await h.load()).ok)
    const d = h.evaluate({ environment: 'friday' }, NOW)
    assert.equal(d.kind, 'deny')
    assert.equal(d.reason, 'never on friday')
    assert.equal(h.evaluate({ environment: 'nowhere' }, NOW).kind, 'deny')
    assert.throws(() => h.evaluate({ environment: 'odd' }, NOW), (e: unknown) => e instanceof SignoffError && e.code === 'SIGNOFF_POLICY_ERROR')
  })

  it('a package with neither allow nor decision is a policy error', async () => {
    const h = host([tempDir({ 'p.rego': 'package signoff\nsomething := true\n' })], 'signoff')
    assert.ok((await h.load()).ok)
    assert.equal(h.form, 'none')
    assert.throws(() => h.evaluate({}, NOW), /neither a decision rule nor an allow rule/)
  })

  it('refuses to evaluate before any policy loaded', () => {
    assert.throws(() => host(['/nonexistent'], 'signoff').evaluate({}, NOW), (e: unknown) => e instanceof SignoffError && e.code === 'SIGNOFF_POLICY_NOT_LOADED')
  })
})

describe('policy: sources and reloads', () => {
  it('merges data.json and data.yaml at their folder paths', async () => {
    const dir = tempDir({
      'p.rego': 'package signoff\nimport rego.v1\ndecision := {"allow": input.user in data.admins} if true\nsize := data.limits.max\n',
      'data.json': '{"admins": ["ann"]}',
    })
    execFileSync('mkdir', ['-p', join(dir, 'limits')])
    writeFileSync(join(dir, 'limits', 'data.yaml'), 'max: 3\n')
    const h = host([dir], 'signoff')
    const r = await h.load()
    assert.ok(r.ok, JSON.stringify(r))
    assert.equal(h.evaluate({ user: 'ann' }, NOW).kind, 'allow')
    assert.equal(h.evaluate({ user: 'bob' }, NOW).kind, 'deny')
  })

  it('loads an OPA bundle (.tar.gz) whose manifest says rego_version 0', async () => {
    const src = tempDir({
      '.manifest': JSON.stringify({ revision: 'r1', roots: ['approvals'], rego_version: 0 }),
      'approvals.rego': readFileSync(join(EXAMPLES, 'seed/approvals.rego'), 'utf8'),
      'data.json': '{"approvals_meta": {"owner": "sre"}}',
    })
    const bundle = join(tempDir(), 'bundle.tar.gz')
    execFileSync('tar', ['czf', bundle, '-C', src, '.manifest', 'approvals.rego', 'data.json'])
    const h = host([bundle], 'approvals', 1)
    const r = await h.load()
    assert.ok(r.ok, JSON.stringify(r))
    assert.equal(h.evaluate({ resource: 'production', approved: false }, NOW).kind, 'approval')
  })

  it('a broken reload keeps the working policy and reports file:row:col; a fixed one replaces it', async () => {
    const dir = tempDir({ 'p.rego': richPolicy() })
    const h = host([dir], 'signoff')
    const first = await h.load()
    assert.ok(first.ok)
    writeFileSync(join(dir, 'p.rego'), 'package signoff\ndecision := {"allow": true} if {\n  input.x ==\n}\n')
    const bad = await h.load()
    assert.equal(bad.ok, false)
    assert.match(!bad.ok ? bad.problems[0]!.message : '', /p\.rego:\d+:\d+: rego_parse_error/)
    assert.equal(h.revision, first.ok ? first.revision : null)
    assert.equal(h.evaluate({ environment: 'dev' }, NOW).kind, 'allow')
    assert.equal(h.evaluate({ environment: 'production', approved: false }, NOW).kind, 'approval')
    writeFileSync(join(dir, 'p.rego'), 'package signoff\ndecision := {"allow": true}\n')
    const fixed = await h.load()
    assert.ok(fixed.ok)
    assert.notEqual(h.revision, first.ok ? first.revision : null)
    assert.equal(h.evaluate({ environment: 'production', approved: false }, NOW).kind, 'allow')
  })

  it('a compile error (unsafe variable) is reported with its location', async () => {
    const h = host([tempDir({ 'p.rego': 'package signoff\ndecision := {"allow": x} if {\n  true\n}\n' })], 'signoff')
    const r = await h.load()
    assert.equal(r.ok, false)
    assert.match(!r.ok ? r.problems.map((p) => p.message).join('\n') : '', /p\.rego:2:\d+: rego_\w+_error/)
  })

  it('reloads by itself when a watched file changes', async () => {
    const dir = tempDir({ 'p.rego': 'package signoff\ndecision := {"allow": false}\n' })
    const loads: PolicyLoadResult[] = []
    const h = host([dir], 'signoff', 1, (r) => loads.push(r))
    await h.load()
    h.watch()
    try {
      await new Promise((r) => setTimeout(r, 50))
      writeFileSync(join(dir, 'p.rego'), 'package signoff\ndecision := {"allow": true}\n')
      for (let i = 0; i < 100 && h.evaluate({}, NOW).kind !== 'allow'; i++) await new Promise((r) => setTimeout(r, 50))
      assert.equal(h.evaluate({}, NOW).kind, 'allow')
      assert.ok(loads.length >= 2)
    } finally {
      h.close()
    }
  })
})
