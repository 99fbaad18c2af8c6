/**
 * Verified Slack interaction payloads (`block_actions`, `view_submission`) turned into decisions.
 * Shared by HTTP interactivity and Socket Mode: {@link SlackInteractions.handle} answers at once
 * with what to acknowledge, and hands back the work to do after the acknowledgement, so Slack's
 * three seconds are never spent on lookups or the database.
 */
import type { WebClient } from '@slack/web-api'
import type { ChannelHost, ChannelRequestView } from '../channel.js'
import type { SlackDirectory } from './slack-identity.js'
import {
  APPROVE_ACTION,
  MAX_REASON,
  REASON_ACTION,
  REASON_BLOCK,
  REJECT_ACTION,
  REJECT_MODAL,
  refusalText,
  rejectModal,
  type RejectModalMetadata,
} from './slack-message.js'

/** The acknowledgement, and the work that follows it. */
export interface HandledInteraction {
  /** The ack body (`response_action` for a modal); empty when absent. */
  readonly ack?: Readonly<Record<string, unknown>>
  readonly after?: () => Promise<void>
}

/** What {@link SlackInteractions} needs. */
export interface SlackInteractionDeps {
  readonly client: WebClient
  readonly directory: SlackDirectory
  readonly host: ChannelHost
  /** The workspace clicks must come from; `null` accepts any the app is installed in. */
  readonly teamId: string | null
  /** POSTs JSON to a `response_url`. */
  readonly fetch: typeof fetch
}

interface Payload {
  readonly type?: string
  readonly team?: { readonly id?: string } | null
  readonly user?: { readonly id?: string; readonly team_id?: string }
  readonly trigger_id?: string
  readonly response_url?: string
  readonly channel?: { readonly id?: string }
  readonly container?: { readonly channel_id?: string }
  readonly actions?: ReadonlyArray<{ readonly action_id?: string; readonly value?: string }>
  readonly view?: {
    readonly callback_id?: string
    readonly private_metadata?: string
    readonly state?: { readonly values?: Record<string, Record<string, { readonly value?: string | null }>> }
  }
}

/** A refusal: its code and the text the clicker sees. */
interface Refused {
  readonly code: string
  readonly message: string
  readonly view: ChannelRequestView | null
}

export class SlackInteractions {
  readonly #d: SlackInteractionDeps

  constructor(deps: SlackInteractionDeps) {
    this.#d = deps
  }

  /** Answers one payload: what to acknowledge now, and what to do after. */
  handle(raw: unknown): HandledInteraction {
    const p = (typeof raw === 'object' && raw !== null ? raw : {}) as Payload
    if (p.type === 'block_actions') return this.#blockActions(p)
    if (p.type === 'view_submission' && p.view?.callback_id === REJECT_MODAL) return this.#rejectSubmitted(p)
    // Other interactions (a link button, a modal closed) need nothing but the ack.
    return {}
  }

  #blockActions(p: Payload): HandledInteraction {
    const action = p.actions?.find((a) => a.action_id === APPROVE_ACTION || a.action_id === REJECT_ACTION)
    const userId = p.user?.id
    const requestId = action?.value
    if (!action || !userId || !requestId) return {}
    const reply = (text: string): Promise<void> => this.#respond(p.response_url, text)
    const foreign = this.#foreignTeam(p)
    if (foreign) return { after: () => this.#refuse(reply, foreign) }
    if (action.action_id === REJECT_ACTION) {
      const meta: RejectModalMetadata = { requestId, channel: p.container?.channel_id ?? p.channel?.id ?? null }
      return {
        after: () =>
          this.#guard(reply, async () => {
            // The trigger id lives about three seconds: a refusal that is known quickly (not an
            // approver, already decided…) is said at once; otherwise the modal opens and the
            // submission is checked in full.
            const refused = await within(PRECHECK_MS, this.#precheck(userId, requestId))
            if (refused) return this.#refuse(reply, refused)
            await this.#d.client.views.open({ trigger_id: p.trigger_id ?? '', view: rejectModal(meta) as never })
          }),
      }
    }
    return { after: () => this.#guard(reply, () => this.#decide(reply, userId, requestId, 'approve', null)) }
  }

  #rejectSubmitted(p: Payload): HandledInteraction {
    const meta = parseMetadata(p.view?.private_metadata)
    const userId = p.user?.id
    if (!meta || !userId) return {}
    const reason = (p.view?.state?.values?.[REASON_BLOCK]?.[REASON_ACTION]?.value ?? '').trim()
    if (reason === '') return { ack: { response_action: 'errors', errors: { [REASON_BLOCK]: 'Please say why you reject this request.' } } }
    if (reason.length > MAX_REASON) return { ack: { response_action: 'errors', errors: { [REASON_BLOCK]: `At most ${MAX_REASON} characters.` } } }
    // A view submission has no response_url: refusals go to the conversation the click came from.
    const reply = (text: string): Promise<void> => this.#ephemeral(meta.channel, userId, text)
    const foreign = this.#foreignTeam(p)
    if (foreign) return { after: () => this.#refuse(reply, foreign) }
    return { after: () => this.#guard(reply, () => this.#decide(reply, userId, meta.requestId, 'reject', reason)) }
  }

  async #decide(reply: (text: string) => Promise<void>, userId: string, requestId: string, decision: 'approve' | 'reject', comment: string | null): Promise<void> {
    const { host } = this.#d
    const who = await this.#identify(userId, requestId)
    if ('code' in who) return this.#refuse(reply, who)
    const outcome = await host.decide({ requestId, approver: who.email, aliases: who.aliases, decision, comment, via: 'slack' })
    if (outcome.ok) {
      host.log.info({ request: requestId, approver: who.email, decision, status: outcome.view.status }, 'slack vote recorded')
      return
    }
    host.log.info({ request: requestId, approver: who.email, decision, code: outcome.code }, 'slack vote refused')
    await this.#refuse(reply, outcome)
  }

