import assert from 'node:assert/strict'
import { afterEach, beforeEach, describe, it } from 'node:test'
import { SlackChannel } from '../src/channels/slack/index.js'
import { buildApp } from '../src/http/index.js'
import { configuredChannels } from '../src/services/configured-channels.js'
import type { Store } from '../src/store/index.js'
import { DIALECTS } from './dialects.js'
import { BOT_TOKEN, SlackFake, TEAM as SLACK_TEAM } from './fakes/slack-fake.js'
import { SIGNING_SECRET, blockActions, signedRequest } from './fakes/slack-payloads.js'
import { seedWorkspace, slackPolicy } from './fakes/slack-rig.js'
import { APPROVALS_CHANNEL, USERS, cardText, cardVerbs, click, invokeCard, sendActivity, teamInstall, teamsWorld, type TeamsWorld } from './fakes/teams-harness.js'
import { TestClock, tempDir, testConfig, testServices } from './fixtures.js'

/**
 * One request asked in Slack and in Teams at once: a vote on either platform updates the other
 * platform's message, through the same outbox.
 */
for (const dialect of DIALECTS) {
  describe(`${dialect.name}: Slack and Teams on one request`, () => {
    let store: Store
    let cleanup: () => Promise<void>
    let slack: SlackFake
    let world: TeamsWorld
    let clock: TestClock
    let close: () => Promise<void> = async () => {}

    beforeEach(async () => {
      clock = new TestClock()
      ;({ store, cleanup } = await dialect.open())
      slack = seedWorkspace(await SlackFake.start())
      world = await teamsWorld(clock)
    })
    afterEach(async () => {
      await close()
      await Promise.all([slack.close(), world.close()])
      await cleanup()
    })

    async function signoff(min: number) {
      const slackChannel = new SlackChannel({ botToken: BOT_TOKEN, signingSecret: SIGNING_SECRET, appToken: null, apiUrl: slack.apiUrl, teamId: SLACK_TEAM })
      const channels = [slackChannel, ...configuredChannels(testConfig({ teams: world.settings }))]
      const policy = tempDir({ 'p.rego': slackPolicy(min, ['slack:#deploys', 'teams:ops']) })
      const { services } = await testServices(store, policy, { clock, config: { teams: world.settings }, services: { channels } })
      await services.startChannels()
      const app = await buildApp({ context: { config: services.config, services, now: services.now, ready: () => true }, logger: false })
      const s = {
        services,
        app,
        async close() {
          await app.close()
          await services.stopChannels()
        },
      }
      close = s.close
      assert.equal((await sendActivity(s, world, teamInstall(world))).status, 200)
      const drain = async () => {
        for (let i = 0; i < 10; i++) if ((await services.worker.tick()) === 0) return
        throw new Error('the outbox did not drain')
      }
      const id = (await services.requests.create({ input: { environment: 'production', service: 'api' } }, { subject: 'ci@example.com', scopes: ['request'] })).request.id
      await drain()
      const slackPost = slack.posts('C0DEPLOYS')[0]!
      const teamsPost = [...world.connector.activities.get(APPROVALS_CHANNEL)!.entries()].find(([, a]) => cardText(a).includes(id))!
      return { s, slackChannel, drain, id, slackPost, teamsActivity: teamsPost[0] }
    }

    it('a Slack click updates the Teams card', async () => {
      const { s, slackChannel, drain, id, slackPost, teamsActivity } = await signoff(1)
      const { headers, body } = signedRequest(blockActions({ user: 'UBOB', requestId: id, action: 'approve', channel: 'C0DEPLOYS', messageTs: slackPost.ts, responseUrl: slack.responseUrl('bob') }), clock.now())
      assert.equal((await s.app.inject({ method: 'POST', url: '/slack/interactions', headers, payload: body })).statusCode, 200)
      await slackChannel.settled()
      assert.equal((await s.services.requests.get(id)).status, 'approved')
      await drain()
      const card = world.connector.card(APPROVALS_CHANNEL, teamsActivity)!
      assert.match(cardText(card), /bob@example\.com approved via slack/)
      assert.deepEqual(cardVerbs(card), [], 'no buttons on the Teams card once decided in Slack')
      assert.deepEqual(world.invalidCards(), [])
    })

    it('a Teams click updates the Slack message', async () => {
      const { s, drain, id, slackPost, teamsActivity } = await signoff(2)
      invokeCard(await sendActivity(s, world, click(world, USERS.bob, 'signoff.approve', id, { conversationId: APPROVALS_CHANNEL, activityId: teamsActivity })))
      await drain()
      const pending = JSON.stringify(slack.posts('C0DEPLOYS')[0]!.blocks)
      assert.match(pending, /1 of 2/, 'the Slack message shows the Teams vote in its progress')
      assert.match(slack.replies('C0DEPLOYS', slackPost.ts)[0]!.text, /bob@example\.com approved/)
      assert.equal(slack.posts('C0DEPLOYS').length, 1, 'updated in place')
    })
  })
}
