import type { WebClient } from '@slack/web-api'
import { platformError } from './slack-errors.js'

/** A Slack user as signoff needs them: the canonical identity is the email. */
export interface SlackPerson {
  readonly id: string
  /** `null` when the profile has none (bots, or the app lacks `users:read.email`). */
  readonly email: string | null
  readonly teamId: string | null
  readonly deleted: boolean
}

interface Cached<T> {
  readonly value: Promise<T>
  readonly until: number
}

/**
 * Who is who in the workspace, from the Web API, cached with a TTL: users.info (clicker → email),
 * users.lookupByEmail (approver → DM), usergroups.users.list (`slack:S…` approvers) and
 * conversations.list (`#name` destinations). Concurrent lookups of one key share one call, and
 * a failed lookup is not cached.
 */
export class SlackDirectory {
  readonly #client: WebClient
  readonly #now: () => number
  readonly #ttlMs: number
  readonly #cache = new Map<string, Cached<unknown>>()

  constructor(client: WebClient, now: () => number, ttlMs: number) {
    this.#client = client
    this.#now = now
    this.#ttlMs = ttlMs
  }

  /** The user behind a click (`users.info`). */
  person(userId: string): Promise<SlackPerson | null> {
    return this.#cached(`user:${userId}`, async () => {
      try {
        const r = await this.#client.users.info({ user: userId })
        const u = r.user
        if (!u?.id) return null
        return { id: u.id, email: u.profile?.email?.toLowerCase() ?? null, teamId: u.team_id ?? null, deleted: u.deleted === true }
      } catch (e) {
        if (platformError(e) === 'user_not_found') return null
        throw e
      }
    })
  }

  /** The Slack user id for an email (`users.lookupByEmail`); `null` when nobody has it. */
  userIdByEmail(email: string): Promise<string | null> {
    return this.#cached(`email:${email.toLowerCase()}`, async () => {
      try {
        const r = await this.#client.users.lookupByEmail({ email })
        return r.user?.id && r.user.deleted !== true ? r.user.id : null
      } catch (e) {
        if (platformError(e) === 'users_not_found') return null
        throw e
      }
    })
  }

  /** The members of a user group (`usergroups.users.list`); none when the group does not exist. */
  groupMembers(groupId: string): Promise<readonly string[]> {
    return this.#cached(`group:${groupId}`, async () => {
      try {
        return (await this.#client.usergroups.users.list({ usergroup: groupId })).users ?? []
      } catch (e) {
        // A policy naming a group that was deleted must not break every click: nobody is in it.
        if (platformError(e) === 'no_such_subteam') return []
        throw e
      }
    })
  }

  /** The id of a channel by name (without `#`), from `conversations.list`; `null` when there is none. */
  async channelIdByName(name: string): Promise<string | null> {
    const id = (await this.#channels()).get(name)
    if (id !== undefined) return id
    // The channel may have been created after the list was cached: list once more before saying no.
    this.#cache.delete('channels')
    return (await this.#channels()).get(name) ?? null
  }

  #channels(): Promise<Map<string, string>> {
    return this.#cached('channels', async () => {
      const map = new Map<string, string>()
      let cursor: string | undefined
      do {
        const r = await this.#client.conversations.list({ types: 'public_channel,private_channel', exclude_archived: true, limit: 200, ...(cursor ? { cursor } : {}) })
        for (const c of r.channels ?? []) if (c.name && c.id) map.set(c.name, c.id)
        cursor = r.response_metadata?.next_cursor || undefined
      } while (cursor)
      return map
    })
  }

  #cached<T>(key: string, load: () => Promise<T>): Promise<T> {
    const now = this.#now()
    const hit = this.#cache.get(key)
    if (hit && hit.until > now) return hit.value as Promise<T>
    const value = load()
    this.#cache.set(key, { value, until: now + this.#ttlMs })
    value.catch(() => {
      if (this.#cache.get(key)?.value === value) this.#cache.delete(key)
    })
    return value
  }
}
