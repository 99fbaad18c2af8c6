import type { Channel } from '../channels/channel.js'
import { SlackChannel } from '../channels/slack/index.js'
import { TeamsChannel, TeamsWebhookChannel } from '../channels/teams/index.js'
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
  const teams = config.teams
  if (teams) {
    channels.push(
      new TeamsChannel({
        appId: teams.app_id,
        appPassword: teams.app_password,
        tenantId: teams.tenant_id,
        loginUrl: teams.login_url,
        openIdMetadataUrl: teams.openid_metadata_url,
        tokenIssuer: teams.token_issuer,
        destinations: teams.destinations,
        ...opts,
      }),
      new TeamsWebhookChannel({ webhooks: teams.workflows_webhooks, ...opts }),
    )
  }
  return channels
}
