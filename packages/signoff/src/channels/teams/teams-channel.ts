import type { AdaptiveCardActionCardResponse, AdaptiveCardActionErrorResponse } from '@microsoft/teams.api'
import type { IAdaptiveCard } from '@microsoft/teams.cards'
import {
  DeliveryError,
  type Channel,
  type ChannelHost,
  type ChannelRequestView,
  type DeliveryContext,
  type InboundInteraction,
  type InteractionResponse,
  type PostedMessage,
  type UpdateContext,
} from '../channel.js'
import { cardAction, parseActivity, type InboundActivity } from './teams-activity.js'
import { InboundTokenVerifier } from './teams-auth.js'
import { ADAPTIVE_CARD, COMMENT_INPUT, fittedCard, messageCard, requestActivity, teamsCard, VERB } from './teams-card.js'
import { BotConnector, type TeamsMember } from './teams-connector.js'
import { ConversationReferences, type ConversationRef } from './teams-references.js'
import { ConnectorTokenSource } from './teams-token.js'

/** Options of {@link TeamsChannel}: the `teams:` configuration, as plain values. */
export interface TeamsChannelOptions {
  readonly appId: string
  readonly appPassword: string
  readonly tenantId: string
  readonly loginUrl: string
  readonly openIdMetadataUrl: string
  readonly tokenIssuer: string
  /** `teams:<name>` destinations: a channel of a team, both by display name. */
  readonly destinations: Readonly<Record<string, { readonly team: string; readonly channel: string }>>
  /** Injected for tests; global fetch by default. */
  readonly fetch?: typeof fetch
}

/** The destination that fans out to each eligible approver's personal chat with the bot. */
export const DM = 'dm'

interface Running {
  readonly host: ChannelHost
  readonly refs: ConversationReferences
  readonly connector: BotConnector
  readonly verifier: InboundTokenVerifier
}

/**
 * The Microsoft Teams channel: Adaptive Cards 1.5 with `Action.Execute` Approve / Reject posted
 * through the Bot Connector to configured team channels (`teams:<name>`) or approvers' personal
 * chats (`teams:dm`), replaced in place on every state change, and clicks taken at
 * `POST /teams/messages` after the connector's JWT verifies.
 */
export class TeamsChannel implements Channel<IAdaptiveCard> {
  readonly name = 'teams'
  readonly interactionPath = '/teams/messages'
  readonly #o: TeamsChannelOptions
  #run: Running | null = null

  constructor(options: TeamsChannelOptions) {
    this.#o = options
  }