  /**
   * With `team_id` configured, both the workspace the click happened in and the clicker's own
   * workspace must be it: in a Slack Connect channel shared with another organisation, `team` is
   * ours but an external member's `user.team_id` is theirs, and their email is theirs to assign.
   */
  /** The clicker's email and verified approver aliases (`slack:U…`, the `slack:S…` groups they are in). */
  async #identify(userId: string, requestId: string): Promise<{ email: string; aliases: string[] } | Refused> {
    const { host, directory } = this.#d
    const person = await directory.person(userId)
    if (!person?.email || person.deleted) {
      host.log.warn({ request: requestId, slackUser: userId }, 'slack click refused: no email for this user')
      return { code: 'SLACK_NO_EMAIL', message: 'no email', view: null }
    }
    const view = await host.view(requestId)
    const aliases = [`slack:${userId}`]
    for (const entry of view?.approvers ?? []) {
      if (/^slack:S[A-Z0-9]+$/.test(entry) && (await directory.groupMembers(entry.slice('slack:'.length))).includes(userId)) aliases.push(entry)
    }
    return { email: person.email, aliases }
  }

  /** Whether a reject by `userId` would be refused now; `null` when it would be taken (or nobody can tell yet). */
  async #precheck(userId: string, requestId: string): Promise<Refused | null> {
    const who = await this.#identify(userId, requestId)
    if ('code' in who) return who
    return this.#d.host.check({ requestId, approver: who.email, aliases: who.aliases, decision: 'reject', comment: null, via: 'slack' })
  }

  #foreignTeam(p: Payload): Refused | null {
    if (this.#d.teamId === null) return null
    const teams = [p.team?.id, p.user?.team_id].filter((t): t is string => typeof t === 'string')
    if (teams.length > 0 && teams.every((t) => t === this.#d.teamId)) return null
    this.#d.host.log.warn({ teams, expected: this.#d.teamId }, 'slack interaction from another workspace refused')
    return { code: 'SLACK_WRONG_TEAM', message: 'wrong team', view: null }
  }

  async #refuse(reply: (text: string) => Promise<void>, r: Refused): Promise<void> {
    await reply(refusalText(r.code, r.message, r.view))
  }

  /** Runs the work; a fault is logged and the clicker told to try again (nothing was decided). */
  async #guard(reply: (text: string) => Promise<void>, work: () => Promise<void>): Promise<void> {
    try {
      await work()
    } catch (e) {
      this.#d.host.log.error({ err: e instanceof Error ? e.message : String(e) }, 'slack interaction failed')
      await reply(':warning: signoff could not process your click just now. Nothing changed; please try again.')
    }
  }

  async #respond(url: string | undefined, text: string): Promise<void> {
    if (!url) return
    try {
      const res = await this.#d.fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ response_type: 'ephemeral', replace_original: false, text }),
        signal: AbortSignal.timeout(10_000),
      })
      if (!res.ok) this.#d.host.log.warn({ status: res.status }, 'slack response_url refused the ephemeral answer')
    } catch (e) {
      this.#d.host.log.warn({ err: e instanceof Error ? e.message : String(e) }, 'slack response_url unreachable')
    }
  }

  async #ephemeral(channel: string | null, user: string, text: string): Promise<void> {
    if (!channel) return
    try {
      await this.#d.client.chat.postEphemeral({ channel, user, text })
    } catch (e) {
      this.#d.host.log.warn({ err: e instanceof Error ? e.message : String(e), channel }, 'slack ephemeral answer failed')
    }
  }
}

/** How long the reject button may spend finding out whether the clicker can reject at all. */
const PRECHECK_MS = 1500

/** `work`'s answer if it comes within `ms`, else `null`; a failure also gives `null` (the full check comes later). */
async function within<T>(ms: number, work: Promise<T | null>): Promise<T | null> {
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), ms)))
  try {
    return await Promise.race([work.catch(() => null), late])
  } finally {
    clearTimeout(timer)
  }
}

function parseMetadata(raw: string | undefined): RejectModalMetadata | null {
  try {
    const m = JSON.parse(raw ?? '') as Partial<RejectModalMetadata>
    return typeof m.requestId === 'string' ? { requestId: m.requestId, channel: typeof m.channel === 'string' ? m.channel : null } : null
  } catch {
    return null
  }
}
