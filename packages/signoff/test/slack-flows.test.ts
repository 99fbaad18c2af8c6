import { strict as assert } from 'node:assert'
import { afterEach, beforeEach, describe, it } from 'node:test'
import { signSlackRequest } from '../src/channels/slack/slack-signature.js'
import type { Store } from '../src/store/index.js'
import { DIALECTS } from './dialects.js'
import { SlackFake } from './fakes/slack-fake.js'
import { SIGNING_SECRET, blockActions, viewSubmission } from './fakes/slack-payloads.js'
import { seedWorkspace, slackPolicy, slackRig, type SlackRig } from './fakes/slack-rig.js'

const actionsBlock = (blocks: unknown[]): unknown => blocks.find((b) => (b as { type: string }).type === 'actions')
const allText = (blocks: unknown[]): string => JSON.stringify(blocks)

describe('slack over HTTP interactivity', () => {
  let store: Store
  let cleanup: () => Promise<void>
  let fake: SlackFake
  let rig: SlackRig | null = null
  // A fresh store and workspace per test: outbox jobs left by one test must not reach the next one's fake.
  beforeEach(async () => {
    ;({ store, cleanup } = await DIALECTS[0]!.open())
    fake = seedWorkspace(await SlackFake.start())
  })
  afterEach(async () => {
    await rig?.close()
    rig = null
    await fake.close()
    await cleanup()
  })

  it('full approve flow: post to #deploys, a click approves, the message is finalised, the vote threaded, the requester told', async () => {
    rig = await slackRig(store, fake, { policy: slackPolicy(1, ['slack:#deploys']) })
    const r = await rig.create()
    await rig.drain()
    const [post] = fake.posts('C0DEPLOYS')
    assert.ok(post, 'posted to the channel resolved from #deploys')
    assert.equal(fake.callsOf('conversations.list').length, 1)
    assert.deepEqual(post.metadata, { event_type: 'signoff_request', event_payload: { request_id: r.id } })
    assert.ok(actionsBlock(post.blocks), 'buttons while pending')
    assert.match(post.text, /Approval needed \(0 of 1 approval\)/)
    assert.deepEqual((await store.postsFor(r.id)).map((p) => [p.channel, p.destination, p.messageId]), [['slack', 'C0DEPLOYS', post.ts]])

    const res = await rig.click(blockActions({ user: 'UBOB', requestId: r.id, action: 'approve', channel: 'C0DEPLOYS', messageTs: post.ts, responseUrl: fake.responseUrl('bob') }))
    assert.deepEqual(res, { status: 200, body: '' })
    const decided = await rig.request(r.id)
    assert.equal(decided.status, 'approved')
    assert.deepEqual(decided.approvals.map((a) => [a.approver, a.decision, a.via, a.aliases]), [['bob@example.com', 'approve', 'slack', ['slack:UBOB']]])
    assert.equal(fake.responses.length, 0, 'no ephemeral answer to an accepted click')

    await rig.drain()
    assert.equal(fake.posts('C0DEPLOYS').length, 1, 'updated in place, never posted again')
    assert.equal(post.edits, 1)
    assert.equal(actionsBlock(post.blocks), undefined, 'no buttons once final')
    assert.match(allText(post.blocks), /\*Approved\* by bob@example\.com <!date\^\d+\^/)
    const [reply] = fake.replies('C0DEPLOYS', post.ts)
    assert.ok(reply, 'the vote is threaded')
    assert.match(reply.text, /^bob@example\.com approved$/)
    assert.equal(reply.metadata?.event_type, 'signoff_vote')
    const dm = fake.posts('DCI')
    assert.equal(dm.length, 1, 'the requester gets a DM')
    assert.match(dm[0]!.text, new RegExp(`Your request ${r.id} is approved`))
    assert.ok(fake.calls.every((c) => c.token !== null && c.token.startsWith('xoxb-')), 'every Web API call carries the bot token')
  })

  it('reject with reason: the button opens the modal, the submission rejects with the reason', async () => {
    rig = await slackRig(store, fake, { policy: slackPolicy(2, ['slack:C0OPS']) })
    const r = await rig.create()
    await rig.drain()
    const [post] = fake.posts('C0OPS')
    const click = blockActions({ user: 'UCAROL', requestId: r.id, action: 'reject', channel: 'C0OPS', messageTs: post!.ts, responseUrl: fake.responseUrl('carol') })
    assert.equal((await rig.click(click)).status, 200)
    assert.equal(fake.views.length, 1)
    const opened = fake.views[0]!
    assert.equal(opened.triggerId, click['trigger_id'])
    assert.equal(opened.view['callback_id'], 'signoff_reject_reason')
    assert.equal((await rig.request(r.id)).status, 'pending', 'opening the modal decides nothing')

    const meta = String(opened.view['private_metadata'])
    const empty = await rig.click(viewSubmission({ user: 'UCAROL', privateMetadata: meta, reason: '   ' }))
    assert.equal(empty.status, 200)
    assert.deepEqual(JSON.parse(empty.body), { response_action: 'errors', errors: { reason: 'Please say why you reject this request.' } })
    assert.equal((await rig.request(r.id)).approvals.length, 0)

    const done = await rig.click(viewSubmission({ user: 'UCAROL', privateMetadata: meta, reason: 'not during the <freeze> & on a Friday' }))
    assert.deepEqual(done, { status: 200, body: '' })
    const rejected = await rig.request(r.id)
    assert.equal(rejected.status, 'rejected')
    assert.deepEqual(rejected.approvals.map((a) => [a.approver, a.decision, a.comment]), [['carol@example.com', 'reject', 'not during the <freeze> & on a Friday']])
    await rig.drain()
    assert.equal(actionsBlock(post!.blocks), undefined)
    assert.match(allText(post!.blocks), /\*Rejected\* by carol@example\.com/)
    assert.match(allText(post!.blocks), /not during the &lt;freeze&gt; &amp; on a Friday/, 'mrkdwn control characters escaped')
    assert.match(fake.replies('C0OPS', post!.ts)[0]!.text, /carol@example\.com rejected: not during the <freeze> & on a Friday/)
  })

  it('refuses ineligible, self-approval, email-less and repeated clicks privately and changes nothing', async () => {
    rig = await slackRig(store, fake, { policy: slackPolicy(2, ['slack:#deploys']) })
    const r = await rig.create({ environment: 'production', service: 'db' }, { subject: 'alice@example.com', scopes: ['request'] })
    await rig.drain()
    const ts = fake.posts('C0DEPLOYS')[0]!.ts
    const click = (user: string, id: string) => rig!.click(blockActions({ user, requestId: r.id, action: 'approve', channel: 'C0DEPLOYS', messageTs: ts, responseUrl: fake.responseUrl(id) }))
    for (const [user, id] of [['UMALLORY', 'mallory'], ['UALICE', 'alice'], ['UNOMAIL', 'nomail']] as const) assert.equal((await click(user, id)).status, 200)
    const said = (id: string): string => {
      const hit = fake.responses.filter((x) => x.id === id)
      assert.equal(hit.length, 1, `one answer to ${id}`)
      assert.equal(hit[0]!.body['response_type'], 'ephemeral')
      assert.equal(hit[0]!.body['replace_original'], false)
      return String(hit[0]!.body['text'])
    }
    assert.match(said('mallory'), /not one of the approvers of this request \(group:sre\)/)
    assert.match(said('alice'), /You asked for this request, so someone else has to approve it/)
    assert.match(said('nomail'), /could not read the email address/)
    assert.equal((await rig.request(r.id)).approvals.length, 0)

    // Reject asks for a reason first; who cannot reject is told so at once, with no modal to fill in.
    const views = fake.views.length
    await rig.click(blockActions({ user: 'UMALLORY', requestId: r.id, action: 'reject', channel: 'C0DEPLOYS', messageTs: ts, responseUrl: fake.responseUrl('mallory-reject') }))
    assert.match(said('mallory-reject'), /not one of the approvers of this request/)
    assert.equal(fake.views.length, views, 'no reason modal for someone who cannot reject')

    await click('UBOB', 'bob-1')
    await click('UBOB', 'bob-2')
    assert.equal(fake.responses.filter((x) => x.id === 'bob-1').length, 0)
    assert.match(said('bob-2'), /already voted on this request; your first vote stands/)
    const after = await rig.request(r.id)
    assert.equal(after.status, 'pending')
    assert.equal(after.approvals.length, 1)
    assert.equal(after.version, r.version + 1, 'exactly one change')
  })

  it('refuses forged signatures, stale or future timestamps and unsigned posts with 401; another workspace privately', async () => {
    rig = await slackRig(store, fake, { policy: slackPolicy(1, ['slack:#deploys']) })
    const r = await rig.create()
    await rig.drain()
    const ts = fake.posts('C0DEPLOYS')[0]!.ts
    const payload = blockActions({ user: 'UBOB', requestId: r.id, action: 'approve', channel: 'C0DEPLOYS', messageTs: ts, responseUrl: fake.responseUrl('bob') })
    const forged = await rig.click(payload, { secret: 'not-the-signing-secret' })
    assert.equal(forged.status, 401)
    assert.deepEqual(JSON.parse(forged.body), { error: 'bad_signature', message: 'X-Slack-Signature does not match the body' })
    const stale = await rig.click(payload, { skewSeconds: -301 })
    assert.equal(stale.status, 401)
    assert.equal(JSON.parse(stale.body).error, 'stale_timestamp')
    assert.equal((await rig.click(payload, { skewSeconds: 301 })).status, 401, 'a timestamp from the future is refused too')
    assert.equal((await rig.click(payload, { skewSeconds: -299 })).status, 200, 'inside the window')
    const unsigned = await rig.app.inject({ method: 'POST', url: '/slack/interactions', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'payload=%7B%7D' })
    assert.equal(unsigned.statusCode, 401)
    assert.equal(JSON.parse(unsigned.body).error, 'missing_signature')
    const garbled = 'payload=%7Bnot-json'
    const sig = signSlackRequest(SIGNING_SECRET, Math.floor(rig.clock.now() / 1000), garbled)
    const malformed = await rig.app.inject({
      method: 'POST',
      url: '/slack/interactions',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': String(Math.floor(rig.clock.now() / 1000)), 'x-slack-signature': sig },
      payload: garbled,
    })
    assert.equal(malformed.statusCode, 400)
    assert.equal(JSON.parse(malformed.body).error, 'malformed_payload')
    const ssl = await rig.app.inject({ method: 'POST', url: '/slack/interactions', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'ssl_check=1&token=x' })
    assert.equal(ssl.statusCode, 200)
    assert.equal((await rig.request(r.id)).status, 'approved', 'only the click inside the window counted')
    assert.ok(rig.logs.some((l) => l.msg === 'slack interaction refused: signature check failed'))
    assert.ok(!JSON.stringify(rig.logs).includes('test-signing-secret'), 'the secret never reaches the log')

    const r2 = await rig.create({ environment: 'production', service: 'web' })
    const foreign = await rig.click(blockActions({ user: 'UBOB', requestId: r2.id, action: 'approve', channel: 'C0DEPLOYS', messageTs: ts, responseUrl: fake.responseUrl('foreign'), team: 'T0OTHER' }))
    assert.equal(foreign.status, 200)
    assert.match(String(fake.responses.find((x) => x.id === 'foreign')?.body['text']), /only takes decisions from its own Slack workspace/)
    assert.equal((await rig.request(r2.id)).approvals.length, 0)

    // Slack Connect: the click happens in our workspace, but the clicker belongs to another one.
    const shared = blockActions({ user: 'UBOB', requestId: r2.id, action: 'approve', channel: 'C0DEPLOYS', messageTs: ts, responseUrl: fake.responseUrl('external') })
    await rig.click({ ...shared, user: { ...(shared['user'] as object), team_id: 'T0PARTNER' } })
    assert.match(String(fake.responses.find((x) => x.id === 'external')?.body['text']), /only takes decisions from its own Slack workspace/)
    assert.equal((await rig.request(r2.id)).approvals.length, 0, 'an external member of a shared channel cannot vote')
  })

  it('a decision made through the API (or the web page) updates the Slack message', async () => {
    rig = await slackRig(store, fake, { policy: slackPolicy(1, ['slack:#deploys']) })
    const r = await rig.create()
    await rig.drain()
    const res = await rig.app.inject({ method: 'POST', url: `/v1/requests/${r.id}/approve`, headers: { authorization: 'Bearer tok-carol-000000000000000' }, payload: { comment: 'ship it' } })
    assert.equal(res.statusCode, 200)
    await rig.drain()
    const post = fake.posts('C0DEPLOYS')[0]!
    assert.equal(actionsBlock(post.blocks), undefined)
    assert.match(allText(post.blocks), /\*Approved\* by carol@example\.com/)
    assert.match(allText(post.blocks), /carol@example\.com :white_check_mark: approved: “ship it” \(api,/)
    assert.match(fake.replies('C0DEPLOYS', post.ts)[0]!.text, /carol@example\.com approved: ship it/)
  })

  it('a decision made on the web page updates the Slack message', async () => {
    rig = await slackRig(store, fake, { policy: slackPolicy(1, ['slack:#deploys', 'web']) })
    const r = await rig.create()
    await rig.drain()
    const admin = { authorization: 'Bearer tok-admin-000000000000000' }
    const links = (await rig.app.inject({ url: `/v1/requests/${r.id}`, headers: admin })).json().links as Array<{ approver: string; url: string }>
    const link = new URL(links.find((l) => l.approver === 'bob@example.com')!.url)
    const page = await rig.app.inject({ url: `${link.pathname}${link.search}` })
    assert.equal(page.statusCode, 200)
    const form = page.body.slice(page.body.indexOf(`action="/r/${r.id}/approve"`))
    const csrf = /name="csrf" value="([^"]*)"/.exec(form)![1]!.replaceAll('&quot;', '"')
    const body = new URLSearchParams({ t: link.searchParams.get('t')!, csrf, comment: 'from the browser' }).toString()
    const done = await rig.app.inject({ method: 'POST', url: `/r/${r.id}/approve`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: body })
    assert.equal(done.statusCode, 200)
    await rig.drain()
    const post = fake.posts('C0DEPLOYS')[0]!
    assert.equal(actionsBlock(post.blocks), undefined, 'no buttons once decided on the web')
    assert.match(allText(post.blocks), /\*Approved\* by bob@example\.com/)
    assert.match(fake.replies('C0DEPLOYS', post.ts)[0]!.text, /bob@example\.com approved: from the browser/)
  })

  it('expiry updates the message: no buttons, marked expired; a late click is told so', async () => {
    rig = await slackRig(store, fake, { policy: slackPolicy(2, ['slack:#deploys']) })
    const r = await rig.create()
    await rig.drain()
    rig.clock.advance(3_600_000)
    await rig.drain()
    assert.equal((await rig.request(r.id)).status, 'expired')
    const post = fake.posts('C0DEPLOYS')[0]!
    assert.equal(actionsBlock(post.blocks), undefined)
    assert.match(allText(post.blocks), /\*Expired\* without enough approvals/)
    await rig.click(blockActions({ user: 'UBOB', requestId: r.id, action: 'approve', channel: 'C0DEPLOYS', messageTs: post.ts, responseUrl: fake.responseUrl('late') }))
    assert.match(String(fake.responses[0]?.body['text']), /This request is already expired; nothing changed/)
  })

  it('a refused modal submission is answered with an ephemeral message in the conversation', async () => {
    rig = await slackRig(store, fake, { policy: slackPolicy(1, ['slack:#deploys']) })
    const r = await rig.create()
    await rig.drain()
    const meta = JSON.stringify({ requestId: r.id, channel: 'C0DEPLOYS' })
    await rig.click(viewSubmission({ user: 'UMALLORY', privateMetadata: meta, reason: 'no' }))
    assert.deepEqual(fake.ephemerals.map((e) => [e.channel, e.user]), [['C0DEPLOYS', 'UMALLORY']])
    assert.match(fake.ephemerals[0]!.text, /not one of the approvers/)
    assert.equal((await rig.request(r.id)).status, 'pending')
  })

  it('tells a clicker to try again when Slack fails while checking the click; nothing is decided', async () => {
    rig = await slackRig(store, fake, { policy: slackPolicy(1, ['slack:#deploys']) })
    const r = await rig.create()
    await rig.drain()
    fake.httpErrorNext('users.info', 503)
    const ts = fake.posts('C0DEPLOYS')[0]!.ts
    await rig.click(blockActions({ user: 'UBOB', requestId: r.id, action: 'approve', channel: 'C0DEPLOYS', messageTs: ts, responseUrl: fake.responseUrl('bob') }))
    assert.match(String(fake.responses[0]?.body['text']), /could not process your click just now/)
    assert.equal((await rig.request(r.id)).approvals.length, 0)
    await rig.click(blockActions({ user: 'UBOB', requestId: r.id, action: 'approve', channel: 'C0DEPLOYS', messageTs: ts, responseUrl: fake.responseUrl('bob-again') }))
    assert.equal((await rig.request(r.id)).status, 'approved', 'the failed lookup was not cached')
  })
})

