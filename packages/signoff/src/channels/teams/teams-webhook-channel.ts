import type { IAdaptiveCard } from '@microsoft/teams.cards'
import { DeliveryError, type Channel, type ChannelHost, type ChannelRequestView, type DeliveryContext, type PostedMessage } from '../channel.js'
import { cardActivity, teamsCard } from './teams-card.js'
import { deliveryErrorOf, networkError } from './teams-http-errors.js'

/** Options of {@link TeamsWebhookChannel}. */
export interface TeamsWebhookChannelOptions {
  /** `teams-webhook:<name>` → the Workflows trigger URL (it carries its `sig=` credential). */
  readonly webhooks: Readonly<Record<string, string>>
  /** Injected for tests; global fetch by default. */
  readonly fetch?: typeof fetch
}

/**
 * Teams Workflows webhooks (`teams-webhook:<name>`): notify-only. A Workflows flow posts the card
 * as the Flow bot and takes no callbacks (Action.Execute and Action.Submit do nothing there), so
 * the card links to the request's page, where approvers decide.
 */
export class TeamsWebhookChannel implements Channel<IAdaptiveCard> {
  readonly name = 'teams-webhook'
  readonly #o: TeamsWebhookChannelOptions
  #host: ChannelHost | null = null

  constructor(options: TeamsWebhookChannelOptions) {
    this.#o = options
  }

  async start(host: ChannelHost): Promise<void> {
    this.#host = host
  }

  /** The notify-only card: details and an `Action.OpenUrl` to the request page. Pure. */
  render(view: ChannelRequestView): IAdaptiveCard {
    return teamsCard(view, { interactive: false })
  }

  /**
   * POSTs the Workflows envelope. The trigger answers without a message id, so the "message id"
   * recorded is the request's; a sent marker keeps a retry from posting twice (the window left is
   * a crash between the trigger's answer and the marker).
   */
  async post(destination: string, view: ChannelRequestView, _ctx: DeliveryContext): Promise<PostedMessage> {
    const url = this.#o.webhooks[destination]
    if (!url) throw new DeliveryError(`teams-webhook:${destination} is not configured (teams.workflows_webhooks)`, { code: 'teams_webhook_unknown', permanent: true })
    await this.#once(`sent:${view.id}:${destination}`, url, destination, view)
    return { channel: this.name, destination, messageId: view.id }
  }

  /** Nothing to update: a Workflows post cannot be edited (no message id, no bot); the link shows the live state. */
  async update(): Promise<void> {}

  /**
   * Since the first card cannot be edited, each webhook the request went to gets a second,
   * final card (once), so the channel does not keep showing "Approval needed".
   */
  async notifyOutcome(view: ChannelRequestView): Promise<void> {
    const host = this.#host
    if (!host) return
    for (const { key } of await host.state.list(`sent:${view.id}:`)) {
      const destination = key.slice(`sent:${view.id}:`.length)
      const url = this.#o.webhooks[destination]
      if (url) await this.#once(`outcome:${view.id}:${destination}`, url, destination, view)
    }
  }

  /** POSTs the card for `view` unless `marker` says it went already; records the marker after. */
  async #once(marker: string, url: string, destination: string, view: ChannelRequestView): Promise<void> {
    if (await this.#host?.state.get(marker)) return
    const summary = view.status === 'pending' ? `Approval needed: request ${view.id}` : `Request ${view.id} ${view.status}`
    let res: Response
    try {
      res = await (this.#o.fetch ?? fetch)(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(cardActivity(this.render(view), summary)),
        signal: AbortSignal.timeout(10_000),
      })
    } catch (e) {
      // The URL embeds its signature: never put it in the error.
      throw networkError(`Workflows webhook ${destination}`, e)
    }
    await res.body?.cancel()
    if (!res.ok) throw deliveryErrorOf(res, null, `Workflows webhook ${destination}`)
    await this.#host?.state.put(marker, { at: new Date(this.#host.now()).toISOString() })
  }
}
