import { strict as assert } from 'node:assert'
import { after, before, describe, it } from 'node:test'
import Fastify, { type FastifyInstance, type LightMyRequestResponse } from 'fastify'
import { mintApprovalLink } from '../src/channels/web/approval-link.js'
import { SignedToken } from '../src/channels/web/signed-token.js'
import { webRoutes } from '../src/http/routes/web.js'
import { FakeBackend, request } from './web-fake-backend.js'

const tokens = new SignedToken('r'.repeat(32))
const backend = new FakeBackend()
let app: FastifyInstance

before(async () => {
  app = Fastify()
  await app.register(webRoutes, { web: { backend, tokens } })
  await app.ready()
})

after(() => app.close())

function hidden(body: string, form: string, name: string): string {
  const at = body.indexOf(`action="${form}"`)
  const m = new RegExp(`name="${name}" value="([^"]*)"`).exec(body.slice(at))
  assert.ok(at >= 0 && m, `form ${form} has ${name}`)
  return m[1]!
}

function form(fields: Record<string, string>): { headers: Record<string, string>; payload: string } {
  return { headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams(fields).toString() }
}

function cookies(res: LightMyRequestResponse): string {
  const set = res.headers['set-cookie']
  const list = Array.isArray(set) ? set : set ? [set] : []
  return list.map((c) => c.split(';')[0]).filter((c) => !c.endsWith('=')).join('; ')
}

describe('web routes: approval page', () => {
  it('serves the page with a strict CSP and no caching or referrer', async () => {
    backend.requests.set('r1', request('r1'))
    const link = mintApprovalLink(tokens, { publicUrl: 'http://x', requestId: 'r1', approver: 'alice@example.com', expiresAt: Date.now() + 60_000 })
    const res = await app.inject({ url: `/r/r1?t=${link.token}` })
    assert.equal(res.statusCode, 200)
    assert.equal(res.headers['content-type'], 'text/html; charset=utf-8')
    assert.match(String(res.headers['content-security-policy']), /^default-src 'none'; style-src 'sha256-[^']+'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'$/)
    assert.equal(res.headers['cache-control'], 'no-store')
    assert.equal(res.headers['referrer-policy'], 'no-referrer')
    assert.equal(res.headers['x-content-type-options'], 'nosniff')

    const csrf = hidden(res.body, '/r/r1/approve', 'csrf')
    const done = await app.inject({ method: 'POST', url: '/r/r1/approve', ...form({ t: link.token, csrf, comment: 'fine' }) })
    assert.equal(done.statusCode, 200)
    assert.match(done.body, /You approved this request\. It is now approved\./)
    const again = await app.inject({ method: 'POST', url: '/r/r1/approve', ...form({ t: link.token, csrf }) })
    assert.equal(again.statusCode, 410)
  })

  it('refuses cross-site posts before looking at tokens', async () => {
    backend.requests.set('r2', request('r2'))
    const link = mintApprovalLink(tokens, { publicUrl: 'http://x', requestId: 'r2', approver: 'alice@example.com', expiresAt: Date.now() + 60_000 })
    const csrf = hidden((await app.inject({ url: `/r/r2?t=${link.token}` })).body, '/r/r2/approve', 'csrf')
    const fields = form({ t: link.token, csrf })
    const evil = await app.inject({ method: 'POST', url: '/r/r2/approve', payload: fields.payload, headers: { ...fields.headers, origin: 'https://evil.example' } })
    assert.equal(evil.statusCode, 403)
    const fetchMeta = await app.inject({ method: 'POST', url: '/r/r2/approve', payload: fields.payload, headers: { ...fields.headers, 'sec-fetch-site': 'cross-site' } })
    assert.equal(fetchMeta.statusCode, 403)
    assert.equal(backend.requests.get('r2')!.status, 'pending')
    const same = await app.inject({ method: 'POST', url: '/r/r2/approve', payload: fields.payload, headers: { ...fields.headers, origin: 'http://localhost:80', host: 'localhost:80' } })
    assert.equal(same.statusCode, 200)
  })

  it('answers a missing token, a forged token and a bad id with pages, not JSON', async () => {
    const none = await app.inject({ url: '/r/r1' })
    assert.equal(none.statusCode, 403)
    assert.match(none.body, /This link is not valid/)
    const forged = await app.inject({ url: '/r/r1?t=abc.def' })
    assert.equal(forged.statusCode, 403)
    assert.equal(forged.headers['content-type'], 'text/html; charset=utf-8')
  })
})

describe('web routes: dashboard', () => {
  it('redirects to sign-in, signs in, lists and signs out', async () => {
    const slash = await app.inject({ url: '/ui/' })
    assert.equal(slash.statusCode, 303)
    assert.equal(slash.headers.location, '/ui')
    const anon = await app.inject({ url: '/ui' })
    assert.equal(anon.statusCode, 303)
    assert.equal(anon.headers.location, '/ui/login')
    const page = await app.inject({ url: '/ui/login' })
    const jar1 = cookies(page)
    assert.match(String(page.headers['set-cookie']), /signoff_login=[^;]+; Path=\/ui; HttpOnly; SameSite=Strict/)
    const csrf = hidden(page.body, '/ui/login', 'csrf')
    const bad = await app.inject({ method: 'POST', url: '/ui/login', ...form({ csrf, token: 'nope' }), cookies: undefined, headers: { ...form({}).headers, cookie: jar1 } })
    assert.equal(bad.statusCode, 401)
    const ok = await app.inject({ method: 'POST', url: '/ui/login', payload: new URLSearchParams({ csrf, token: 'admin-secret' }).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: jar1 } })
    assert.equal(ok.statusCode, 303)
    assert.equal(ok.headers.location, '/ui')
    const session = cookies(ok)
    assert.match(session, /^signoff_session=/)
    const list = await app.inject({ url: '/ui?status=pending', headers: { cookie: session } })
    assert.equal(list.statusCode, 200)
    assert.match(list.body, /<h1>Requests<\/h1>/)
    const detail = await app.inject({ url: '/ui/requests/r1', headers: { cookie: session } })
    assert.match(detail.body, /id="timeline"/)
    const out = await app.inject({ method: 'POST', url: '/ui/logout', payload: `csrf=${hidden(list.body, '/ui/logout', 'csrf')}`, headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: session } })
    assert.equal(out.statusCode, 303)
    assert.match(String(out.headers['set-cookie']), /signoff_session=; Path=\/ui; HttpOnly; SameSite=Strict; Max-Age=0/)
  })

  it('rejects oversized forms with 413', async () => {
    const res = await app.inject({ method: 'POST', url: '/ui/login', payload: `token=${'x'.repeat(20_000)}`, headers: { 'content-type': 'application/x-www-form-urlencoded' } })
    assert.equal(res.statusCode, 413)
    assert.equal(res.headers['content-type'], 'text/html; charset=utf-8')
    assert.match(res.body, /<h1>Too much text<\/h1>/)
  })

  it('answers a schema failure with a page', async () => {
    const res = await app.inject({ url: `/r/r1?t=${'x'.repeat(5000)}` })
    assert.equal(res.statusCode, 400)
    assert.equal(res.headers['content-type'], 'text/html; charset=utf-8')
    assert.match(res.body, /This request was not understood/)
  })
})
