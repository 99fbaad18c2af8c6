import type { ChannelStateStore } from '../channel.js'
import type { InboundActivity } from './teams-activity.js'
import type { TeamsChannelInfo } from './teams-connector.js'

/**
 * Where the bot may post, learnt from what Teams sends it (install, conversation updates, any
 * message or click): a conversation's service URL is regional and only known this way
 * (chat-platforms.md §5.1). Kept in the channel's durable records, so they survive restarts.
 *
 * Records: `conv:<conversationId>` ({@link ConversationRef}), `team:<teamId>` (for listing a
 * team's channels by name), `user:<email>` (the person's AAD id and where signoff met them, for
 * card refresh audiences and opening 1:1 chats), `dm:<email>` (their personal chat's id) and
 * `name:<team>/<channel>` (a configured destination's channel id).
 * Approvers are looked up by email one record each, so a post costs the same however many people
 * have installed the app.
 */
export interface ConversationRef {
  readonly kind: 'channel' | 'personal' | 'groupChat'
  readonly serviceUrl: string
  /** For a channel, the channel's id (`19:…@thread.tacv2`) without a `;messageid=` suffix. */
  readonly conversationId: string
  readonly tenantId: string | null
  readonly teamId?: string
  readonly teamName?: string
  readonly channelName?: string
  /** Personal chats: the user's `29:…` id, AAD object id and email. */
  readonly userId?: string
  readonly aadObjectId?: string
  readonly email?: string
}

/** A person as the roster showed them, and where signoff met them (to open a 1:1 chat later). */
export interface TeamsUserRef {
  readonly aadObjectId: string
  readonly email: string
  readonly userId: string
  readonly serviceUrl: string
  readonly tenantId: string | null
}

interface TeamRef {
  readonly teamId: string
  readonly teamName: string
  readonly serviceUrl: string
  readonly tenantId: string | null
}

/** Teams leaves the General channel unnamed; its id is the team's id. */
const GENERAL = 'General'

/** The conversation references of one bot, over the channel's durable state. */
export class ConversationReferences {
  readonly #state: ChannelStateStore

  constructor(state: ChannelStateStore) {
    this.#state = state
  }

