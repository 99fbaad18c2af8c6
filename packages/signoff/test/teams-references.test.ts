import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { ChannelStateStore } from '../src/channels/channel.js'
import { parseActivity, type InboundActivity } from '../src/channels/teams/teams-activity.js'
import { retryAfterMs } from '../src/channels/teams/teams-http-errors.js'
import { ConversationReferences } from '../src/channels/teams/teams-references.js'

/** The durable state as a Map (the store-backed one is exercised by the flow tests). */
function memoryState(): ChannelStateStore & { map: Map<string, unknown> } {
  const map = new Map<string, unknown>()
  return {
    map,
    get: async (k) => map.get(k),
    put: async (k, v) => void map.set(k, structuredClone(v)),
    list: async (prefix) => [...map.entries()].filter(([k]) => k.startsWith(prefix)).map(([key, value]) => ({ key, value })),
  }
}

function activity(raw: Record<string, unknown>): InboundActivity {
  const parsed = parseActivity(JSON.stringify({ channelId: 'msteams', serviceUrl: 'https://smba.trafficmanager.net/emea/', ...raw }))
  assert.ok(parsed.ok)
  return parsed.activity
}

const TEAM = { id: '19:team@thread.tacv2', name: 'Operations' }

describe('Teams conversation references', () => {
  it('learns team channels by name from install, channel-created and renamed events, and finds them case-insensitively', async () => {
    const refs = new ConversationReferences(memoryState())
    await refs.learn(activity({ type: 'conversationUpdate', conversation: { id: TEAM.id, conversationType: 'channel' }, channelData: { team: TEAM, tenant: { id: 't' } } }), null)
    assert.equal((await refs.namedChannel('operations', 'general'))?.conversationId, TEAM.id)
    await refs.learn(
      activity({ type: 'conversationUpdate', conversation: { id: TEAM.id, conversationType: 'channel' }, channelData: { eventType: 'channelCreated', team: TEAM, channel: { id: '19:new@thread.tacv2', name: 'Deploys' }, tenant: { id: 't' } } }),
      null,
    )
    assert.equal((await refs.namedChannel('Operations', 'Deploys'))?.serviceUrl, 'https://smba.trafficmanager.net/emea/')
    await refs.learn(
      activity({ type: 'conversationUpdate', conversation: { id: TEAM.id, conversationType: 'channel' }, channelData: { eventType: 'channelRenamed', team: TEAM, channel: { id: '19:new@thread.tacv2', name: 'Releases' }, tenant: { id: 't' } } }),
      null,
    )
    assert.equal(await refs.namedChannel('Operations', 'Deploys'), null)
    assert.equal((await refs.namedChannel('Operations', 'Releases'))?.conversationId, '19:new@thread.tacv2')
  })

  it('keeps a channel reference by channel id when the activity is a reply in a thread, and keeps its learnt names', async () => {
    const refs = new ConversationReferences(memoryState())
    await refs.learnChannels({ teamId: TEAM.id, teamName: TEAM.name, serviceUrl: 'https://smba.trafficmanager.net/emea/', tenantId: 't' }, [{ id: TEAM.id }, { id: '19:a@thread.tacv2', name: 'Approvals' }])
    await refs.learn(
      activity({ type: 'message', conversation: { id: '19:a@thread.tacv2;messageid=1700', conversationType: 'channel' }, from: { id: '29:u', aadObjectId: 'aad-u' }, channelData: { team: { id: TEAM.id }, channel: { id: '19:a@thread.tacv2' }, tenant: { id: 't' } } }),
      'u@example.com',
    )
    const ref = await refs.conversation('19:a@thread.tacv2')
    assert.deepEqual(ref, { serviceUrl: 'https://smba.trafficmanager.net/emea/', tenantId: 't', kind: 'channel', conversationId: '19:a@thread.tacv2', teamId: TEAM.id, teamName: 'Operations', channelName: 'Approvals' })
    assert.equal((await refs.namedChannel('Operations', 'General'))?.conversationId, TEAM.id)
    assert.deepEqual(await refs.aadIds(['U@example.com']), ['aad-u'])
  })

  it('finds personal chats by email, and keeps an email learnt once when a later activity comes without it', async () => {
    const refs = new ConversationReferences(memoryState())
    const dm = { type: 'installationUpdate', conversation: { id: 'a:1', conversationType: 'personal', tenantId: 't' }, from: { id: '29:b', aadObjectId: 'aad-b' } }
    await refs.learn(activity(dm), null)
    assert.equal(await refs.needsEmail('a:1'), true)
    assert.deepEqual(await refs.personalChats(['bob@example.com']), [])
    await refs.learn(activity(dm), 'bob@example.com')
    await refs.learn(activity({ ...dm, type: 'message' }), null)
    assert.equal(await refs.needsEmail('a:1'), false)
    assert.deepEqual((await refs.personalChats(['BOB@example.com'])).map((r) => [r.conversationId, r.userId, r.aadObjectId]), [['a:1', '29:b', 'aad-b']])
  })
})

describe('Teams activities and Retry-After', () => {
  it('refuses bodies that are not activities, naming what is missing', () => {
    assert.deepEqual(parseActivity('{'), { ok: false, fault: 'json', message: 'the body is not valid JSON' })
    for (const body of ['[]', '{"type":"message"}', '{"type":"message","serviceUrl":"ftp://x","conversation":{"id":"a"}}', '{"type":"message","serviceUrl":"https://x","conversation":{}}']) {
      const r = parseActivity(body)
      assert.ok(!r.ok && r.fault === 'shape', body)
    }
  })

  it('reads Retry-After as seconds or an HTTP date', () => {
    const now = Date.UTC(2026, 0, 1, 12)
    assert.equal(retryAfterMs('7', now), 7000)
    assert.equal(retryAfterMs('0.5', now), 500)
    assert.equal(retryAfterMs(new Date(now + 30_000).toUTCString(), now), 30_000)
    assert.equal(retryAfterMs(null, now), null)
    assert.equal(retryAfterMs('soon', now), null)
  })
})
