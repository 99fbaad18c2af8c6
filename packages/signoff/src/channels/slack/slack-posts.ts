import type { WebClient } from '@slack/web-api'
import { DeliveryError, type DeliveryContext } from '../channel.js'
import { delivering } from './slack-errors.js'
import type { SlackMessage } from './slack-message.js'

/** Slack message metadata signoff attaches to what it posts, so a retry can find it. */
export interface PostMetadata {
  readonly event_type: 'signoff_request' | 'signoff_vote' | 'signoff_outcome'
  readonly event_payload: Readonly<Record<string, string>>
}

/** How far back a retry looks for its own earlier post (pages of 200). */
const MAX_PAGES = 5

interface Listed {
  readonly ts?: string
  readonly metadata?: { readonly event_type?: string; readonly event_payload?: Record<string, unknown> }
}

/**
 * Posting exactly once. Every post carries {@link PostMetadata}; on a retry (`attempt > 0`, an
 * earlier try may have reached Slack before the process or the network failed) the conversation
 * or thread is searched for a message with the same metadata first, and that one is returned
 * instead of posting again.
 */
export class SlackPosts {
  readonly #client: WebClient

  constructor(client: WebClient) {
    this.#client = client
  }

  /** Posts `message` to `channel` unless a retry finds it there; returns its `ts`. */
  async postOnce(channel: string, message: SlackMessage, meta: PostMetadata, ctx: DeliveryContext): Promise<string> {
    if (ctx.attempt > 0) {
      const found = await this.#find(meta, (cursor) =>
        delivering('conversations.history', () => this.#client.conversations.history({ channel, include_all_metadata: true, limit: 200, ...(cursor ? { cursor } : {}) })),
      )
      if (found) return found
    }
    const r = await delivering('chat.postMessage', () =>
      this.#client.chat.postMessage({ channel, text: message.text, blocks: [...message.blocks] as never, metadata: meta as never, unfurl_links: false, unfurl_media: false }),
    )
    if (!r.ts) throw new DeliveryError('Slack chat.postMessage answered without a ts', { code: 'no_ts' })
    return r.ts
  }

  /** Replies in the thread of `threadTs` unless a retry finds the reply there. */
  async replyOnce(channel: string, threadTs: string, message: SlackMessage, meta: PostMetadata, ctx: DeliveryContext): Promise<void> {
    if (ctx.attempt > 0) {
      const found = await this.#find(meta, (cursor) =>
        delivering('conversations.replies', () =>
          this.#client.conversations.replies({ channel, ts: threadTs, include_all_metadata: true, limit: 200, ...(cursor ? { cursor } : {}) }),
        ),
      )
      if (found) return
    }
    await delivering('chat.postMessage', () =>
      this.#client.chat.postMessage({ channel, thread_ts: threadTs, text: message.text, blocks: [...message.blocks] as never, metadata: meta as never, unfurl_links: false }),
    )
  }

  async #find(
    meta: PostMetadata,
    page: (cursor: string | undefined) => Promise<{ messages?: Listed[]; response_metadata?: { next_cursor?: string } }>,
  ): Promise<string | null> {
    let cursor: string | undefined
    for (let i = 0; i < MAX_PAGES; i++) {
      const r = await page(cursor)
      const hit = (r.messages ?? []).find((m) => m.metadata?.event_type === meta.event_type && sameFields(m.metadata.event_payload, meta.event_payload))
      if (hit?.ts) return hit.ts
      cursor = r.response_metadata?.next_cursor || undefined
      if (!cursor) break
    }
    return null
  }
}

function sameFields(found: Record<string, unknown> | undefined, wanted: Readonly<Record<string, string>>): boolean {
  return found !== undefined && Object.entries(wanted).every(([k, v]) => found[k] === v)
}
