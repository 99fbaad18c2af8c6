import { DeliveryError } from '../channel.js'
import { deliveryErrorOf, networkError } from './teams-http-errors.js'
import type { ConnectorTokenSource } from './teams-token.js'

/** A member as the connector's roster answers (`TeamsChannelAccount`). */
export interface TeamsMember {
  /** `29:…` */
  readonly id: string
  readonly name?: string
  /** The AAD object id (`objectId` on the REST wire; the SDKs also know it as `aadObjectId`). */
  readonly objectId?: string
  readonly aadObjectId?: string
  readonly email?: string
  readonly userPrincipalName?: string
}

/** A channel of a team, as `GET /v3/teams/{id}/conversations` lists it (General has no name). */
export interface TeamsChannelInfo {
  readonly id: string
  readonly name?: string
}

const TIMEOUT_MS = 10_000

/**
 * The Bot Connector REST API (chat-platforms.md §5.2), spoken with `fetch` rather than the Teams
 * SDK's `App`, which brings its own HTTP server, token manager (MSAL, which cannot be pointed at a
 * configurable login URL offline) and process-wide state. Every call carries the bot token; a
 * 401 is retried once with a fresh token, and failures become {@link DeliveryError}s.
 */
export class BotConnector {
  readonly #tokens: ConnectorTokenSource
  readonly #fetch: typeof fetch

  constructor(tokens: ConnectorTokenSource, fetchImpl: typeof fetch) {
    this.#tokens = tokens
    this.#fetch = fetchImpl
  }

  /**
   * `POST /v3/conversations`: opens (or finds) the 1:1 chat between the bot and `userId` (`29:…`);
   * returns the conversation id. Teams allows it for users of a team the app is installed in.
   */
  async createPersonalConversation(serviceUrl: string, o: { botId: string; userId: string; tenantId: string }): Promise<string> {
    const res = await this.#call('POST', serviceUrl, '/v3/conversations', {
      bot: { id: o.botId },
      members: [{ id: o.userId }],
      isGroup: false,
      tenantId: o.tenantId,
      channelData: { tenant: { id: o.tenantId } },
    })
    const id = (res as { id?: unknown } | null)?.id
    if (typeof id !== 'string' || id === '') throw new DeliveryError('the connector created a conversation without an id', { code: 'teams_no_conversation_id' })
    return id
  }

  /** `POST /v3/conversations/{id}/activities`: a new message; returns its activity id. */
  async sendActivity(serviceUrl: string, conversationId: string, activity: unknown): Promise<string> {
    const res = await this.#call('POST', serviceUrl, `/v3/conversations/${encodeURIComponent(conversationId)}/activities`, activity)
    const id = (res as { id?: unknown } | null)?.id
    if (typeof id !== 'string' || id === '') throw new DeliveryError('the connector created an activity without an id', { code: 'teams_no_activity_id' })
    return id
  }

  /** `PUT /v3/conversations/{id}/activities/{activityId}`: replaces a message in place. */
  async updateActivity(serviceUrl: string, conversationId: string, activityId: string, activity: unknown): Promise<void> {
    const path = `/v3/conversations/${encodeURIComponent(conversationId)}/activities/${encodeURIComponent(activityId)}`
    await this.#call('PUT', serviceUrl, path, { ...(activity as object), id: activityId })
  }

  /** `GET /v3/conversations/{id}/members/{userId}`: the member, or `null` if not in the conversation. */
  async member(serviceUrl: string, conversationId: string, userId: string): Promise<TeamsMember | null> {
    const path = `/v3/conversations/${encodeURIComponent(conversationId)}/members/${encodeURIComponent(userId)}`
    return (await this.#call('GET', serviceUrl, path, undefined, true)) as TeamsMember | null
  }

  /** `GET /v3/teams/{teamId}/conversations`: the team's channels. */
  async teamChannels(serviceUrl: string, teamId: string): Promise<TeamsChannelInfo[]> {
    const res = (await this.#call('GET', serviceUrl, `/v3/teams/${encodeURIComponent(teamId)}/conversations`)) as { conversations?: unknown } | null
    return Array.isArray(res?.conversations) ? (res.conversations as TeamsChannelInfo[]).filter((c) => typeof c?.id === 'string') : []
  }

  /** One call; with `absentIsNull`, a 404 answers `null` instead of failing. */
  async #call(method: string, serviceUrl: string, path: string, body?: unknown, absentIsNull = false): Promise<unknown> {
    const url = `${serviceUrl.replace(/\/+$/, '')}${path}`
    for (let round = 0; ; round++) {
      const token = await this.#tokens.token()
      let res: Response
      try {
        res = await this.#fetch(url, {
          method,
          headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
          signal: AbortSignal.timeout(TIMEOUT_MS),
        })
      } catch (e) {
        throw networkError(`Bot Connector ${method}`, e)
      }
      const text = await res.text()
      if (res.status === 404 && absentIsNull) return null
      if (res.ok) return text === '' ? null : (JSON.parse(text) as unknown)
      if (res.status === 401 && round === 0) {
        // The cached token may have been revoked early; one fresh try, then it is permanent.
        this.#tokens.invalidate()
        continue
      }
      throw deliveryErrorOf(res, errorCode(text), `Bot Connector ${method}`)
    }
  }
}

/** The `error.code` of a Bot Framework ErrorResponse, if the body is one. */
function errorCode(text: string): string | null {
  try {
    const code = (JSON.parse(text) as { error?: { code?: unknown } }).error?.code
    return typeof code === 'string' && /^[A-Za-z0-9_.-]{1,64}$/.test(code) ? code : null
  } catch {
    return null
  }
}
