import { strict as assert } from 'node:assert'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { runCli } from './cli-fake-io.js'

interface FakeRequest {
  id: string
  status: string
  input: unknown
  reason: string | null
  approval: { min_approvals: number; approvers: string[]; channels: string[] } | null
  expires_at: string
  approvals: { approver: string; decision: string; comment: string | null }[]
  links: { approver: string; url: string }[]
}

/**
 * A fake signoff API (the routes the CLI uses, with real long-polling) so the CLI's exit codes,
 * waiting and output are tested without the service.
 */
class FakeApi {
  readonly server: Server
  readonly requests = new Map<string, FakeRequest>()
  readonly bodies: unknown[] = []
  /** While set, long-polls answer 503 as a restarting server would. */
  unavailable = false
  readonly #waiters = new Map<string, (() => void)[]>()
  #seq = 0

  constructor() {
    this.server = createServer((req, res) => void this.#handle(req, res))
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`
  }

  /** Changes a request's status and wakes its long-polls. */
  set(id: string, status: string, approval?: { approver: string; decision: string }): void {
    const r = this.requests.get(id)!
    r.status = status
    if (approval) r.approvals.push({ ...approval, comment: null })
    for (const wake of this.#waiters.get(id) ?? []) wake()
    this.#waiters.delete(id)
  }

  /** Resolves when the next request is created; returns its id. */
  nextCreated(): Promise<string> {
    const before = this.#seq
    return new Promise((resolve) => {
      const t = setInterval(() => {
        if (this.#seq > before) {
          clearInterval(t)
          resolve(`req_${this.#seq}`)
        }
      }, 10)
    })
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let text = ''
    for await (const c of req) text += c
    const send = (status: number, body: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body))
    }
    if (req.headers.authorization !== 'Bearer tok') return send(401, { code: 'SIGNOFF_UNAUTHENTICATED', message: 'a bearer token is required' })
    const url = new URL(req.url ?? '/', 'http://x')
    const parts = url.pathname.split('/').filter(Boolean)
    if (req.method === 'POST' && url.pathname === '/v1/requests') {
      const body = JSON.parse(text) as { input: { resource?: string } }
      this.bodies.push(body)
      const id = `req_${++this.#seq}`
      const status = body.input.resource === 'staging' ? 'allowed' : body.input.resource === 'forbidden' ? 'denied' : 'pending'
      const r: FakeRequest = {
        id,
        status,
        input: body.input,
        reason: status === 'denied' ? 'nobody deploys there' : null,
        approval: status === 'pending' ? { min_approvals: 1, approvers: ['group:sre'], channels: ['slack:#deploys'] } : null,
        expires_at: new Date(Date.now() + 3_600_000).toISOString(),
        approvals: [],
        links: status === 'pending' && body.input.resource !== 'quiet' ? [{ approver: 'alice@example.com', url: `${this.url}/r/${id}?t=abc` }] : [],
      }
      this.requests.set(id, r)
      return send(201, r)
    }
    const r = parts[0] === 'v1' && parts[1] === 'requests' ? this.requests.get(parts[2] ?? '') : undefined
    if (!r) return send(404, { code: 'SIGNOFF_NOT_FOUND', message: 'no such request' })
    if (req.method === 'GET' && parts.length === 3) return send(200, r)
    if (req.method === 'GET' && parts[3] === 'wait') {
      if (this.unavailable) return send(503, { code: 'SIGNOFF_NOT_READY', message: 'the server is starting' })
      if (r.status !== 'pending') return send(200, r)
      const seconds = Number(url.searchParams.get('timeout'))
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, seconds * 1000)
        const list = this.#waiters.get(r.id) ?? []
        list.push(() => (clearTimeout(t), resolve()))
        this.#waiters.set(r.id, list)
      })
      return send(200, r)
    }
    if (req.method === 'POST' && (parts[3] === 'approve' || parts[3] === 'reject' || parts[3] === 'cancel')) {
      if (r.status !== 'pending') return send(409, { code: 'SIGNOFF_ALREADY_DECIDED', message: `request is ${r.status}` })
      this.set(r.id, parts[3] === 'approve' ? 'approved' : parts[3] === 'reject' ? 'rejected' : 'cancelled', { approver: 'alice@example.com', decision: parts[3] })
      return send(200, r)
    }
    send(404, { code: 'SIGNOFF_NOT_FOUND', message: 'no route' })
  }
}

const api = new FakeApi()
let dir: string
let env: Record<string, string>

