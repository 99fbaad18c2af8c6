import { strict as assert } from 'node:assert'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { chromium, type Browser } from 'playwright-core'
import { runCli, type CliRun } from './cli-fake-io.js'

/**
 * The README's "First approval" walkthrough, end to end and in-process: `signoff serve` on the
 * defaults (SQLite, bundled seed policy, first-start admin token), `signoff request --wait`, the
 * printed link approved in headless Chromium, the CLI's exit code; then the same with plain HTTP.
 */

const CHROMIUM = process.env.SIGNOFF_TEST_CHROMIUM ?? '/usr/bin/chromium'
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']

let dir: string
let browser: Browser
let stop: () => void
let served: Promise<CliRun>
let url: string
let env: Record<string, string>

async function freePort(): Promise<number> {
  const srv = createServer()
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve))
  const { port } = srv.address() as AddressInfo
  await new Promise((resolve) => srv.close(resolve))
  return port
}

/** Resolves with the first match of `re` in a growing text. */
function watcher(re: RegExp): { onStdout: (text: string) => void; found: Promise<RegExpExecArray> } {
  let resolve!: (m: RegExpExecArray) => void
  const found = new Promise<RegExpExecArray>((r) => (resolve = r))
  return {
    found,
    onStdout: (text) => {
      const m = re.exec(text)
      if (m) resolve(m)
    },
  }
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'signoff-first-approval-'))
  const port = await freePort()
  writeFileSync(join(dir, 'signoff.yaml'), `port: ${port}\ndatabase: sqlite:${join(dir, 'signoff.db')}\nlog_level: silent\n`)
  const token = watcher(/export SIGNOFF_TOKEN=(\S+)\n/)
  const interrupt = new Promise<void>((resolve) => (stop = resolve))
  served = runCli(['serve', '--config', join(dir, 'signoff.yaml')], { env: {}, onStdout: token.onStdout, interrupt })
  const listening = await Promise.race([token.found, served.then((r) => assert.fail(`serve exited ${r.code}: ${r.stderr}`))])
  url = `http://127.0.0.1:${port}`
  env = { SIGNOFF_URL: url, SIGNOFF_TOKEN: listening[1]! }
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS })
})

after(async () => {
  await browser?.close()
  stop?.()
  await served
  rmSync(dir, { recursive: true, force: true })
})

describe('first approval (README walkthrough)', { timeout: 120_000 }, () => {
  it('serve prints where it listens and the admin token once', async () => {
    assert.ok(env.SIGNOFF_TOKEN!.length >= 32)
  })

  it('request --wait prints a link; approving it in the browser makes the CLI exit 0', async () => {
    const link = watcher(/approve at (http:\/\/\S+)/)
    const run = runCli(['request', '--input', '{"resource":"production","action":"deploy"}', '--wait'], { env, onStdout: link.onStdout })
    const [, href] = await link.found
    assert.ok(href!.startsWith(`${url}/r/`))
    const page = await browser.newPage()
    await page.goto(href!)
    assert.match(await page.locator('pre.input').innerText(), /"resource": "production"/)
    assert.match(await page.locator('dl.request').innerText(), /pending/)
    await page.getByRole('button', { name: 'Approve' }).click()
    await page.waitForLoadState()
    assert.match(await page.getByRole('status').innerText(), /You approved this request\. It is now approved\./)
    const r = await run
    assert.equal(r.code, 0, r.stdout + r.stderr)
    assert.match(r.stdout, /: approved\n$/)
    await page.close()
  })

  it('a rejection in the browser makes the CLI exit 1; a used link is refused', async () => {
    const link = watcher(/approve at (http:\/\/\S+)/)
    const run = runCli(['request', '-i', '{"resource":"production","action":"drop-db"}', '-w'], { env, onStdout: link.onStdout })
    const [, href] = await link.found
    const page = await browser.newPage()
    await page.goto(href!)
    await page.locator('form[action$="/reject"] textarea').fill('not during the freeze')
    await page.getByRole('button', { name: 'Reject' }).click()
    await page.waitForLoadState()
    const r = await run
    assert.equal(r.code, 1, r.stdout + r.stderr)
    const again = await page.goto(href!)
    assert.equal(again?.status(), 410)
    await page.close()
  })

  it('a request the seed policy cannot approve is denied at once: exit 1, no link', async () => {
    const r = await runCli(['request', '-i', '{"resource":"staging","action":"deploy"}', '--wait'], { env })
    assert.equal(r.code, 1, r.stderr)
    assert.match(r.stdout, /^request \S+: denied\n$/)
  })

  it('the same with curl-style HTTP: create, open the link, long-poll the outcome', async () => {
    const headers = { authorization: `Bearer ${env.SIGNOFF_TOKEN}`, 'content-type': 'application/json' }
    const created = await fetch(`${url}/v1/requests`, { method: 'POST', headers, body: JSON.stringify({ input: { resource: 'production', action: 'deploy' } }) })
    assert.equal(created.status, 201)
    const body = (await created.json()) as { id: string; status: string; links: { url: string }[] }
    assert.equal(body.status, 'pending')
    assert.equal(body.links.length, 1)
    const waiting = fetch(`${url}/v1/requests/${body.id}/wait?timeout=20`, { headers })
    const page = await browser.newPage()
    await page.goto(body.links[0]!.url)
    await page.getByRole('button', { name: 'Approve' }).click()
    await page.waitForLoadState()
    const done = (await (await waiting).json()) as { status: string; approvals: { via: string }[] }
    assert.equal(done.status, 'approved')
    assert.equal(done.approvals[0]!.via, 'web')
    await page.close()
  })

  it('the dashboard lists the requests and shows a timeline from the decision log', async () => {
    const pending = await runCli(['request', '-i', '{"resource":"production","action":"restart"}'], { env })
    const pendingId = /^request (\S+):/.exec(pending.stdout)![1]!
    const page = await browser.newPage()
    await page.goto(`${url}/ui`)
    await page.getByLabel('Admin token').fill(env.SIGNOFF_TOKEN!)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.waitForURL(`${url}/ui`)
    assert.deepEqual(await page.locator('#pending tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-id'))), [pendingId])
    assert.ok((await page.locator('#past tbody tr').count()) >= 4, 'approved, rejected, denied and approved again')
    await page.getByLabel('Status').selectOption('rejected')
    await page.getByRole('button', { name: 'Filter' }).click()
    await page.waitForURL(/status=rejected/)
    const rejected = page.locator('#past tbody tr')
    assert.equal(await rejected.count(), 1)
    await rejected.locator('a').click()
    await page.waitForLoadState()
    const timeline = await page.locator('#timeline tbody tr td:nth-child(2)').allInnerTexts()
    assert.deepEqual(timeline, ['pending', 'rejection', 'rejected'])
    assert.match(await page.locator('table.approvals').innerText(), /not during the freeze/)

    await page.goto(`${url}/ui/requests/${pendingId}`)
    await page.getByLabel('Reason').fill('superseded by a newer build')
    await page.getByRole('button', { name: 'Cancel request' }).click()
    await page.waitForURL(`${url}/ui/requests/${pendingId}`)
    assert.equal(await page.locator('dl.request .status').innerText(), 'cancelled')
    assert.deepEqual(await page.locator('#timeline tbody tr td:nth-child(2)').allInnerTexts(), ['pending', 'cancelled'])
    assert.equal(await page.getByRole('button', { name: 'Cancel request' }).count(), 0)
    await page.close()
  })
})
