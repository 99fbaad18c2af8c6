import assert from 'node:assert/strict'
import type { FastifyInstance } from 'fastify'
import { buildApp } from '../../src/http/index.js'
import { configuredChannels } from '../../src/services/configured-channels.js'
import type { SignoffServices } from '../../src/services/index.js'
import type { Store } from '../../src/store/index.js'
import { testConfig, testServices, type TestClock } from '../fixtures.js'
import { cardProblems } from './teams-card-check.js'
import { FakeBotConnector, type FakeMember } from './teams-connector.js'
import { FakeTeamsIdentity } from './teams-identity.js'
import { FakeWorkflowsWebhook } from './teams-workflows.js'

export const APP_ID = 'app-123'
export const TENANT = 'tenant-1'
export const APP_PASSWORD = 'app-secret-value-123'
export const TEAM = { id: '19:team-ops@thread.tacv2', name: 'Operations' }
export const APPROVALS_CHANNEL = '19:approvals@thread.tacv2'

/** The roster: three SREs (carol has only a UPN), an outsider, and the CI requester. */
export const USERS = {
  alice: { id: '29:alice', objectId: 'aad-alice', name: 'Alice', email: 'Alice@example.com' },
  bob: { id: '29:bob', objectId: 'aad-bob', name: 'Bob', email: 'bob@example.com' },
  carol: { id: '29:carol', objectId: 'aad-carol', name: 'Carol', userPrincipalName: 'carol@example.com' },
  mallory: { id: '29:mallory', objectId: 'aad-mallory', name: 'Mallory', email: 'mallory@example.com' },
  ci: { id: '29:ci', objectId: 'aad-ci', name: 'CI', email: 'ci@example.com' },
} satisfies Record<string, FakeMember>

/** The loopback Microsoft side: identity (JWKS, token endpoint), Bot Connector, Workflows trigger. */
export interface TeamsWorld {
  readonly identity: FakeTeamsIdentity
  readonly connector: FakeBotConnector
  readonly workflows: FakeWorkflowsWebhook
  /** The `teams:` configuration section pointing at the fakes. */
  readonly settings: Record<string, unknown>
  /** Every card signoff sent that the `adaptivecards` parser or the size limit refused (should stay empty). */
  invalidCards(): string[]
  close(): Promise<void>
}

export async function teamsWorld(clock: TestClock): Promise<TeamsWorld> {
  const identity = await new FakeTeamsIdentity({ appId: APP_ID, appPassword: APP_PASSWORD, tenantId: TENANT, now: clock.now }).start()
  const connector = await new FakeBotConnector((t) => identity.issued(t)).start()
  const workflows = await new FakeWorkflowsWebhook().start()
  for (const u of Object.values(USERS)) connector.addMember(u)
  connector.teamChannels.set(TEAM.id, [{ id: TEAM.id }, { id: APPROVALS_CHANNEL, name: 'Approvals' }, { id: '19:random@thread.tacv2', name: 'Random' }])
  return {
    identity,
    connector,
    workflows,
    settings: {
      app_id: APP_ID,
      app_password: APP_PASSWORD,
      tenant_id: TENANT,
      login_url: identity.url,
      openid_metadata_url: identity.openIdMetadataUrl,
      destinations: { ops: { team: 'Operations', channel: 'Approvals' }, missing: { team: 'Operations', channel: 'Nowhere' } },
      workflows_webhooks: { security: workflows.url },
    },
    invalidCards: () => [...connector.invalidCards, ...workflows.invalidCards],
    async close() {
      await Promise.all([identity.close(), connector.close(), workflows.close()])
    },
  }
}

/** A signoff (services + HTTP app, worker driven by hand) with the Teams channels from config. */
export interface TeamsSignoff {
  readonly services: SignoffServices
  readonly app: FastifyInstance
  close(): Promise<void>
}

export async function teamsSignoff(store: Store, policyDir: string, world: TeamsWorld, clock: TestClock): Promise<TeamsSignoff> {
  const channels = configuredChannels(testConfig({ teams: world.settings }))
  const { services } = await testServices(store, policyDir, { clock, config: { teams: world.settings }, services: { channels, outbox: { baseDelayMs: 1000 } } })
  await services.startChannels()
  const app = await buildApp({ context: { config: services.config, services, now: services.now, ready: () => true }, logger: false })
  return {
    services,
    app,
    async close() {
      await app.close()
      await services.worker.stop()
      await services.stopChannels()
    },
  }
}

/**
 * Runs the outbox until no job is due. A worker that was never started handles one batch per
 * tick, and a state change fans out into per-post jobs in a second batch.
 */
export async function drain(s: TeamsSignoff): Promise<void> {
  for (let i = 0; i < 10; i++) if ((await s.services.worker.tick()) === 0) return
  throw new Error('the outbox kept finding due jobs')
}

type Member = (typeof USERS)[keyof typeof USERS]