before(async () => {
  await new Promise<void>((resolve) => api.server.listen(0, '127.0.0.1', resolve))
  env = { SIGNOFF_URL: api.url, SIGNOFF_TOKEN: 'tok' }
  dir = mkdtempSync(join(tmpdir(), 'signoff-cli-request-'))
  writeFileSync(join(dir, 'input.json'), JSON.stringify({ resource: 'staging', action: 'deploy' }))
})

after(() => {
  api.server.closeAllConnections()
  api.server.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('cli: request', { timeout: 60_000 }, () => {
  it('exits 0 at once when the policy allows', async () => {
    const r = await runCli(['request', '--input', '{"resource":"staging"}', '--wait'], { env })
    assert.equal(r.code, 0, r.stderr)
    assert.equal(r.stdout, 'request req_1: allowed\n')
  })

  it('exits 1 when the policy denies, with its reason', async () => {
    const r = await runCli(['request', '-i', '{"resource":"forbidden"}'], { env })
    assert.equal(r.code, 1)
    assert.match(r.stdout, /: denied · nobody deploys there\n$/)
  })

  it('prints the approval link, waits, and exits 0 when approved', async () => {
    const created = api.nextCreated()
    const run = runCli(['request', '--input', '{"resource":"production","action":"deploy"}', '--wait', '--requester', 'ci@example.com', '--idempotency-key', 'k1'], { env })
    const id = await created
    await new Promise((resolve) => setTimeout(resolve, 300))
    api.set(id, 'approved', { approver: 'alice@example.com', decision: 'approve' })
    const r = await run
    assert.equal(r.code, 0, r.stderr)
    assert.match(r.stdout, new RegExp(`request ${id}: pending · 0 of 1 approval · expires in (59m \\d+s|1h 0m)\\n`))
    assert.ok(r.stdout.includes(`  approve at ${api.url}/r/${id}?t=abc  (for alice@example.com)\n`))
    assert.ok(r.stdout.endsWith(`request ${id}: approved\n`))
    assert.deepEqual(api.bodies.at(-1), { input: { resource: 'production', action: 'deploy' }, requester: 'ci@example.com', idempotency_key: 'k1' })
  })

  it('names who it waits for when the API shows no link', async () => {
    const r = await runCli(['request', '-i', '{"resource":"quiet"}'], { env })
    assert.equal(r.code, 0)
    assert.match(r.stdout, /\n  waiting for group:sre \(slack:#deploys\)\n$/)
  })

  it('keeps waiting through a server restart', async () => {
    const created = api.nextCreated()
    const run = runCli(['request', '-i', '{"resource":"production"}', '--wait'], { env })
    const id = await created
    api.unavailable = true
    api.set(id, 'pending')
    await new Promise((resolve) => setTimeout(resolve, 1500))
    api.unavailable = false
    api.set(id, 'approved', { approver: 'alice@example.com', decision: 'approve' })
    const r = await run
    assert.equal(r.code, 0, r.stdout + r.stderr)
    assert.match(r.stdout, /SIGNOFF_NOT_READY: the server is starting; retrying\n/)
    assert.match(r.stdout, /reconnected\n/)
  })

  it('prints one line per new approval when not on a terminal, not one per poll', async () => {
    const created = api.nextCreated()
    const run = runCli(['request', '-i', '{"resource":"production"}', '--wait'], { env })
    const id = await created
    const r = api.requests.get(id)!
    r.approval = { ...r.approval!, min_approvals: 2 }
    await new Promise((resolve) => setTimeout(resolve, 100))
    api.set(id, 'pending', { approver: 'alice@example.com', decision: 'approve' })
    await new Promise((resolve) => setTimeout(resolve, 400))
    api.set(id, 'pending')
    await new Promise((resolve) => setTimeout(resolve, 400))
    api.set(id, 'approved', { approver: 'bob@example.com', decision: 'approve' })
    const out = (await run).stdout
    assert.equal(out.match(/: pending · 1 of 2 approvals/g)?.length, 1, out)
    assert.ok(out.endsWith(`request ${id}: approved\n`))
  })

  it('exits 1 on rejection and 2 on expiry', async () => {
    for (const [status, code] of [['rejected', 1], ['expired', 2], ['cancelled', 1]] as const) {
      const created = api.nextCreated()
      const run = runCli(['request', '-i', '{"resource":"production"}', '-w'], { env })
      api.set(await created, status)
      assert.equal((await run).code, code, status)
    }
  })

  it('exits 2 when --timeout passes first; the request stays pending', async () => {
    const started = Date.now()
    const r = await runCli(['request', '-i', '{"resource":"production"}', '--wait', '--timeout', '1s'], { env })
    assert.equal(r.code, 2)
    assert.match(r.stdout, /still pending; stopped waiting \(--timeout\)\n$/)
    const took = Date.now() - started
    assert.ok(took >= 900 && took < 5000, `waited ${took} ms`)
  })

  it('draws a live status line on a terminal', async () => {
    const created = api.nextCreated()
    const run = runCli(['request', '-i', '{"resource":"production"}', '--wait'], { env, tty: true })
    const id = await created
    await new Promise((resolve) => setTimeout(resolve, 1200))
    api.set(id, 'approved', { approver: 'alice@example.com', decision: 'approve' })
    const r = await run
    assert.equal(r.code, 0)
    assert.match(r.stdout, /\r\x1b\[2K[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] pending · 0 of 1 approval · expires in .* · waited \ds/)
    assert.ok(r.stdout.endsWith(`\r\x1b[2Krequest ${id}: approved\n`))
  })

  it('reads --input from @file and from standard input; --json prints the request', async () => {
    const fromFile = await runCli(['request', '--input', '@input.json', '--json'], { env, cwd: dir })
    assert.equal(fromFile.code, 0)
    assert.equal(JSON.parse(fromFile.stdout).status, 'allowed')
    assert.match(fromFile.stderr, /: allowed\n$/)
    const fromStdin = await runCli(['request', '--input', '-'], { env, stdin: '{"resource":"forbidden"}' })
    assert.equal(fromStdin.code, 1)
  })

  it('exits 3 on bad input, a refused token or no server', async () => {
    const bad = await runCli(['request', '-i', '{nope'], { env })
    assert.equal(bad.code, 3)
    assert.match(bad.stderr, /--input: the argument is not JSON/)
    assert.equal((await runCli(['request', '-i', '[1]'], { env })).code, 3)
    assert.equal((await runCli(['request', '-i', '@missing.json'], { env, cwd: dir })).code, 3)
    const unauth = await runCli(['request', '-i', '{}', '--token', 'wrong'], { env })
    assert.equal(unauth.code, 3)
    assert.equal(unauth.stderr, 'signoff: SIGNOFF_UNAUTHENTICATED: a bearer token is required\n')
    const down = await runCli(['request', '-i', '{}', '--url', 'http://127.0.0.1:9'], { env })
    assert.equal(down.code, 3)
    assert.match(down.stderr, /cannot reach signoff at http:\/\/127\.0\.0\.1:9/)
    assert.equal((await runCli(['request'], { env })).code, 3, 'missing --input')
    assert.equal((await runCli(['request', '-i', '{}', '--timeout', 'soon'], { env })).code, 3)
  })
})

describe('cli: wait', { timeout: 30_000 }, () => {
  it('attaches to an existing request: times out while pending, then exits with the outcome', async () => {
    const created = api.nextCreated()
    await runCli(['request', '-i', '{"resource":"production"}'], { env })
    const id = await created
    const pending = await runCli(['wait', id, '--timeout', '1s'], { env })
    assert.equal(pending.code, 2)
    assert.match(pending.stdout, new RegExp(`^request ${id}: pending`))
    const run = runCli(['wait', id, '--json'], { env })
    await new Promise((resolve) => setTimeout(resolve, 200))
    api.set(id, 'rejected', { approver: 'alice@example.com', decision: 'reject' })
    const r = await run
    assert.equal(r.code, 1)
    assert.equal(JSON.parse(r.stdout).status, 'rejected')
    assert.equal((await runCli(['wait', 'req_nope'], { env })).code, 3)
  })
})

describe('cli: approve, reject, cancel', { timeout: 30_000 }, () => {
  it('decides through the API and reports conflicts', async () => {
    const created = api.nextCreated()
    await runCli(['request', '-i', '{"resource":"production"}'], { env })
    const id = await created
    const ok = await runCli(['approve', id, '-m', 'ship it'], { env })
    assert.equal(ok.code, 0, ok.stderr)
    assert.equal(ok.stdout, `request ${id}: approved\n`)
    const late = await runCli(['reject', id], { env })
    assert.equal(late.code, 3)
    assert.match(late.stderr, /SIGNOFF_ALREADY_DECIDED/)
    const missing = await runCli(['cancel', 'req_nope'], { env })
    assert.equal(missing.code, 3)
    assert.match(missing.stderr, /SIGNOFF_NOT_FOUND/)
  })
})
