import type { Channel } from '../channels/channel.js'
import { SlackChannel } from '../channels/slack/index.js'
import { teamsChannels } from '../channels/teams/index.js'
import type { SignoffConfig } from '../config/index.js'

/**
 * The chat channels the configuration sets up (`slack:`, `teams:`), besides the web channel that
 * is always there. `fetch` is injected so tests can watch outbound calls.
 */
export function configuredChannels(config: SignoffConfig, opts: { readonly fetch?: typeof fetch } = {}): Channel[] {
  const channels: Channel[] = []
  const slack = config.slack
  if (slack) {
    channels.push(
      new SlackChannel({ botToken: slack.bot_token, signingSecret: slack.signing_secret, appToken: slack.app_token, apiUrl: slack.api_url, teamId: slack.team_id, ...opts }),
    )
  }
  if (config.teams) channels.push(...teamsChannels(config.teams, opts))
  return channels
}