/** The `conversationUpdate` Teams sends when the app is added to a team (in its General channel). */
export function teamInstall(world: TeamsWorld, installer: Member = USERS.alice): Record<string, unknown> {
  return {
    type: 'conversationUpdate',
    id: 'f:install-team',
    channelId: 'msteams',
    serviceUrl: world.connector.serviceUrl,
    from: { id: installer.id, aadObjectId: installer.objectId },
    recipient: { id: `28:${APP_ID}` },
    conversation: { id: TEAM.id, conversationType: 'channel', isGroup: true, tenantId: TENANT },
    membersAdded: [{ id: `28:${APP_ID}` }],
    channelData: { team: { id: TEAM.id, name: TEAM.name, aadGroupId: 'group-ops' }, eventType: 'teamMemberAdded', tenant: { id: TENANT } },
  }
}

/** The `installationUpdate` of a user adding the app for themselves (their personal chat). */
export function personalInstall(world: TeamsWorld, user: Member): Record<string, unknown> {
  return {
    type: 'installationUpdate',
    action: 'add',
    id: `f:install-${user.objectId}`,
    channelId: 'msteams',
    serviceUrl: world.connector.serviceUrl,
    from: { id: user.id, aadObjectId: user.objectId },
    recipient: { id: `28:${APP_ID}` },
    conversation: { id: `a:dm-${user.objectId}`, conversationType: 'personal', tenantId: TENANT },
    channelData: { tenant: { id: TENANT }, source: { name: 'message' } },
  }
}

/** The `adaptiveCard/action` invoke of a click (chat-platforms.md §6.2). */
export function click(
  world: TeamsWorld,
  user: Member,
  verb: string,
  requestId: string,
  where: { conversationId: string; activityId: string },
  comment?: string,
): Record<string, unknown> {
  const channel = where.conversationId.startsWith('19:')
  return {
    type: 'invoke',
    name: 'adaptiveCard/action',
    id: `f:click-${Math.random().toString(36).slice(2)}`,
    channelId: 'msteams',
    serviceUrl: world.connector.serviceUrl,
    replyToId: where.activityId,
    from: { id: user.id, name: user.name, aadObjectId: user.objectId },
    recipient: { id: `28:${APP_ID}` },
    conversation: channel
      ? { id: `${where.conversationId};messageid=${where.activityId}`, conversationType: 'channel', isGroup: true, tenantId: TENANT }
      : { id: where.conversationId, conversationType: 'personal', tenantId: TENANT },
    channelData: channel ? { tenant: { id: TENANT }, team: { id: TEAM.id }, channel: { id: where.conversationId } } : { tenant: { id: TENANT } },
    value: { action: { type: 'Action.Execute', verb, data: { requestId, ...(comment ? { comment } : {}) } }, trigger: 'manual' },
  }
}

/** POSTs an activity to `/teams/messages` with a token minted for it (or `token`). */
export async function sendActivity(s: TeamsSignoff, world: TeamsWorld, activity: Record<string, unknown>, token?: string): Promise<{ status: number; body: string }> {
  const bearer = token ?? world.identity.mint({ serviceUrl: String(activity['serviceUrl']) })
  const res = await s.app.inject({
    method: 'POST',
    url: '/teams/messages',
    headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
    payload: JSON.stringify(activity),
  })
  if (res.statusCode === 200 && res.body !== '') {
    const body = JSON.parse(res.body) as { type?: string; value?: unknown }
    if (body.type === 'application/vnd.microsoft.card.adaptive') assertValidCard(body.value)
  }
  return { status: res.statusCode, body: res.body }
}

/** The card of an invoke response, after checking the envelope. */
export function invokeCard(res: { status: number; body: string }): Record<string, unknown> {
  assert.equal(res.status, 200, res.body)
  const body = JSON.parse(res.body) as { statusCode: number; type: string; value: Record<string, unknown> }
  assert.equal(body.statusCode, 200)
  assert.equal(body.type, 'application/vnd.microsoft.card.adaptive')
  assertValidCard(body.value)
  return body.value
}

/** Checks `card` with the `adaptivecards` parser and against Teams' size limit. */
export function assertValidCard(card: unknown): void {
  assert.deepEqual(cardProblems(card), [])
}

/** Every text of a card (TextBlocks and fact values), for assertions on what it says. */
export function cardText(card: unknown): string {
  const out: string[] = []
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk)
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>
      if (o['type'] === 'TextBlock' && typeof o['text'] === 'string') out.push(o['text'])
      if (typeof o['title'] === 'string' && typeof o['value'] === 'string') out.push(`${o['title']}: ${o['value']}`)
      Object.values(o).forEach(walk)
    }
  }
  walk(card)
  return out.join('\n')
}

/** The `Action.Execute` verbs a card offers. */
export function cardVerbs(card: Record<string, unknown>): string[] {
  return ((card['actions'] as Array<{ type: string; verb?: string }> | undefined) ?? []).filter((a) => a.type === 'Action.Execute').map((a) => a.verb!)
}
