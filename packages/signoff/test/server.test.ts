import { strict as assert } from 'node:assert'
import { createServer } from 'node:http'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { loadConfig } from '../src/config/index.js'
import { startServer } from '../src/server.js'
import { SIGNATURE_HEADER, verifyCallback } from '../src/services/index.js'
import { richPolicy, tempDir } from './fixtures.js'

function config(dir: string, extra: Record<string, unknown> = {}) {
  return loadConfig({ file: null, env: {}, overrides: { database: `sqlite:${join(dir, 'signoff.db')}`, port: 0, log_level: 'silent', worker_interval: 20, ...extra } })
}

describe('server', () => {
  it('first start on the embedded default prints an admin token once and keeps only its hash', async () => {
    const dir = tempDir()
    const lines: string[] = []
    const first = await startServer({ config: config(dir), print: (l) => lines.push(l) })
    let token: string
    try {
      const line = lines.find((l) => l.includes('SIGNOFF_TOKEN='))
      assert.ok(line, lines.join('\n'))
      token = line.split('SIGNOFF_TOKEN=')[1]!
      assert.match(token, /^so_[A-Za-z0-9_-]{43}$/)
      assert.ok(lines.some((l) => l.includes('SIGNOFF_URL=')))
      const stored = await first.services.store.db.selectFrom('tokens').selectAll().execute()
      assert.equal(stored.length, 1)
      assert.notEqual(stored[0]!.hash, token)
      assert.ok(!JSON.stringify(stored).includes(token))
      const res = await fetch(`${first.url}/v1/requests`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ input: { resource: 'production', action: 'deploy' } }),
      })
      assert.equal(res.status, 201)
      const body = (await res.json()) as { status: string; links: Array<{ approver: string; url: string }> }
      assert.equal(body.status, 'pending')
      assert.equal(body.links.length, 1)
      assert.equal(body.links[0]!.approver, '*')
    } finally {
      await first.close()
    }
    const again: string[] = []
    const second = await startServer({ config: config(dir), print: (l) => again.push(l) })
    try {
      assert.ok(!again.some((l) => l.includes('SIGNOFF_TOKEN')), 'printed only on the first start')
      const res = await fetch(`${second.url}/v1/requests?limit=5`, { headers: { authorization: `Bearer ${token}` } })
      assert.equal(res.status, 200)
      assert.equal(((await res.json()) as { items: unknown[] }).items.length, 1)
    } finally {
      await second.close()
    }
  })

  it('refuses to start on a policy that does not compile, naming file:row:col', async () => {
    const dir = tempDir({ 'bad.rego': 'package signoff\ndecision := {"allow": true} if {\n  input.x ==\n}\n' })
    await assert.rejects(startServer({ config: config(dir, { policy: { paths: [dir] } }), print: () => {} }), /bad\.rego:\d+:\d+: rego_parse_error/)
  })

  it('posts the signed final request to callback_url over real HTTP', async () => {
    const received: Array<{ body: string; sig: string }> = []
    const hook = createServer((req, res) => {
      let body = ''
      req.on('data', (c) => (body += c))
      req.on('end', () => {
        received.push({ body, sig: String(req.headers[SIGNATURE_HEADER]) })
        res.writeHead(204).end()
      })
    })
    await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r))
    const port = (hook.address() as { port: number }).port
    const dir = tempDir({ 'p.rego': richPolicy(1) })
    const server = await startServer({
      config: config(dir, { policy: { paths: [dir] }, tokens: [{ token: 'tok-requester-0000000000', subject: 'ci@example.com', scopes: ['request'] }] }),
      print: () => {},
    })
    try {
      const res = await fetch(`${server.url}/v1/requests`, {
        method: 'POST',
        headers: { authorization: 'Bearer tok-requester-0000000000', 'content-type': 'application/json' },
        body: JSON.stringify({ input: { environment: 'dev' }, callback_url: `http://127.0.0.1:${port}/hook` }),
      })
      assert.equal(res.status, 201)
      for (let i = 0; i < 100 && received.length === 0; i++) await new Promise((r) => setTimeout(r, 20))
      assert.equal(received.length, 1)
      assert.equal(JSON.parse(received[0]!.body).status, 'allowed')
      assert.ok(verifyCallback(server.services.secret, received[0]!.body, received[0]!.sig, Date.now()))
    } finally {
      await server.close()
      hook.close()
    }
  })
})