  /** Records where `activity` came from. `email` is the sender's, when the roster was read. */
  async learn(activity: InboundActivity, email: string | null): Promise<void> {
    const base = { serviceUrl: activity.serviceUrl, tenantId: activity.tenantId }
    const conversationId = activity.conversation.id.split(';')[0]!
    const type = activity.conversation.conversationType ?? (activity.team ? 'channel' : 'personal')
    if (type === 'channel' && activity.team) {
      if (activity.team.name) await this.#state.put(`team:${activity.team.id}`, { ...base, teamId: activity.team.id, teamName: activity.team.name } satisfies TeamRef)
      const channelId = activity.channel?.id ?? conversationId
      const known = (await this.#state.get(`conv:${channelId}`)) as ConversationRef | undefined
      // Most activities in a channel carry ids only: keep the names install events and channel lists gave.
      const teamName = activity.team.name ?? (await this.#team(activity.team.id))?.teamName ?? known?.teamName
      const channelName = activity.channel?.name ?? known?.channelName ?? (channelId === activity.team.id ? GENERAL : undefined)
      await this.#put({
        ...base,
        kind: 'channel',
        conversationId: channelId,
        teamId: activity.team.id,
        ...(teamName ? { teamName } : {}),
        ...(channelName ? { channelName } : {}),
      })
    } else if (type === 'personal' && activity.from) {
      const known = (await this.#state.get(`conv:${conversationId}`)) as ConversationRef | undefined
      const who = email ?? known?.email
      const aad = activity.from.aadObjectId
      await this.#put({ ...base, kind: 'personal', conversationId, userId: activity.from.id, ...(aad ? { aadObjectId: aad } : {}), ...(who ? { email: who } : {}) })
      if (email) await this.#state.put(`dm:${email.toLowerCase()}`, { conversationId })
    } else if (type === 'groupChat') {
      await this.#put({ ...base, kind: 'groupChat', conversationId })
    }
    if (email && activity.from?.aadObjectId) await this.rememberUser({ ...base, aadObjectId: activity.from.aadObjectId, email, userId: activity.from.id })
  }

  /** Whether the personal chat `conversationId` still lacks its user's email. */
  async needsEmail(conversationId: string): Promise<boolean> {
    const known = (await this.#state.get(`conv:${conversationId}`)) as ConversationRef | undefined
    return !known?.email
  }

  async rememberUser(user: TeamsUserRef): Promise<void> {
    const email = user.email.toLowerCase()
    await this.#state.put(`user:${email}`, { ...user, email })
  }

  /** The reference of a conversation signoff posted to. */
  async conversation(conversationId: string): Promise<ConversationRef | null> {
    return ((await this.#state.get(`conv:${conversationId}`)) as ConversationRef | undefined) ?? null
  }

  /**
   * The channel named `channel` of the team named `team` (names compare case-insensitively). The
   * answer is remembered under `name:<team>/<channel>` and checked against the reference's
   * current names, so only the first lookup (or one after a rename) scans every conversation.
   */
  async namedChannel(team: string, channel: string): Promise<ConversationRef | null> {
    const same = (a: string | undefined, b: string): boolean => a !== undefined && a.localeCompare(b, undefined, { sensitivity: 'accent' }) === 0
    const matches = (r: ConversationRef | null | undefined): r is ConversationRef => r?.kind === 'channel' && same(r.teamName, team) && same(r.channelName, channel)
    const key = `name:${team.toLowerCase()}/${channel.toLowerCase()}`
    const cached = (await this.#state.get(key)) as { conversationId: string } | undefined
    const hit = cached && (await this.conversation(cached.conversationId))
    if (matches(hit)) return hit
    const found = (await this.#all<ConversationRef>('conv:')).find(matches) ?? null
    if (found) await this.#state.put(key, { conversationId: found.conversationId })
    return found
  }

  /** Teams the bot is installed in whose name is `team`. */
  async teamsNamed(team: string): Promise<TeamRef[]> {
    return (await this.#all<TeamRef>('team:')).filter((t) => t.teamName.localeCompare(team, undefined, { sensitivity: 'accent' }) === 0)
  }

  /** Stores the channels of `team` as the connector listed them. */
  async learnChannels(team: TeamRef, channels: readonly TeamsChannelInfo[]): Promise<void> {
    for (const c of channels) {
      await this.#put({
        kind: 'channel',
        serviceUrl: team.serviceUrl,
        tenantId: team.tenantId,
        conversationId: c.id,
        teamId: team.teamId,
        teamName: team.teamName,
        channelName: c.name ?? (c.id === team.teamId ? GENERAL : c.id),
      })
    }
  }

  /** Personal chats with the people whose emails are listed. */
  async personalChats(emails: readonly string[]): Promise<ConversationRef[]> {
    const out: ConversationRef[] = []
    for (const email of unique(emails)) {
      const dm = (await this.#state.get(`dm:${email}`)) as { conversationId: string } | undefined
      const ref = dm && (await this.conversation(dm.conversationId))
      if (ref?.kind === 'personal') out.push(ref)
    }
    return out
  }

  /** The people whose emails are listed, as far as signoff has met them. */
  async users(emails: readonly string[]): Promise<TeamsUserRef[]> {
    const out: TeamsUserRef[] = []
    for (const email of unique(emails)) {
      const user = (await this.#state.get(`user:${email}`)) as TeamsUserRef | undefined
      if (user) out.push(user)
    }
    return out
  }

  /** AAD object ids of the people whose emails are listed, as far as signoff has met them. */
  async aadIds(emails: readonly string[]): Promise<string[]> {
    return (await this.users(emails)).map((u) => u.aadObjectId)
  }

  /** Stores a personal chat signoff opened itself with `user`. */
  async learnPersonalChat(user: TeamsUserRef, conversationId: string): Promise<ConversationRef> {
    const ref: ConversationRef = {
      kind: 'personal',
      serviceUrl: user.serviceUrl,
      tenantId: user.tenantId,
      conversationId,
      userId: user.userId,
      aadObjectId: user.aadObjectId,
      email: user.email,
    }
    await this.#put(ref)
    await this.#state.put(`dm:${user.email}`, { conversationId })
    return ref
  }

  async #team(teamId: string): Promise<TeamRef | null> {
    return ((await this.#state.get(`team:${teamId}`)) as TeamRef | undefined) ?? null
  }

  async #put(ref: ConversationRef): Promise<void> {
    await this.#state.put(`conv:${ref.conversationId}`, ref)
  }

  async #all<T>(prefix: string): Promise<T[]> {
    return (await this.#state.list(prefix)).map((r) => r.value as T)
  }
}

function unique(emails: readonly string[]): string[] {
  return [...new Set(emails.map((e) => e.toLowerCase()))]
}
