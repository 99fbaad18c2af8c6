import type { TeamsConfig } from './signoff-config.js'
import { invalid, isRecord, obj, onlyKeys, str, url } from './config-values.js'

const NAME = /^[A-Za-z0-9_.-]+$/

/** Validates the `teams:` section. */
export function validateTeams(raw: Record<string, unknown>): TeamsConfig {
  onlyKeys(raw, 'teams', ['app_id', 'app_password', 'tenant_id', 'login_url', 'openid_metadata_url', 'token_issuer', 'destinations', 'workflows_webhooks'])
  const required = (key: string): string => {
    const v = str(raw, key, '', `teams.${key}`)
    if (v === '') throw invalid(`teams.${key}`, 'is required')
    return v
  }
  const destinationsRaw = obj(raw, 'destinations')
  const destinations: Record<string, { team: string; channel: string }> = {}
  for (const [name, d] of Object.entries(destinationsRaw)) {
    const key = `teams.destinations.${name}`
    if (!NAME.test(name)) throw invalid(key, 'names may use letters, digits, _ . -')
    if (!isRecord(d)) throw invalid(key, 'must be a mapping {team, channel}')
    onlyKeys(d, key, ['team', 'channel'])
    const team = str(d, 'team', '', `${key}.team`)
    const channel = str(d, 'channel', '', `${key}.channel`)
    if (team === '' || channel === '') throw invalid(key, 'needs both team and channel')
    destinations[name] = { team, channel }
  }
  const hooksRaw = obj(raw, 'workflows_webhooks')
  const webhooks: Record<string, string> = {}
  for (const name of Object.keys(hooksRaw)) {
    const key = `teams.workflows_webhooks.${name}`
    if (!NAME.test(name)) throw invalid(key, 'names may use letters, digits, _ . -')
    webhooks[name] = url(hooksRaw, name, '', key, true)
  }
  return {
    app_id: required('app_id'),
    app_password: required('app_password'),
    tenant_id: required('tenant_id'),
    login_url: url(raw, 'login_url', 'https://login.microsoftonline.com', 'teams.login_url', true).replace(/\/+$/, ''),
    openid_metadata_url: url(raw, 'openid_metadata_url', 'https://login.botframework.com/v1/.well-known/openidconfiguration', 'teams.openid_metadata_url', true),
    token_issuer: str(raw, 'token_issuer', 'https://api.botframework.com', 'teams.token_issuer'),
    destinations,
    workflows_webhooks: webhooks,
  }
}
