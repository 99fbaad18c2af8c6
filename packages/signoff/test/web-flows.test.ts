import { strict as assert } from 'node:assert'
import { describe, it } from 'node:test'
import { mintApprovalLink } from '../src/channels/web/approval-link.js'
import { ApprovalLinkFlow } from '../src/channels/web/approval-link-flow.js'
import { DashboardFlow, LOGIN_COOKIE, SESSION_COOKIE } from '../src/channels/web/dashboard-flow.js'
import { SignedToken } from '../src/channels/web/signed-token.js'
import { FakeBackend, request } from './web-fake-backend.js'

function hidden(page: string, form: string, name: string): string {
  const at = page.indexOf(`action="${form}"`)
  const m = new RegExp(`name="${name}" value="([^"]*)"`).exec(page.slice(at))
  assert.ok(at >= 0 && m, `form ${form} has ${name}`)
  return m[1]!.replaceAll('&quot;', '"')
}

function setup(now = 0) {
  let t = now
  const tokens = new SignedToken('s'.repeat(32), () => t)
  const backend = new FakeBackend()
  return { tokens, backend, flow: new ApprovalLinkFlow(tokens, backend), advance: (ms: number) => void (t += ms) }
}

describe('web: approval link flow', () => {
  it('opens, approves once, and refuses the used link', async () => {
    const { tokens, backend, flow } = setup()
    backend.requests.set('r1', request('r1', 2))
    const link = mintApprovalLink(tokens, { publicUrl: 'http://x', requestId: 'r1', approver: 'alice@example.com', expiresAt: 60_000 })
    const page = await flow.open('r1', link.token)
    assert.equal(page.status, 200)
    assert.match(page.body, /alice@example\.com/)
    const csrf = hidden(page.body, '/r/r1/approve', 'csrf')
    const done = await flow.submit('r1', 'approve', { t: link.token, csrf, comment: ' ok ' })
    assert.equal(done.status, 200)
    assert.match(done.body, /You approved this request\. It is still pending \(1 of 2 approvals\)\./)
    assert.deepEqual(backend.decisions.map((d) => [d.approver, d.decision, d.comment, d.linkNonce]), [['alice@example.com', 'approve', 'ok', link.nonce]])
    assert.ok(!done.body.includes('<form class="decide"'), 'no forms after deciding')

    const again = await flow.submit('r1', 'approve', { t: link.token, csrf })
    assert.equal(again.status, 410)
    assert.match(again.body, /already been used/)
    assert.equal((await flow.open('r1', link.token)).status, 410)
    assert.equal(backend.decisions.length, 1)
  })

  it('two submissions of one link at the same moment record one vote', async () => {
    const { tokens, backend, flow } = setup()
    backend.requests.set('r1', request('r1', 2))
    const link = mintApprovalLink(tokens, { publicUrl: 'http://x', requestId: 'r1', approver: 'alice@example.com', expiresAt: 60_000 })
    const csrf = hidden((await flow.open('r1', link.token)).body, '/r/r1/approve', 'csrf')
    const [a, b] = await Promise.all([flow.submit('r1', 'approve', { t: link.token, csrf }), flow.submit('r1', 'approve', { t: link.token, csrf })])
    assert.deepEqual([a.status, b.status].sort(), [200, 409])
    assert.match((a.status === 409 ? a : b).body, /You already approved or rejected this request/)
    assert.equal(backend.requests.get('r1')!.approvals.length, 1)
    assert.equal((await flow.open('r1', link.token)).status, 410)
  })

  it('a fault while deciding leaves the link usable', async () => {
    const { tokens, backend, flow } = setup()
    backend.requests.set('r1', request('r1'))
    const link = mintApprovalLink(tokens, { publicUrl: 'http://x', requestId: 'r1', approver: 'alice@example.com', expiresAt: 60_000 })
    const csrf = hidden((await flow.open('r1', link.token)).body, '/r/r1/approve', 'csrf')
    const decide = backend.decide.bind(backend)
    backend.decide = async () => {
      throw new Error('database is down')
    }
    await assert.rejects(flow.submit('r1', 'approve', { t: link.token, csrf }), /database is down/)
    backend.decide = decide
    assert.equal((await flow.submit('r1', 'approve', { t: link.token, csrf })).status, 200)
  })

  it('a second approver reaches the quorum', async () => {
    const { tokens, backend, flow } = setup()
    backend.requests.set('r1', { ...request('r1', 2), approvals: [{ approver: 'alice@example.com', decision: 'approve', comment: null, at: 'x', via: 'slack' }] })
    const link = mintApprovalLink(tokens, { publicUrl: 'http://x', requestId: 'r1', approver: 'bob@example.com', expiresAt: 60_000 })
    const csrf = hidden((await flow.open('r1', link.token)).body, '/r/r1/approve', 'csrf')
    const done = await flow.submit('r1', 'approve', { t: link.token, csrf })
    assert.match(done.body, /It is now approved\./)
  })

  it('refuses expired, forged and foreign links with clear pages', async () => {
    const { tokens, backend, flow, advance } = setup()
    backend.requests.set('r1', request('r1'))
    const link = mintApprovalLink(tokens, { publicUrl: 'http://x', requestId: 'r1', approver: 'alice@example.com', expiresAt: 1000 })
    const forged = `${link.token.split('.')[0]}.${'A'.repeat(43)}`
    const forgedPage = await flow.open('r1', forged)
    assert.equal(forgedPage.status, 403)
    assert.match(forgedPage.body, /This link is not valid/)
    assert.equal((await flow.open('r2', link.token)).status, 403)
    assert.equal((await flow.open('r1', undefined)).status, 403)
    advance(1000)
    const expired = await flow.open('r1', link.token)
    assert.equal(expired.status, 410)
    assert.match(expired.body, /This link has expired/)
    assert.equal(backend.decisions.length, 0)
  })

  it('needs the per-form token and a reason to reject', async () => {
    const { tokens, backend, flow } = setup()
    backend.requests.set('r1', request('r1'))
    const link = mintApprovalLink(tokens, { publicUrl: 'http://x', requestId: 'r1', approver: 'alice@example.com', expiresAt: 60_000 })
    const page = (await flow.open('r1', link.token)).body
    const approveCsrf = hidden(page, '/r/r1/approve', 'csrf')
    assert.equal((await flow.submit('r1', 'reject', { t: link.token, csrf: approveCsrf, comment: 'no' })).status, 403, 'approve token does not reject')
    assert.equal((await flow.submit('r1', 'approve', { t: link.token })).status, 403)
    const rejectCsrf = hidden(page, '/r/r1/reject', 'csrf')
    const noReason = await flow.submit('r1', 'reject', { t: link.token, csrf: rejectCsrf, comment: '   ' })
    assert.equal(noReason.status, 400)
    assert.equal(backend.decisions.length, 0, 'nothing recorded, link not used')
    const rejected = await flow.submit('r1', 'reject', { t: link.token, csrf: rejectCsrf, comment: 'not today' })
    assert.match(rejected.body, /You rejected this request\. It is now rejected\./)
  })

  it('shows a final request without forms and explains refused decisions', async () => {
    const { tokens, backend, flow } = setup()
    backend.requests.set('r1', { ...request('r1'), status: 'expired' })
    backend.requests.set('r2', request('r2'))
    const l1 = mintApprovalLink(tokens, { publicUrl: 'http://x', requestId: 'r1', approver: 'alice@example.com', expiresAt: 60_000 })
    const p1 = await flow.open('r1', l1.token)
    assert.match(p1.body, /already expired/)
    assert.ok(!p1.body.includes('<form class="decide"'))
    const l2 = mintApprovalLink(tokens, { publicUrl: 'http://x', requestId: 'r2', approver: 'mallory@example.com', expiresAt: 60_000 })
    const csrf = hidden((await flow.open('r2', l2.token)).body, '/r/r2/approve', 'csrf')
    const refused = await flow.submit('r2', 'approve', { t: l2.token, csrf })
    assert.equal(refused.status, 409)
    assert.match(refused.body, /not one of this request&#39;s approvers/)
  })
})

function cookieJar(res: { cookies?: readonly string[] }, jar: Record<string, string> = {}): Record<string, string> {
  for (const c of res.cookies ?? []) {
    const [pair, ...attrs] = c.split('; ')
    const [name, value] = pair!.split('=') as [string, string]
    assert.ok(attrs.includes('HttpOnly') && attrs.includes('SameSite=Strict'), `${name} is HttpOnly, SameSite=Strict`)
    if (value === '') delete jar[name]
    else jar[name] = value
  }
  return jar
}

describe('web: dashboard flow', () => {
  it('signs in with the admin token, lists, filters, shows a timeline, signs out', async () => {
    const { tokens, backend } = setup()
    const dash = new DashboardFlow(tokens, backend)
    backend.requests.set('r1', request('r1'))
    backend.requests.set('r2', { ...request('r2'), status: 'approved', requester: 'dev@example.com' })
    assert.equal((await dash.dashboard({}, {})).location, '/ui/login')

    const login = dash.loginPage({})
    const jar = cookieJar(login)
    assert.ok(jar[LOGIN_COOKIE])
    const csrf = hidden(login.body, '/ui/login', 'csrf')
    const bad = await dash.login(jar, { csrf, token: 'wrong' })
    assert.equal(bad.status, 401)
    assert.match(bad.body, /not a valid admin token/)
    assert.equal((await dash.login({}, { csrf, token: 'admin-secret' })).status, 403, 'no sign-in cookie, no sign-in')
    const ok = await dash.login(jar, { csrf, token: 'admin-secret' })
    assert.equal(ok.status, 303)
    cookieJar(ok, jar)
    assert.ok(jar[SESSION_COOKIE] && !jar[LOGIN_COOKIE])

    const list = await dash.dashboard(jar, {})
    assert.equal(list.status, 200)
    assert.match(list.body, /<table id="pending">[\s\S]*r1[\s\S]*<\/table>/)
    assert.match(list.body, /<table id="past">[\s\S]*r2[\s\S]*<\/table>/)
    const filtered = await dash.dashboard(jar, { status: 'approved', requester: 'dev@example.com', since: '2026-01-01', until: 'junk' })
    assert.ok(!filtered.body.includes('id="pending"'))
    const q = backend.queries.at(-1)!
    assert.deepEqual([q.status, q.requester, q.createdFrom, q.createdTo], ['approved', 'dev@example.com', Date.parse('2026-01-01T00:00:00Z'), null])

    const detail = await dash.requestPage(jar, 'r2')
    assert.match(detail.body, /<table id="timeline">[\s\S]*created/)
    assert.equal((await dash.requestPage(jar, 'nope')).status, 404)

    const logoutCsrf = hidden(list.body, '/ui/logout', 'csrf')
    assert.equal(dash.logout(jar, { csrf: 'forged' }).status, 403)
    const out = dash.logout(jar, { csrf: logoutCsrf })
    cookieJar(out, jar)
    assert.equal(jar[SESSION_COOKIE], undefined)
  })

  it('lets an admin cancel a pending request with a reason, behind a per-form token', async () => {
    const { tokens, backend } = setup()
    const cancels: [string, string, string][] = []
    const dash = new DashboardFlow(tokens, backend, {
      cancelRequest: async (id, admin, comment) => {
        cancels.push([id, admin, comment])
        if (id === 'r2') return { ok: false, message: 'request r2 is already approved' }
        backend.requests.set(id, { ...backend.requests.get(id)!, status: 'cancelled' })
        return { ok: true }
      },
    })
    backend.requests.set('r1', request('r1'))
    backend.requests.set('r2', request('r2'))
    const login = dash.loginPage({})
    const jar = cookieJar(login)
    cookieJar(await dash.login(jar, { csrf: hidden(login.body, '/ui/login', 'csrf'), token: 'admin-secret' }), jar)
    const page = await dash.requestPage(jar, 'r1')
    const csrf = hidden(page.body, '/ui/requests/r1/cancel', 'csrf')
    assert.equal((await dash.cancel(jar, 'r1', { csrf: 'forged', comment: 'x' })).status, 403)
    assert.equal((await dash.cancel(jar, 'r1', { csrf, comment: ' ' })).status, 400)
    assert.equal((await dash.cancel({}, 'r1', { csrf, comment: 'x' })).location, '/ui/login')
    assert.equal((await dash.cancel(jar, 'r2', { csrf, comment: 'x' })).status, 403, 'the token is bound to the request')
    const done = await dash.cancel(jar, 'r1', { csrf, comment: 'wrong change window' })
    assert.equal(done.status, 303)
    assert.equal(done.location, '/ui/requests/r1')
    assert.deepEqual(cancels, [['r1', 'admin', 'wrong change window']])
    assert.ok(!(await dash.requestPage(jar, 'r1')).body.includes('/cancel"'), 'no cancel form once final')
    const r2csrf = hidden((await dash.requestPage(jar, 'r2')).body, '/ui/requests/r2/cancel', 'csrf')
    const refused = await dash.cancel(jar, 'r2', { csrf: r2csrf, comment: 'x' })
    assert.equal(refused.status, 409)
    assert.match(refused.body, /role="alert">request r2 is already approved</)
    const plain = new DashboardFlow(tokens, backend)
    assert.ok(!(await plain.requestPage(jar, 'r2')).body.includes('/cancel"'), 'no form without a cancel function')
  })

  it('refuses a forged or expired session cookie', async () => {
    const { tokens, backend, advance } = setup()
    const dash = new DashboardFlow(tokens, backend, { sessionTtlMs: 1000 })
    const other = new DashboardFlow(new SignedToken('o'.repeat(32), () => 0), backend)
    const login = other.loginPage({})
    const jar = cookieJar(login)
    cookieJar(await other.login(jar, { csrf: hidden(login.body, '/ui/login', 'csrf'), token: 'admin-secret' }), jar)
    assert.equal((await dash.dashboard(jar, {})).location, '/ui/login', 'session from another key')
    const l2 = dash.loginPage({})
    const jar2 = cookieJar(l2)
    cookieJar(await dash.login(jar2, { csrf: hidden(l2.body, '/ui/login', 'csrf'), token: 'admin-secret' }), jar2)
    assert.equal((await dash.dashboard(jar2, {})).status, 200)
    advance(1000)
    assert.equal((await dash.dashboard(jar2, {})).location, '/ui/login', 'expired session')
  })
})
