import { strict as assert } from 'node:assert'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, it } from 'node:test'
import { exitCodeForStatus } from '../src/cli/exit-code.js'
import { formatDuration, parseDuration } from '../src/cli/parse-duration.js'
import { runCli } from './cli-fake-io.js'

describe('cli: command table', () => {
  it('lists every command in --help, exit 0', async () => {
    const r = await runCli(['--help'])
    assert.equal(r.code, 0)
    for (const c of ['serve', 'request', 'approve', 'reject', 'cancel', 'eval', 'test', 'log', 'db']) assert.match(r.stdout, new RegExp(`\\n  ${c}\\b`))
    const log = await runCli(['log', '--help'])
    assert.match(log.stdout, /verify/)
    assert.match(log.stdout, /export/)
    assert.match((await runCli(['db', '--help'])).stdout, /migrate/)
  })

  it('prints the package version', async () => {
    const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
    const r = await runCli(['--version'])
    assert.equal(r.code, 0)
    assert.equal(r.stdout, `${version}\n`)
  })

  it('exits 3 on an unknown command or option, naming it', async () => {
    const r = await runCli(['deploy'])
    assert.equal(r.code, 3)
    assert.match(r.stderr, /unknown command 'deploy'/)
    const o = await runCli(['eval', '--nope', 'data'])
    assert.equal(o.code, 3)
    assert.match(o.stderr, /unknown option '--nope'/)
  })
})

describe('cli: serve', () => {
  it('refuses an invalid configuration before starting, naming the key, exit 3', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'signoff-cli-serve-'))
    try {
      writeFileSync(join(dir, 'signoff.yaml'), 'port: 8686\nlisten: 0.0.0.0\n')
      const r = await runCli(['serve', '--config', join(dir, 'signoff.yaml')], { env: {} })
      assert.equal(r.code, 3)
      assert.match(r.stderr, /^signoff: .*listen.*unknown key/)
      const p = await runCli(['serve', '--config', join(dir, 'missing.yaml')], { env: {} })
      assert.equal(p.code, 3)
      assert.match(p.stderr, /missing\.yaml/)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('cli: the executable', () => {
  it('bin/signoff.js runs the built CLI (eval on the bundled seed policy)', () => {
    const bin = fileURLToPath(new URL('../bin/signoff.js', import.meta.url))
    const seed = fileURLToPath(new URL('../../../examples/seed/approvals.rego', import.meta.url))
    const r = spawnSync(process.execPath, [bin, 'eval', '--v0-compatible', '-d', seed, '-f', 'pretty', 'data.approvals.deny with input as {"resource": "production"}'], {
      input: '',
      encoding: 'utf8',
      timeout: 120_000,
      env: { ...process.env, NODE_OPTIONS: '' },
    })
    assert.equal(r.status, 0, r.stderr)
    assert.equal(r.stdout, 'true\n', 'an unapproved production deploy is denied')
  })
})

describe('cli: exit codes and durations', () => {
  it('maps every status to its exit code', () => {
    const table = Object.fromEntries(['approved', 'allowed', 'rejected', 'denied', 'cancelled', 'expired', 'pending', 'weird'].map((s) => [s, exitCodeForStatus(s)]))
    assert.deepEqual(table, { approved: 0, allowed: 0, rejected: 1, denied: 1, cancelled: 1, expired: 2, pending: null, weird: 3 })
  })

  it('parses and formats durations', () => {
    assert.equal(parseDuration('90', '--timeout'), 90_000)
    assert.equal(parseDuration('1h30m', '--timeout'), 5_400_000)
    assert.equal(parseDuration('250ms', '--timeout'), 250)
    assert.equal(parseDuration('1.5s', '--timeout'), 1500)
    assert.throws(() => parseDuration('1x', '--timeout'), /--timeout: not a duration: "1x"/)
    assert.throws(() => parseDuration('5m junk', '--timeout'), /not a duration/)
    assert.equal(formatDuration(3_725_000), '1h 2m')
    assert.equal(formatDuration(65_000), '1m 5s')
    assert.equal(formatDuration(-5), '0s')
  })
})
