import assert from 'node:assert/strict'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { loadConfig } from '../src/config/index.js'
import { startServer } from '../src/server.js'
import { APPROVALS_CHANNEL, USERS, cardText, click, teamInstall, teamsWorld } from './fakes/teams-harness.js'
import { TestClock, richPolicy, tempDir } from './fixtures.js'

/** Polls `check` until it returns a value, for at most `ms`. */
async function eventually<T>(check: () => T | undefined, ms = 5_000): Promise<T> {
  const deadline = Date.now() + ms
  for (;;) {
    const v = check()
    if (v !== undefined) return v
    if (Date.now() > deadline) throw new Error('timed out waiting')
    await new Promise((r) => setTimeout(r, 20))
  }
}

describe('Teams on a running server', () => {
  it('takes install and click activities over real HTTP at /teams/messages, with the outbox worker posting and updating on its own', async () => {
    const world = await teamsWorld(new TestClock(Date.now()))
    const dir = tempDir({ 'p.rego': richPolicy(1, ', "channels": ["teams:ops"]') })
    const config = loadConfig({
      file: null,
      env: {},
      overrides: {
        database: `sqlite:${join(dir, 'signoff.db')}`,
        port: 0,
        log_level: 'silent',
        worker_interval: 20,
        policy: { paths: [dir], package: 'signoff', watch: false },
        groups: { sre: ['alice@example.com', 'bob@example.com', 'carol@example.com'] },
        tokens: [{ token: 'tok-requester-0000000000', subject: 'ci@example.com', scopes: ['request'] }],
        teams: world.settings,
      },
    })
    const server = await startServer({ config, print: () => {} })
    const post = (activity: Record<string, unknown>, token = world.identity.mint({ serviceUrl: world.connector.serviceUrl })) =>
      fetch(`${server.url}/teams/messages`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify(activity) })
    try {
      assert.equal((await post(teamInstall(world))).status, 200)
      assert.equal((await post(teamInstall(world), world.identity.mint({ serviceUrl: world.connector.serviceUrl, forged: true }))).status, 401)
      const created = await fetch(`${server.url}/v1/requests`, {
        method: 'POST',
        headers: { authorization: 'Bearer tok-requester-0000000000', 'content-type': 'application/json' },
        body: JSON.stringify({ input: { environment: 'production' } }),
      })
      const { id } = (await created.json()) as { id: string }
      const activityId = await eventually(() => [...(world.connector.activities.get(APPROVALS_CHANNEL)?.keys() ?? [])][0])
      const res = await post(click(world, USERS.bob, 'signoff.approve', id, { conversationId: APPROVALS_CHANNEL, activityId }))
      assert.equal(res.status, 200)
      assert.match(res.headers.get('content-type') ?? '', /application\/json/)
      const body = (await res.json()) as { statusCode: number; value: unknown }
      assert.equal(body.statusCode, 200)
      assert.match(cardText(body.value), /Approved: request/)
      await eventually(() => (world.connector.callsTo('PUT', /\/activities\//).length > 0 ? true : undefined))
      assert.match(cardText(world.connector.card(APPROVALS_CHANNEL, activityId)), /bob@example\.com approved via teams/)
      assert.deepEqual(world.invalidCards(), [])
    } finally {
      await server.close()
      await world.close()
    }
  })
})
