import type { Channel, ChannelRequestView, PostedMessage } from '../channel.js'
import { mintApprovalLink, type MintedApprovalLink } from './approval-link.js'
import { html } from './html.js'
import { pageLayout } from './page-layout.js'
import { requestDetails } from './request-details.js'
import type { SignedToken } from './signed-token.js'

/** The destination that means "anyone holding the link" (the policy named no approvers). */
export const ANYONE = '*'

/** How long a link to a request without an expiry stays valid. */
const DEFAULT_LINK_TTL_MS = 24 * 3_600_000

/** Options of {@link WebChannel}. */
export interface WebChannelOptions {
  /** Base URL approvers reach the server at (`public_url`). */
  readonly publicUrl: string
  readonly tokens: SignedToken
}

/**
 * The web channel. "Posting" to a destination (an approver's email, or {@link ANYONE}) mints that
 * approver's signed link to `/r/:id`; the link is deterministic for (request, approver, expiry),
 * so the services can hand it out again without storing the secret, and it works once. The page
 * always shows the current state, so {@link update} has nothing to do.
 */
export class WebChannel implements Channel<string> {
  readonly name = 'web'
  readonly #publicUrl: string
  readonly #tokens: SignedToken

  constructor(options: WebChannelOptions) {
    this.#publicUrl = options.publicUrl
    this.#tokens = options.tokens
  }

  /** A read-only page of the request (what any link shows, without the forms). Pure. */
  render(view: ChannelRequestView): string {
    return pageLayout({ title: `Request ${view.id}`, body: html`<h1>Approval request <code>${view.id}</code></h1>\n${requestDetails(view)}` })
  }

  /** The signed link for `approver` (an email, or {@link ANYONE}); valid until the request expires. */
  link(view: ChannelRequestView, approver: string): MintedApprovalLink {
    const who = approver === ANYONE ? ANYONE : approver.toLowerCase()
    const expiresAt = view.expiresAt ? Date.parse(view.expiresAt) : Date.parse(view.createdAt) + DEFAULT_LINK_TTL_MS
    const nonce = this.#tokens.digest('approval-link-nonce', view.id, who, String(expiresAt)).slice(0, 22)
    return mintApprovalLink(this.#tokens, { publicUrl: this.#publicUrl, requestId: view.id, approver: who, expiresAt, nonce })
  }

  /** Mints the link for `destination`; the message id is the link's nonce. */
  async post(destination: string, view: ChannelRequestView): Promise<PostedMessage> {
    return { channel: this.name, destination, messageId: this.link(view, destination).nonce }
  }

  /** Nothing to update: the page renders the request's current state on every visit. */
  async update(_message: PostedMessage, _view: ChannelRequestView): Promise<void> {}
}

/**
 * The identity recorded for a decision made through a link: the approver it names, or, for an
 * {@link ANYONE} link, `link:<nonce prefix>` (distinct from every requester, so the default
 * "no self-approval" rule does not block the first-run walkthrough, and still traceable).
 */
export function linkIdentity(approver: string, nonce: string): string {
  return approver === ANYONE ? `link:${nonce.slice(0, 8)}` : approver
}
