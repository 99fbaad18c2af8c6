import type { SlackConfig } from './signoff-config.js'
import { invalid, onlyKeys, str, url } from './config-values.js'

/** Validates the `slack:` section. */
export function validateSlack(raw: Record<string, unknown>): SlackConfig {
  onlyKeys(raw, 'slack', ['bot_token', 'signing_secret', 'app_token', 'api_url', 'team_id'])
  const botToken = str(raw, 'bot_token', '', 'slack.bot_token')
  if (!botToken.startsWith('xoxb-')) throw invalid('slack.bot_token', 'must be a bot token (xoxb-…)')
  const appToken = str(raw, 'app_token', '', 'slack.app_token')
  if (appToken !== '' && !appToken.startsWith('xapp-')) throw invalid('slack.app_token', 'must be an app-level token (xapp-…)')
  const signingSecret = str(raw, 'signing_secret', '', 'slack.signing_secret')
  if (appToken === '' && signingSecret === '') {
    throw invalid('slack.signing_secret', 'is required for HTTP interactivity (or set slack.app_token for Socket Mode)')
  }
  const apiUrl = url(raw, 'api_url', 'https://slack.com/api/', 'slack.api_url', true)
  const teamId = str(raw, 'team_id', '', 'slack.team_id')
  if (teamId !== '' && !/^[TE][A-Z0-9]+$/.test(teamId)) throw invalid('slack.team_id', 'must be a Slack team id (T…)')
  return {
    bot_token: botToken,
    signing_secret: signingSecret === '' ? null : signingSecret,
    app_token: appToken === '' ? null : appToken,
    api_url: apiUrl.endsWith('/') ? apiUrl : `${apiUrl}/`,
    team_id: teamId === '' ? null : teamId,
  }
}
