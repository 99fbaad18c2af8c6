import { strict as assert } from 'node:assert'
import { readFileSync, writeFileSync } from 'node:fs'
import { describe, it } from 'node:test'
import { checkApprovalLink } from '../src/channels/web/approval-link.js'
import { ApprovalLinkFlow } from '../src/channels/web/approval-link-flow.js'
import { SignedToken } from '../src/channels/web/signed-token.js'
import { ANYONE, WebChannel } from '../src/channels/web/web-channel.js'
import { FakeBackend, request } from './web-fake-backend.js'

const tokens = new SignedToken('c'.repeat(32), () => Date.parse('2026-01-01T00:30:00Z'))
const channel = new WebChannel({ publicUrl: 'https://signoff.example.com/', tokens })

describe('web channel', () => {
  it('posts by minting a link for the approver; the message id is its nonce', async () => {
    const view = request('r1')
    const posted = await channel.post('Alice@Example.com', view)
    const link = channel.link(view, 'alice@example.com')
    assert.deepEqual(posted, { channel: 'web', destination: 'Alice@Example.com', messageId: link.nonce })
    assert.equal(link.url, `https://signoff.example.com/r/r1?t=${link.token}`)
    assert.equal(link.expiresAt, Date.parse(view.expiresAt!))
    assert.deepEqual(checkApprovalLink(tokens, 'r1', link.token), {
      ok: true,
      claims: { requestId: 'r1', approver: 'alice@example.com', nonce: link.nonce },
      expiresAt: link.expiresAt,
    })
    assert.equal(channel.link(view, 'alice@example.com').url, link.url, 'deterministic: the services can show it again')
    assert.notEqual(channel.link(view, 'bob@example.com').nonce, link.nonce)
    assert.notEqual(channel.link({ ...view, id: 'r2' }, 'alice@example.com').nonce, link.nonce)
  })

  it('an anyone-link decides as link:<nonce prefix>, never as the requester', async () => {
    const backend = new FakeBackend()
    backend.requests.set('r1', { ...request('r1'), approvers: [] })
    const flow = new ApprovalLinkFlow(tokens, backend)
    const link = channel.link(backend.requests.get('r1')!, ANYONE)
    const page = await flow.open('r1', link.token)
    assert.match(page.body, /Anyone holding this link may decide\./)
    const csrf = /action="\/r\/r1\/approve">\n<input type="hidden" name="t" value="[^"]*">\n<input type="hidden" name="csrf" value="([^"]*)"/.exec(page.body)![1]!
    const done = await flow.submit('r1', 'approve', { t: link.token, csrf })
    assert.equal(backend.decisions[0]!.approver, `link:${link.nonce.slice(0, 8)}`)
    assert.match(done.body, /It is now approved\./)
    assert.equal((await flow.open('r1', link.token)).status, 410, 'used once')
  })

  it('update is a no-op and render is a read-only page (golden)', async () => {
    await channel.update({ channel: 'web', destination: 'a', messageId: 'n' }, request('r1'))
    const page = channel.render(request('r1'))
    assert.ok(!page.includes('<form'))
    const file = new URL('./web-golden/web-channel-render.html', import.meta.url)
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(file, page)
    assert.equal(page, readFileSync(file, 'utf8'))
  })
})