  async start(host: ChannelHost): Promise<void> {
    const fetchImpl = this.#o.fetch ?? fetch
    const o = this.#o
    const tokens = new ConnectorTokenSource({ loginUrl: o.loginUrl, tenantId: o.tenantId, appId: o.appId, appPassword: o.appPassword, fetch: fetchImpl, now: host.now })
    this.#run = {
      host,
      refs: new ConversationReferences(host.state),
      connector: new BotConnector(tokens, fetchImpl),
      verifier: new InboundTokenVerifier({ appId: o.appId, openIdMetadataUrl: o.openIdMetadataUrl, tokenIssuer: o.tokenIssuer, fetch: fetchImpl, now: host.now }),
    }
  }

  async stop(): Promise<void> {
    this.#run = null
  }

  /** The card as anyone sees it (no refresh audience). Pure. */
  render(view: ChannelRequestView): IAdaptiveCard {
    return teamsCard(view)
  }

  /**
   * Posts the card to the destination's conversation(s).
   *
   * Delivery guarantees: the connector has no search API, so each created activity id is recorded
   * under `sent:<request>:<conversation>` right after the connector answers, before the next DM of
   * a fan-out and before the outbox records the post; any retry (a later DM failed, the worker
   * crashed, a restart) reuses it. The remaining window is a crash between the connector's 201 and
   * that record: the retry posts a second card, and only the recorded one is updated later.
   */
  async post(destination: string, view: ChannelRequestView, _ctx: DeliveryContext): Promise<PostedMessage[]> {
    const run = this.#running()
    const targets = destination === DM ? await this.#personalChats(run, view) : [await this.#namedChannel(run, destination)]
    const refreshUserIds = await run.refs.aadIds(view.eligible)
    const posts: PostedMessage[] = []
    for (const ref of targets) {
      const key = `sent:${view.id}:${ref.conversationId}`
      const sent = (await run.host.state.get(key)) as { activityId?: string } | undefined
      let activityId = sent?.activityId
      if (!activityId) {
        const activity = requestActivity(view, { refreshUserIds, ...this.#openUrl(run, view, ref.email) })
        activityId = await run.connector.sendActivity(ref.serviceUrl, ref.conversationId, activity)
        await run.host.state.put(key, { activityId })
      }
      posts.push({ channel: this.name, destination: ref.conversationId, messageId: activityId })
    }
    return posts
  }

  /** Replaces the posted card with the request's current state (`PUT` activity). */
  async update(post: PostedMessage, view: ChannelRequestView, _ctx: UpdateContext): Promise<void> {
    const run = this.#running()
    const ref = await run.refs.conversation(post.destination)
    if (!ref) throw new DeliveryError(`no conversation reference for ${post.destination}`, { code: 'teams_reference_missing', permanent: true })
    const refreshUserIds = view.status === 'pending' ? await run.refs.aadIds(view.eligible) : []
    const activity = requestActivity(view, { refreshUserIds, ...this.#openUrl(run, view, ref.kind === 'personal' ? ref.email : undefined) })
    await run.connector.updateActivity(ref.serviceUrl, ref.conversationId, post.messageId, activity)
  }

  /**
   * In a 1:1 chat with an eligible approver, "Open in signoff" is their own signed link (the
   * request page behind it needs no sign-in); everywhere else it is the request's page.
   */
  #openUrl(run: Running, view: ChannelRequestView, email: string | undefined): { openUrl?: string } {
    if (!email || view.status !== 'pending' || !view.eligible.some((e) => e.toLowerCase() === email.toLowerCase())) return {}
    return { openUrl: run.host.link(view, email) }
  }

  /** Sends the requester the final card in their personal chat with the bot, if they have one. */
  async notifyOutcome(view: ChannelRequestView, _ctx: DeliveryContext): Promise<void> {
    const run = this.#running()
    if (!view.requester) return
    const [chat] = await run.refs.personalChats([view.requester])
    if (!chat) return
    const key = `outcome:${view.id}`
    if (await run.host.state.get(key)) return
    const activityId = await run.connector.sendActivity(chat.serviceUrl, chat.conversationId, requestActivity(view))
    await run.host.state.put(key, { activityId })
  }

  /** `POST /teams/messages`: verifies the connector's token, then learns references or takes a click. */
  async interactions(inbound: InboundInteraction): Promise<InteractionResponse> {
    const run = this.#run
    if (!run) return failure(500, 'SIGNOFF_INTERNAL', 'the Teams channel is not started')
    const parsed = parseActivity(inbound.rawBody)
    if (!parsed.ok) return failure(400, parsed.fault === 'json' ? 'SIGNOFF_MALFORMED_JSON' : 'SIGNOFF_VALIDATION_FAILED', `teams: ${parsed.message}`)
    const activity = parsed.activity
    const auth = await run.verifier.verify(inbound.headers['authorization'], activity)
    if (!auth.ok) {
      run.host.log.warn({ channel: this.name, reason: auth.message }, 'refused a Teams activity')
      // A 5xx makes the connector redeliver once the signing keys are reachable again.
      return failure(auth.status, auth.status === 401 ? 'SIGNOFF_UNAUTHENTICATED' : 'SIGNOFF_INTERNAL', `teams: ${auth.message}`)
    }
    if (activity.tenantId !== this.#o.tenantId) {
      run.host.log.warn({ channel: this.name, tenant: activity.tenantId }, 'refused a Teams activity from another tenant')
      return failure(403, 'SIGNOFF_FORBIDDEN', 'teams: the activity comes from a tenant this signoff does not serve')
    }
    if (activity.type === 'invoke') {
      if (activity.name !== 'adaptiveCard/action') return { status: 501, body: '' }
      return invokeResponse(await this.#cardAction(run, activity))
    }
    await this.#learn(run, activity)
    return { status: 200, body: '' }
  }

  async #cardAction(run: Running, activity: InboundActivity): Promise<InvokeBody> {
    const action = cardAction(activity.value, COMMENT_INPUT)
    if (!action || !activity.from) return invokeError(400, 'BadRequest', 'not a signoff card action')
    const rosterId = activity.conversation.id.split(';')[0]!
    let member: TeamsMember | null
    try {
      member = await run.connector.member(activity.serviceUrl, rosterId, activity.from.id)
    } catch (e) {
      run.host.log.warn({ channel: this.name, request: action.requestId, error: e instanceof Error ? e.message : String(e) }, 'Teams roster lookup failed')
      return cardBody(messageCard('Teams could not tell signoff who you are just now. Nothing was recorded; please try again.'))
    }
    const email = (member?.email ?? member?.userPrincipalName)?.toLowerCase()
    if (!member || !email) return cardBody(messageCard('signoff cannot find your email address in this conversation, so it cannot record your decision.'))
    const aad = member.objectId ?? member.aadObjectId ?? activity.from.aadObjectId
    await run.refs.learn(activity, email)
    if (aad) await run.refs.rememberUser({ aadObjectId: aad, email, userId: member.id, serviceUrl: activity.serviceUrl, tenantId: activity.tenantId })
    const personal = activity.conversation.conversationType === 'personal'
    const shown = async (view: ChannelRequestView, notice?: string): Promise<IAdaptiveCard> =>
      fittedCard(view, { refreshUserIds: await run.refs.aadIds(view.eligible), ...(notice ? { notice } : {}), ...this.#openUrl(run, view, personal ? email : undefined) })
    if (action.verb === VERB.refresh) {
      const view = await run.host.view(action.requestId)
      return cardBody(view ? await shown(view) : messageCard(`signoff has no request ${action.requestId}.`))
    }
    if (action.verb !== VERB.approve && action.verb !== VERB.reject) return invokeError(400, 'BadRequest', `unknown verb ${action.verb}`)
    const outcome = await run.host.decide({
      requestId: action.requestId,
      approver: email,
      ...(aad ? { aliases: [`teams:${aad}`] } : {}),
      decision: action.verb === VERB.approve ? 'approve' : 'reject',
      comment: action.comment,
      via: this.name,
    })
    run.host.log.info({ channel: this.name, request: action.requestId, approver: email, result: outcome.ok ? 'recorded' : outcome.code }, 'Teams decision')
    if (outcome.ok) return cardBody(await shown(outcome.view))
    const notice = `Not recorded: ${outcome.message}`
    return cardBody(outcome.view ? await shown(outcome.view, notice) : messageCard(notice))
  }

  /** Stores the activity's conversation; a personal chat's user is looked up once for their email. */
  async #learn(run: Running, activity: InboundActivity): Promise<void> {
    let email: string | null = null
    const personal = activity.conversation.conversationType === 'personal' && activity.from !== null
    if (personal && (await run.refs.needsEmail(activity.conversation.id))) {
      try {
        const member = await run.connector.member(activity.serviceUrl, activity.conversation.id, activity.from!.id)
        email = (member?.email ?? member?.userPrincipalName)?.toLowerCase() ?? null
      } catch (e) {
        run.host.log.warn({ channel: this.name, error: e instanceof Error ? e.message : String(e) }, 'Teams roster lookup failed; the chat is stored without an email')
      }
    }
    await run.refs.learn(activity, email)
  }

  async #namedChannel(run: Running, destination: string): Promise<ConversationRef> {
    const d = this.#o.destinations[destination]
    if (!d) throw new DeliveryError(`teams:${destination} is not a configured destination (teams.destinations)`, { code: 'teams_destination_unknown', permanent: true })
    const known = await run.refs.namedChannel(d.team, d.channel)
    if (known) return known
    // The install event names the team but usually not every channel: list them once.
    for (const team of await run.refs.teamsNamed(d.team)) await run.refs.learnChannels(team, await run.connector.teamChannels(team.serviceUrl, team.teamId))
    const listed = await run.refs.namedChannel(d.team, d.channel)
    if (listed) return listed
    throw new DeliveryError(`teams:${destination}: the app is not installed in team "${d.team}" with a channel "${d.channel}"`, {
      code: 'teams_conversation_unknown',
      permanent: true,
    })
  }

  async #personalChats(run: Running, view: ChannelRequestView): Promise<ConversationRef[]> {
    if (view.eligible.length === 0) {
      throw new DeliveryError('teams:dm needs approvers named by email (user: or group: entries)', { code: 'teams_dm_no_approvers', permanent: true })
    }
    const chats = await run.refs.personalChats(view.eligible)
    const hasChat = (email: string): boolean => chats.some((c) => c.email?.toLowerCase() === email.toLowerCase())
    // Approvers signoff met elsewhere (a click in a team channel) get a 1:1 chat opened for them.
    for (const user of await run.refs.users(view.eligible.filter((e) => !hasChat(e)))) {
      try {
        const id = await run.connector.createPersonalConversation(user.serviceUrl, { botId: `28:${this.#o.appId}`, userId: user.userId, tenantId: user.tenantId ?? this.#o.tenantId })
        chats.push(await run.refs.learnPersonalChat(user, id))
      } catch (e) {
        // One approver the bot may not message (403) must not hold back the others' cards.
        if (!(e instanceof DeliveryError && e.permanent)) throw e
        run.host.log.warn({ channel: this.name, request: view.id, approver: user.email, code: e.code }, 'cannot open a Teams chat with an approver')
      }
    }
    const missing = view.eligible.filter((e) => !hasChat(e))
    if (missing.length > 0) run.host.log.warn({ channel: this.name, request: view.id, missing }, 'approvers without a personal chat with the bot (they have not installed the app)')
    if (chats.length === 0) throw new DeliveryError('teams:dm: no eligible approver has installed the app', { code: 'teams_dm_no_chats', permanent: true })
    return chats
  }

  #running(): Running {
    if (!this.#run) throw new DeliveryError('the Teams channel is not started', { code: 'teams_not_started' })
    return this.#run
  }
}

/** The body of an invoke response (chat-platforms.md §6.3), as the Teams SDK types it. */
type InvokeBody = AdaptiveCardActionCardResponse | AdaptiveCardActionErrorResponse

function cardBody(card: IAdaptiveCard): InvokeBody {
  return { statusCode: 200, type: ADAPTIVE_CARD, value: card }
}

function invokeError(statusCode: 400, code: string, message: string): InvokeBody {
  return { statusCode, type: 'application/vnd.microsoft.error', value: { code, message, innerHttpError: { statusCode, body: null } } }
}

function invokeResponse(body: InvokeBody): InteractionResponse {
  return { status: 200, headers: { 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify(body) }
}

function failure(status: number, code: string, message: string): InteractionResponse {
  return { status, headers: { 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify({ code, message }) }
}
