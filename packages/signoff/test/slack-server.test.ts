import { strict as assert } from 'node:assert'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { loadConfig } from '../src/config/index.js'
import { startServer } from '../src/server.js'
import { APP_TOKEN, BOT_TOKEN, SlackFake, TEAM } from './fakes/slack-fake.js'
import { SIGNING_SECRET, blockActions, signedRequest } from './fakes/slack-payloads.js'
import { seedWorkspace, slackPolicy } from './fakes/slack-rig.js'
import { tempDir } from './fixtures.js'

/** Polls `check` until it holds, for at most `ms`. */
async function eventually(check: () => boolean | Promise<boolean>, ms = 5000): Promise<void> {
  const end = Date.now() + ms
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not reached in time')
    await new Promise((r) => setTimeout(r, 10))
  }
}

describe('slack: a configured server', () => {
  for (const transport of ['http', 'socket'] as const) {
    it(`${transport}: SIGNOFF_SLACK_* configure the channel; a request is posted, clicked over the wire and finalised by the running worker`, async () => {
      const fake = seedWorkspace(await SlackFake.start())
      const dir = tempDir({ 'p.rego': slackPolicy(1, ['slack:#deploys']) })
      const env: Record<string, string> = { SIGNOFF_SLACK_BOT_TOKEN: BOT_TOKEN, SIGNOFF_SLACK_API_URL: fake.apiUrl, SIGNOFF_SLACK_TEAM_ID: TEAM }
      if (transport === 'http') env['SIGNOFF_SLACK_SIGNING_SECRET'] = SIGNING_SECRET
      else env['SIGNOFF_SLACK_APP_TOKEN'] = APP_TOKEN
      const config = loadConfig({
        file: null,
        env,
        overrides: {
          database: `sqlite:${join(dir, 'signoff.db')}`,
          port: 0,
          worker_interval: 20,
          policy: { paths: [dir], package: 'signoff', watch: false },
          groups: { sre: ['alice@example.com', 'bob@example.com'] },
          tokens: [{ token: 'tok-requester-0000000000', subject: 'ci@example.com', scopes: ['request'] }],
        },
      })
      const lines: string[] = []
      const server = await startServer({ config, print: () => {}, logger: { level: 'debug', stream: { write: (l: string) => void lines.push(l) } } })
      try {
        const res = await fetch(`${server.url}/v1/requests`, {
          method: 'POST',
          headers: { authorization: 'Bearer tok-requester-0000000000', 'content-type': 'application/json' },
          body: JSON.stringify({ input: { environment: 'production', service: 'api' } }),
        })
        const id = ((await res.json()) as { id: string }).id
        await eventually(() => fake.posts('C0DEPLOYS').length === 1)
        const post = fake.posts('C0DEPLOYS')[0]!
        const click = blockActions({ user: 'UALICE', requestId: id, action: 'approve', channel: 'C0DEPLOYS', messageTs: post.ts, responseUrl: fake.responseUrl('alice') })
        if (transport === 'http') {
          const { headers, body } = signedRequest(click, Date.now())
          const answer = await fetch(`${server.url}/slack/interactions`, { method: 'POST', headers, body })
          assert.equal(answer.status, 200)
          assert.equal(await answer.text(), '')
        } else {
          assert.deepEqual(await fake.pushInteractive(click), [{}])
        }
        await eventually(() => post.edits > 0 && !post.blocks.some((b) => (b as { type: string }).type === 'actions'))
        assert.match(JSON.stringify(post.blocks), /\*Approved\* by alice@example\.com/)
        await eventually(() => fake.posts('DCI').length === 1)
        const log = lines.join('')
        for (const secret of [BOT_TOKEN, APP_TOKEN, SIGNING_SECRET]) assert.ok(!log.includes(secret), 'no secret in the log')
        assert.match(log, /slack vote recorded/)
      } finally {
        await server.close()
        await fake.close()
      }
    })
  }
})
