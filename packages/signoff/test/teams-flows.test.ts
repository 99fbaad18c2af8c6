import assert from 'node:assert/strict'
import { afterEach, beforeEach, describe, it } from 'node:test'
import type { Store } from '../src/store/index.js'
import { DIALECTS } from './dialects.js'
import {
  APPROVALS_CHANNEL,
  TEAM,
  USERS,
  assertValidCard,
  cardText,
  cardVerbs,
  click,
  invokeCard,
  personalInstall,
  sendActivity,
  teamInstall,
  teamsSignoff,
  teamsWorld,
  type TeamsSignoff,
  type TeamsWorld,
  drain,
} from './fakes/teams-harness.js'
import { TestClock, richPolicy, tempDir } from './fixtures.js'

const REQUESTER = 'tok-requester-0000000000'
const ALICE_TOKEN = 'tok-alice-000000000000000'
const BOB_TOKEN = 'tok-bob-00000000000000000'
const ADMIN = 'tok-admin-000000000000000'

for (const dialect of DIALECTS) {
  describe(`${dialect.name}: Teams approvals end to end`, () => {
    let store: Store
    let cleanup: () => Promise<void>
    let world: TeamsWorld
    let s: TeamsSignoff
    let clock: TestClock
    const policy = (min: number, channels: string[]) => tempDir({ 'p.rego': richPolicy(min, `, "channels": ${JSON.stringify(channels)}`) })
    const team2 = policy(2, ['teams:ops'])
    const team1 = policy(1, ['teams:ops'])

    beforeEach(async () => {
      clock = new TestClock()
      world = await teamsWorld(clock)
      ;({ store, cleanup } = await dialect.open())
    })
    afterEach(async () => {
      try {
        assert.deepEqual(world.invalidCards(), [], 'every card sent passes the adaptivecards parser and the size limit')
      } finally {
        await s.close()
        await cleanup()
        await world.close()
      }
    })

    const create = async (token = REQUESTER): Promise<string> => {
      const res = await s.app.inject({
        method: 'POST',
        url: '/v1/requests',
        headers: { authorization: `Bearer ${token}` },
        payload: { input: { environment: 'production', service: 'payments', nonce: Math.random() } },
      })
      assert.equal(res.statusCode, 201, res.body)
      return (res.json() as { id: string }).id
    }
    const request = async (id: string) => {
      const res = await s.app.inject({ method: 'GET', url: `/v1/requests/${id}`, headers: { authorization: `Bearer ${ADMIN}` } })
      return res.json() as { status: string; approvals: Array<{ approver: string; decision: string; comment: string | null; via: string }>; posts?: Array<{ channel: string; destination: string; message_id: string }> }
    }
    const install = async () => assert.equal((await sendActivity(s, world, teamInstall(world))).status, 200)
    const channelPost = (id: string) => {
      const posts = world.connector.callsTo('POST', /\/activities$/).filter((c) => c.conversationId === APPROVALS_CHANNEL && cardText(c.body).includes(id))
      assert.equal(posts.length, 1, 'exactly one card posted to the Approvals channel')
      const activityId = [...world.connector.activities.get(APPROVALS_CHANNEL)!.entries()].find(([, a]) => cardText(a).includes(id))![0]
      return { conversationId: APPROVALS_CHANNEL, activityId }
    }

    it('learns references from install events, and they survive a new services instance on the same store', async () => {
      s = await teamsSignoff(store, team2, world, clock)
      await install()
      assert.equal((await sendActivity(s, world, personalInstall(world, USERS.bob))).status, 200)
      const refs = await store.listChannelState('teams', 'conv:')
      const general = refs.find((r) => r.key === `conv:${TEAM.id}`)?.value as Record<string, unknown>
      assert.equal(general['teamName'], 'Operations')
      assert.equal(general['channelName'], 'General')
      assert.equal(general['serviceUrl'], world.connector.serviceUrl)
      assert.equal(general['tenantId'], 'tenant-1')
      const dm = refs.find((r) => r.key === `conv:a:dm-${USERS.bob.objectId}`)?.value as Record<string, unknown>
      assert.equal(dm['email'], 'bob@example.com', 'the personal chat is keyed to the email from the roster')
      assert.equal(dm['aadObjectId'], USERS.bob.objectId)

      await s.close()
      s = await teamsSignoff(store, team2, world, clock)
      const id = await create()
      await drain(s)
      channelPost(id)
      const posts = (await request(id)).posts ?? []
      assert.deepEqual(posts.filter((p) => p.channel === 'teams').map((p) => p.destination), [APPROVALS_CHANNEL])
    })

    it('full approve flow: card posted, two clicks answered with refreshed cards, the post replaced with the final card', async () => {
      s = await teamsSignoff(store, team2, world, clock)
      await install()
      const id = await create()
      await drain(s)
      const where = channelPost(id)
      const posted = world.connector.card(where.conversationId, where.activityId)!
      assertValidCard(posted)
      assert.equal(posted['version'], '1.5')
      assert.deepEqual(cardVerbs(posted), ['signoff.approve', 'signoff.reject'])
      assert.match(cardText(posted), /production deploys need SREs/)
      assert.match(cardText(posted), /Approvals: 0 of 2/)
      assert.match(cardText(posted), /Input digest: sha256:[0-9a-f]{64}/)
      const open = (posted['actions'] as Array<{ type: string; url?: string }>).find((a) => a.type === 'Action.OpenUrl')!
      assert.equal(open.url, `${s.services.config.public_url}/ui/requests/${id}`, 'a shared channel gets the request page, not anyone\'s signed link')

      const first = invokeCard(await sendActivity(s, world, click(world, USERS.alice, 'signoff.approve', id, where)))
      assert.match(cardText(first), /Approvals: 1 of 2/)
      assert.match(cardText(first), /alice@example\.com approved via teams/)
      assert.deepEqual((first['refresh'] as { userIds: string[] }).userIds, ['8:orgid:aad-alice'], 'the approvers signoff has met refresh automatically')
      await drain(s)
      const afterFirst = world.connector.callsTo('PUT', /\/activities\//)
      assert.equal(afterFirst.length, 1)
      assert.match(cardText(afterFirst[0]!.body), /Approvals: 1 of 2/)

      const second = invokeCard(await sendActivity(s, world, click(world, USERS.carol, 'signoff.approve', id, where)))
      assert.match(cardText(second), /Approved: request/)
      assert.deepEqual(cardVerbs(second), [], 'a final card has no buttons')
      await drain(s)
      const final = world.connector.card(where.conversationId, where.activityId)!
      assertValidCard(final)
      assert.match(cardText(final), /Approved: request/)
      assert.match(cardText(final), /carol@example\.com approved via teams/)
      assert.equal(final['refresh'], undefined)
      const r = await request(id)
      assert.equal(r.status, 'approved')
      assert.deepEqual(r.approvals.map((a) => [a.approver, a.via]), [['alice@example.com', 'teams'], ['carol@example.com', 'teams']])
    })

    it('reject with a comment records the comment and shows it on the card', async () => {
      s = await teamsSignoff(store, team2, world, clock)
      await install()
      const id = await create()
      await drain(s)
      const where = channelPost(id)
      const card = invokeCard(await sendActivity(s, world, click(world, USERS.bob, 'signoff.reject', id, where, '  not during the freeze ')))
      assert.match(cardText(card), /Rejected: request/)
      assert.match(cardText(card), /bob@example\.com rejected via teams, .*: "not during the freeze"/)
      const r = await request(id)
      assert.equal(r.status, 'rejected')
      assert.deepEqual(r.approvals, [{ ...r.approvals[0]!, approver: 'bob@example.com', decision: 'reject', comment: 'not during the freeze', via: 'teams' }])
      await drain(s)
      assert.match(cardText(world.connector.card(where.conversationId, where.activityId)), /not during the freeze/)
    })

    it('quorum with concurrent clicks: exactly one approved transition', async () => {
      s = await teamsSignoff(store, team2, world, clock)
      await install()
      const id = await create()
      await drain(s)
      const where = channelPost(id)
      const answers = await Promise.all([USERS.alice, USERS.bob, USERS.carol].map((u) => sendActivity(s, world, click(world, u, 'signoff.approve', id, where))))
      const cards = answers.map(invokeCard)
      const refused = cards.filter((c) => cardText(c).startsWith('Not recorded'))
      assert.equal(refused.length, 1, 'the third click finds the request decided')
      assert.match(cardText(refused[0]), /already approved/)
      const r = await request(id)
      assert.equal(r.status, 'approved')
      assert.equal(r.approvals.length, 2)
      const log = await store.logForRequest(id)
      assert.equal(log.filter((e) => e.event === 'approved').length, 1)
      assert.equal(log.filter((e) => e.event === 'approval').length, 2)
      await drain(s)
      assert.match(cardText(world.connector.card(where.conversationId, where.activityId)), /Approved: request/)
    })

    it('ineligible and self-approval clicks get a refusal card and change nothing', async () => {
      s = await teamsSignoff(store, team2, world, clock)
      await install()
      const id = await create(ALICE_TOKEN)
      await drain(s)
      const where = channelPost(id)
      const putsBefore = world.connector.callsTo('PUT', /./).length

      const outsider = invokeCard(await sendActivity(s, world, click(world, USERS.mallory, 'signoff.approve', id, where)))
      assert.match(cardText(outsider), /^Not recorded: .*mallory@example\.com/)
      assert.deepEqual(cardVerbs(outsider), ['signoff.approve', 'signoff.reject'], 'the request is still pending')
      const self = invokeCard(await sendActivity(s, world, click(world, USERS.alice, 'signoff.approve', id, where)))
      assert.match(cardText(self), /^Not recorded: .*own request/)

      const r = await request(id)
      assert.equal(r.status, 'pending')
      assert.deepEqual(r.approvals, [])
      await drain(s)
      assert.equal(world.connector.callsTo('PUT', /./).length, putsBefore, 'no update for a refused click')
    })

    it('a decision on the API updates the Teams card', async () => {
      s = await teamsSignoff(store, team2, world, clock)
      await install()
      const id = await create()
      await drain(s)
      const where = channelPost(id)
      const res = await s.app.inject({ method: 'POST', url: `/v1/requests/${id}/approve`, headers: { authorization: `Bearer ${BOB_TOKEN}` }, payload: { comment: 'from the CLI' } })
      assert.equal(res.statusCode, 200, res.body)
      await drain(s)
      const puts = world.connector.callsTo('PUT', /\/activities\//).filter((c) => c.activityId === where.activityId)
      assert.equal(puts.length, 1)
      const card = world.connector.card(where.conversationId, where.activityId)!
      assertValidCard(card)
      assert.match(cardText(card), /bob@example\.com approved via api, .*: "from the CLI"/)
      assert.match(cardText(card), /Approvals: 1 of 2/)
    })

    it('a decision on the web page updates the Teams card', async () => {
      s = await teamsSignoff(store, team2, world, clock)
      await install()
      const id = await create()
      await drain(s)
      const where = channelPost(id)
      const links = ((await s.app.inject({ method: 'GET', url: `/v1/requests/${id}`, headers: { authorization: `Bearer ${ADMIN}` } })).json() as { links: Array<{ approver: string; url: string }> }).links
      const link = new URL(links.find((l) => l.approver === 'carol@example.com')!.url)
      const page = await s.app.inject({ method: 'GET', url: `${link.pathname}${link.search}` })
      assert.equal(page.statusCode, 200)
      const field = (name: string) => new RegExp(`action="/r/${id}/approve">\\n(?:.*\\n)*?<input type="hidden" name="${name}" value="([^"]*)"`).exec(page.body)![1]!
      const form = new URLSearchParams({ t: field('t'), csrf: field('csrf'), comment: 'checked the diff' })
      const submitted = await s.app.inject({ method: 'POST', url: `/r/${id}/approve`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: form.toString() })
      assert.ok(submitted.statusCode < 400, submitted.body)
      await drain(s)
      const card = world.connector.card(where.conversationId, where.activityId)!
      assertValidCard(card)
      assert.match(cardText(card), /carol@example\.com approved via web, .*: "checked the diff"/)
      assert.equal(world.connector.callsTo('PUT', /\/activities\//).filter((c) => c.activityId === where.activityId).length, 1)
    })

    it('a restart between the click and the update still replaces the card', async () => {
      s = await teamsSignoff(store, team1, world, clock)
      await install()
      const id = await create()
      await drain(s)
      const where = channelPost(id)
      invokeCard(await sendActivity(s, world, click(world, USERS.bob, 'signoff.approve', id, where)))
      const putsBefore = world.connector.callsTo('PUT', /./).length
      await s.close()

      s = await teamsSignoff(store, team1, world, clock)
      await drain(s)
      const puts = world.connector.callsTo('PUT', /\/activities\//).slice(putsBefore)
      assert.equal(puts.length, 1)
      assert.equal(puts[0]!.activityId, where.activityId)
      assert.match(cardText(world.connector.card(where.conversationId, where.activityId)), /Approved: request/)
      assert.equal(world.connector.callsTo('POST', /\/activities$/).filter((c) => cardText(c.body).includes(id)).length, 1, 'nothing posted twice')
    })

    it('teams:dm posts to each eligible approver with the app, and a DM click updates every DM', async () => {
      s = await teamsSignoff(store, policy(1, ['teams:dm']), world, clock)
      for (const u of [USERS.alice, USERS.bob, USERS.mallory]) assert.equal((await sendActivity(s, world, personalInstall(world, u))).status, 200)
      const id = await create()
      await drain(s)
      const dms = world.connector.callsTo('POST', /\/activities$/).filter((c) => cardText(c.body).includes(id))
      assert.deepEqual(dms.map((c) => c.conversationId).sort(), [`a:dm-${USERS.alice.objectId}`, `a:dm-${USERS.bob.objectId}`], 'mallory is not eligible; carol has no chat')
      const openUrl = (body: unknown) => ((body as { attachments: Array<{ content: { actions: Array<{ type: string; url?: string }> } }> }).attachments[0]!.content.actions.find((a) => a.type === 'Action.OpenUrl')!.url!)
      const links = dms.map((c) => new URL(openUrl(c.body)))
      for (const link of links) assert.equal(link.pathname, `/r/${id}`, 'each approver gets their own signed link in their DM')
      assert.notEqual(links[0]!.searchParams.get('t'), links[1]!.searchParams.get('t'))
      const page = await s.app.inject({ method: 'GET', url: `${links[0]!.pathname}${links[0]!.search}` })
      assert.equal(page.statusCode, 200, 'the link opens the approval page without a sign-in')
      const r = await request(id)
      assert.equal(r.posts?.filter((p) => p.channel === 'teams').length, 2)
      const bobChat = `a:dm-${USERS.bob.objectId}`
      const bobDm = { conversationId: bobChat, activityId: [...world.connector.activities.get(bobChat)!.keys()][0]! }
      const card = invokeCard(await sendActivity(s, world, click(world, USERS.bob, 'signoff.approve', id, bobDm)))
      assert.match(cardText(card), /Approved: request/)
      await drain(s)
      const puts = world.connector.callsTo('PUT', /\/activities\//).filter((c) => cardText(c.body).includes(id))
      assert.deepEqual(puts.map((c) => c.conversationId).sort(), dms.map((c) => c.conversationId).sort())
    })
  })
}
