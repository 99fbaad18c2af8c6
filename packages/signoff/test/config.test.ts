import { strict as assert } from 'node:assert'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { BUNDLED_POLICY, loadConfig } from '../src/config/index.js'
import { SignoffError } from '../src/domain/index.js'
import { tempDir } from './fixtures.js'

function fails(fn: () => unknown, key: string): SignoffError {
  try {
    fn()
  } catch (e) {
    assert.ok(e instanceof SignoffError, String(e))
    assert.equal(e.code, 'SIGNOFF_CONFIG_INVALID')
    assert.equal((e.details as { key: string }).key, key)
    assert.ok(e.message.includes(key), e.message)
    return e
  }
  assert.fail('expected a configuration error')
}

describe('configuration', () => {
  it('defaults to the embedded setup: SQLite, port 8686, the bundled seed policy', () => {
    const c = loadConfig({ file: null, env: {} })
    assert.equal(c.port, 8686)
    assert.equal(c.database, 'sqlite:./signoff.db')
    assert.deepEqual(c.policy.paths, [BUNDLED_POLICY])
    assert.equal(c.policy.package, 'approvals')
    assert.equal(c.policy.rego_version, 0)
    assert.equal(c.defaults.timeout, 3_600_000)
    assert.deepEqual(c.defaults.channels, ['web'])
    assert.ok(Object.isFrozen(c) && Object.isFrozen(c.policy) && Object.isFrozen(c.defaults.approvers))
  })

  it('reads signoff.yaml and resolves policy paths against its folder; env overrides the file', () => {
    const dir = tempDir({
      'signoff.yaml': `port: 9000
public_url: http://example.test:9000/
policy:
  paths: [./policies]
  package: approvals
defaults:
  approvers: ["group:sre"]
  min_approvals: 2
  timeout: 30m
groups:
  sre: [alice@example.com]
tokens:
  - { token: "0123456789abcdef0123", subject: "ci@example.com", scopes: [request] }
`,
    })
    const c = loadConfig({ file: join(dir, 'signoff.yaml'), env: { SIGNOFF_PORT: '9100', SIGNOFF_POLICY_PACKAGE: 'other' } })
    assert.equal(c.port, 9100)
    assert.equal(c.public_url, 'http://example.test:9000')
    assert.deepEqual(c.policy.paths, [join(dir, 'policies')])
    assert.equal(c.policy.package, 'other')
    assert.equal(c.policy.rego_version, 1)
    assert.equal(c.defaults.min_approvals, 2)
    assert.equal(c.defaults.timeout, 1_800_000)
    assert.equal(c.tokens[0]!.subject, 'ci@example.com')
  })

  it('takes every top-level scalar from SIGNOFF_* variables', () => {
    const c = loadConfig({
      file: null,
      env: { SIGNOFF_DATABASE: 'postgres://u@h:5432/db', SIGNOFF_PUBLIC_URL: 'https://s.example', SIGNOFF_POLICY_PATHS: '/a, /b', SIGNOFF_LOG_LEVEL: 'warn' },
    })
    assert.equal(c.database, 'postgres://u@h:5432/db')
    assert.equal(c.public_url, 'https://s.example')
    assert.deepEqual(c.policy.paths, ['/a', '/b'])
    assert.equal(c.log_level, 'warn')
  })

  it('names the key of an unknown key or a bad value', () => {
    fails(() => loadConfig({ file: null, env: {}, overrides: { prot: 1 } }), 'prot')
    fails(() => loadConfig({ file: null, env: { SIGNOFF_PORT: 'eighty' } }), 'port')
    fails(() => loadConfig({ file: null, env: {}, overrides: { policy: { pakage: 'x' } } }), 'policy.pakage')
    fails(() => loadConfig({ file: null, env: {}, overrides: { defaults: { timeout: 'soon' } } }), 'defaults.timeout')
    fails(() => loadConfig({ file: null, env: {}, overrides: { tokens: [{ token: '0123456789abcdef0', subject: 's', scopes: ['root'] }] } }), 'tokens[0].scopes')
    fails(() => loadConfig({ file: null, env: {}, overrides: { database: 'mysql://x' } }), 'database')
  })

  it('never puts a secret value in its messages', () => {
    const secret = 'super-secret-token-value-1234'
    const e = fails(() => loadConfig({ file: null, env: {}, overrides: { tokens: [{ token: secret, subject: 's', scopes: ['nope'] }] } }), 'tokens[0].scopes')
    assert.ok(!e.message.includes(secret))
    const e2 = fails(() => loadConfig({ file: null, env: { SIGNOFF_SECRET: 'short-secret' } }), 'secret')
    assert.ok(!e2.message.includes('short-secret'))
  })
})
