import { strict as assert } from 'node:assert'
import type { AddressInfo } from 'node:net'
import { after, before, describe, it } from 'node:test'
import Fastify, { type FastifyInstance } from 'fastify'
import { chromium, type Browser, type Page } from 'playwright-core'
import { mintApprovalLink } from '../src/channels/web/approval-link.js'
import { SignedToken } from '../src/channels/web/signed-token.js'
import { webRoutes } from '../src/http/routes/web.js'
import { FakeBackend, request } from './web-fake-backend.js'

/** Debian's Chromium; never a downloaded browser. */
const CHROMIUM = process.env.SIGNOFF_TEST_CHROMIUM ?? '/usr/bin/chromium'
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']

let clock = Date.now()
const tokens = new SignedToken('b'.repeat(32), () => clock)
const backend = new FakeBackend()
let app: FastifyInstance
let base: string
let browser: Browser
const cspViolations: string[] = []

before(async () => {
  app = Fastify()
  await app.register(webRoutes, { web: { backend, tokens } })
  await app.listen({ host: '127.0.0.1', port: 0 })
  base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS })
})

after(async () => {
  await browser?.close()
  await app?.close()
})

async function newPage(): Promise<Page> {
  const context = await browser.newContext()
  const page = await context.newPage()
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text())
  })
  return page
}

function link(id: string, approver: string, ttlMs = 60_000): string {
  return mintApprovalLink(tokens, { publicUrl: base, requestId: id, approver, expiresAt: clock + ttlMs }).url
}

describe('web in Chromium: approval link', { timeout: 120_000 }, () => {
  it('opens a signed link, approves with a comment, and shows the outcome', async () => {
    backend.requests.set('b1', { ...request('b1'), input: { resource: 'production', action: 'deploy', note: '<b>bold?</b>' } })
    const page = await newPage()
    const res = await page.goto(link('b1', 'alice@example.com'))
    assert.equal(res?.status(), 200)
    assert.equal(await page.locator('h1').innerText(), 'Approval request b1')
    assert.match(await page.locator('pre.input').innerText(), /"note": "<b>bold\?<\/b>"/, 'input shown as text')
    assert.equal(await page.locator('pre.input b').count(), 0, 'never rendered as markup')
    assert.match(await page.locator('code.digest').innerText(), /^sha256:d{64}$/)
    await page.locator('form[action="/r/b1/approve"] textarea').fill('checked the diff')
    await page.getByRole('button', { name: 'Approve' }).click()
    await page.waitForLoadState()
    assert.equal(await page.getByRole('status').innerText(), 'You approved this request. It is now approved.')
    assert.equal(await page.locator('.status').first().innerText(), 'approved')
    assert.match(await page.locator('table.approvals').innerText(), /alice@example\.com\s+approved\s+checked the diff/)
    assert.equal(await page.getByRole('button', { name: 'Approve' }).count(), 0, 'the buttons are gone')
    assert.deepEqual(backend.decisions.at(-1), { requestId: 'b1', approver: 'alice@example.com', decision: 'approve', comment: 'checked the diff', linkNonce: backend.decisions.at(-1)!.linkNonce })
    await page.context().close()
  })

  it('refuses a used link, on reload and on resubmission', async () => {
    backend.requests.set('b2', request('b2', 2))
    const page = await newPage()
    const url = link('b2', 'bob@example.com')
    await page.goto(url)
    await page.locator('form[action="/r/b2/reject"] textarea').fill('wrong window')
    await page.getByRole('button', { name: 'Reject' }).click()
    await page.waitForLoadState()
    assert.match(await page.getByRole('status').innerText(), /You rejected this request\. It is now rejected\./)
    const again = await page.goto(url)
    assert.equal(again?.status(), 410)
    assert.equal(await page.locator('h1').innerText(), 'This link has already been used')
    await page.context().close()
  })

  it('refuses an expired link with a clear page', async () => {
    backend.requests.set('b3', request('b3'))
    const url = link('b3', 'alice@example.com', 1000)
    clock += 1000
    const page = await newPage()
    const res = await page.goto(url)
    assert.equal(res?.status(), 410)
    assert.equal(await page.locator('h1').innerText(), 'This link has expired')
    assert.match(await page.getByRole('alert').innerText(), /stop working when the request times out/)
    await page.context().close()
  })

  it('refuses a forged link with a clear page', async () => {
    backend.requests.set('b4', request('b4'))
    const genuine = new URL(link('b4', 'alice@example.com'))
    const [body] = genuine.searchParams.get('t')!.split('.')
    const claims = JSON.parse(Buffer.from(body!, 'base64url').toString()) as { c: { a: string } }
    claims.c.a = 'mallory@example.com'
    const forgedBody = Buffer.from(JSON.stringify(claims)).toString('base64url')
    const page = await newPage()
    const res = await page.goto(`${base}/r/b4?t=${forgedBody}.${genuine.searchParams.get('t')!.split('.')[1]}`)
    assert.equal(res?.status(), 403)
    assert.equal(await page.locator('h1').innerText(), 'This link is not valid')
    assert.equal(await page.getByRole('button').count(), 0)
    await page.context().close()
    assert.equal(backend.requests.get('b4')!.status, 'pending')
  })
})

describe('web in Chromium: dashboard', { timeout: 120_000 }, () => {
  it('signs in with the admin token, filters, and shows a timeline', async () => {
    backend.requests.set('d1', { ...request('d1'), requester: 'dev@example.com', status: 'expired' })
    const page = await newPage()
    await page.goto(`${base}/ui`)
    assert.equal(new URL(page.url()).pathname, '/ui/login')
    await page.getByLabel('Admin token').fill('not-it')
    await page.getByRole('button', { name: 'Sign in' }).click()
    assert.match(await page.getByRole('alert').innerText(), /not a valid admin token/)
    await page.getByLabel('Admin token').fill('admin-secret')
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.waitForURL(`${base}/ui`)
    assert.equal(await page.locator('h1').innerText(), 'Requests')
    const cookies = await page.context().cookies()
    const session = cookies.find((c) => c.name === 'signoff_session')
    assert.ok(session?.httpOnly, 'session cookie is HttpOnly')
    assert.equal(session?.sameSite, 'Strict')

    await page.getByLabel('Status').selectOption('expired')
    await page.getByLabel('Requester').fill('dev@example.com')
    await page.getByRole('button', { name: 'Filter' }).click()
    await page.waitForURL(/status=expired/)
    assert.equal(await page.locator('#pending').count(), 0)
    const rows = page.locator('#past tbody tr')
    assert.equal(await rows.count(), 1)
    assert.equal(await rows.first().getAttribute('data-id'), 'd1')

    await page.getByRole('link', { name: 'd1' }).click()
    await page.waitForURL(`${base}/ui/requests/d1`)
    assert.match(await page.locator('#timeline').innerText(), /created\s+dev@example\.com/)

    await page.getByRole('button', { name: 'Sign out' }).click()
    await page.waitForURL(`${base}/ui/login`)
    await page.goto(`${base}/ui`)
    assert.equal(new URL(page.url()).pathname, '/ui/login')
    await page.context().close()
  })

  it('raised no Content-Security-Policy violation on any page', () => {
    assert.deepEqual(cspViolations, [])
  })
})
