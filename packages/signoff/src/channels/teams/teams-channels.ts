import type { Channel } from '../channel.js'
import { TeamsChannel } from './teams-channel.js'
import { TeamsWebhookChannel } from './teams-webhook-channel.js'

/** The `teams:` settings as the configuration validated them (same keys, plain values). */
export interface TeamsSettings {
  readonly app_id: string
  readonly app_password: string
  readonly tenant_id: string
  readonly login_url: string
  readonly openid_metadata_url: string
  readonly token_issuer: string
  readonly destinations: Readonly<Record<string, { readonly team: string; readonly channel: string }>>
  readonly workflows_webhooks: Readonly<Record<string, string>>
}

/** The two Teams channels: `teams` (the bot) and `teams-webhook` (Workflows, notify-only). */
export function teamsChannels(t: TeamsSettings, opts: { readonly fetch?: typeof fetch } = {}): Channel[] {
  const fetchOpt = opts.fetch ? { fetch: opts.fetch } : {}
  return [
    new TeamsChannel({
      appId: t.app_id,
      appPassword: t.app_password,
      tenantId: t.tenant_id,
      loginUrl: t.login_url,
      openIdMetadataUrl: t.openid_metadata_url,
      tokenIssuer: t.token_issuer,
      destinations: t.destinations,
      ...fetchOpt,
    }),
    new TeamsWebhookChannel({ webhooks: t.workflows_webhooks, ...fetchOpt }),
  ]
}
