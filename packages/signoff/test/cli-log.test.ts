import { strict as assert } from 'node:assert'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import Database from 'better-sqlite3'
import { loadConfig } from '../src/config/index.js'
import { createServices } from '../src/services/index.js'
import { Store } from '../src/store/index.js'
import { runCli } from './cli-fake-io.js'

let dir: string
let config: string
let dbFile: string

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'signoff-cli-log-'))
  dbFile = join(dir, 'signoff.db')
  config = join(dir, 'signoff.yaml')
  writeFileSync(config, `database: sqlite:${dbFile}\n`)
})

after(() => rmSync(dir, { recursive: true, force: true }))

describe('cli: db migrate', () => {
  it('creates the schema, then reports it up to date', async () => {
    const first = await runCli(['db', 'migrate', '--config', config])
    assert.equal(first.code, 0, first.stderr)
    assert.match(first.stdout, /^applied \d{12}-[a-z-]+\n/)
    assert.ok(existsSync(dbFile))
    const again = await runCli(['db', 'migrate', '-c', config])
    assert.equal(again.stdout, 'database is up to date\n')
  })

  it('names the key of an invalid configuration, exit 3', async () => {
    const bad = join(dir, 'bad.yaml')
    writeFileSync(bad, 'database: mysql://x\n')
    const r = await runCli(['db', 'migrate', '-c', bad])
    assert.equal(r.code, 3)
    assert.match(r.stderr, /database/)
  })
})

describe('cli: log verify and export', { timeout: 60_000 }, () => {
  before(async () => {
    const cfg = loadConfig({ file: config, env: {} })
    const store = await Store.open(cfg.database)
    await store.migrate()
    const services = await createServices({ config: cfg, store })
    const loaded = await services.policyHost!.load()
    assert.ok(loaded.ok, JSON.stringify(loaded))
    const ci = { subject: 'ci@example.com', scopes: ['request' as const] }
    const a = await services.requests.create({ input: { resource: 'production', action: 'deploy' } }, ci)
    assert.equal(a.request.status, 'pending')
    await services.requests.decide(a.request.id, { approver: 'alice@example.com', decision: 'approve', comment: 'ok', via: 'api' })
    await services.requests.create({ input: { resource: 'staging' } }, ci)
    await services.worker.stop()
    await store.close()
  })

  it('reports an intact chain, exit 0', async () => {
    const r = await runCli(['log', 'verify', '-c', config])
    assert.equal(r.code, 0, r.stderr)
    assert.match(r.stdout, /^decision log OK: [3-9] entries, head [0-9a-f]{64}, 0 signed checkpoints\n$/)
  })

  it('exports OPA decision-log events as JSON lines', async () => {
    const r = await runCli(['log', 'export', '-c', config])
    assert.equal(r.code, 0, r.stderr)
    const events = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>)
    assert.ok(events.length >= 3)
    for (const e of events) {
      for (const k of ['decision_id', 'path', 'input', 'result', 'timestamp', 'labels']) assert.ok(k in e, `${k} in every event`)
      assert.equal(e.path, 'approvals')
    }
    assert.deepEqual(events[0]!.input, { resource: 'production', action: 'deploy' })
    assert.match(r.stderr, new RegExp(`exported ${events.length} events`))
    const file = await runCli(['log', 'export', '-c', config, '-o', join(dir, 'log.jsonl')])
    assert.equal(file.code, 0)
    assert.equal(readFileSync(join(dir, 'log.jsonl'), 'utf8'), r.stdout)
  })

  it('names the first entry after a row is edited in the database, exit 1', async () => {
    const db = new Database(dbFile)
    const second = db.prepare('SELECT seq, id FROM decision_log ORDER BY seq LIMIT 1 OFFSET 1').get() as { seq: number; id: string }
    db.prepare("UPDATE decision_log SET actor = 'mallory@example.com' WHERE seq = ?").run(second.seq)
    db.close()
    const r = await runCli(['log', 'verify', '-c', config])
    assert.equal(r.code, 1)
    assert.match(r.stdout, new RegExp(`^decision log BROKEN at entry ${second.seq} \\(${second.id}\\): `))
  })
})
