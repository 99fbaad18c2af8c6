import { existsSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { parse as parseYaml } from 'yaml'
import { parseDuration } from '../domain/index.js'
import { bool, int, invalid, isRecord, obj, str, strList } from './config-values.js'
import { validateSlack } from './slack-config.js'
import { validateTeams } from './teams-config.js'
import type { Scope, SignoffConfig, TokenConfig } from './signoff-config.js'

/** Where the configuration comes from. */
export interface LoadConfigOptions {
  /** Path of signoff.yaml; default `./signoff.yaml` when it exists. */
  readonly file?: string | null
  /** The environment (`SIGNOFF_*` variables). Defaults to `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>
  /** Directory that relative paths in the file resolve against. Defaults to the file's folder. */
  readonly cwd?: string
  /** Values applied over the file and the environment (tests, CLI flags). */
  readonly overrides?: Readonly<Record<string, unknown>>
}

/** The bundled example policy, used when no policy path is configured. */
export const BUNDLED_POLICY = new URL('../../../../examples/seed/approvals.rego', import.meta.url).pathname

const ENV: ReadonlyArray<readonly [string, string]> = [
  ['SIGNOFF_PORT', 'port'],
  ['SIGNOFF_HOST', 'host'],
  ['SIGNOFF_PUBLIC_URL', 'public_url'],
  ['SIGNOFF_DATABASE', 'database'],
  ['SIGNOFF_DATABASE_URL', 'database'],
  ['SIGNOFF_POLICY_PATHS', 'policy.paths'],
  ['SIGNOFF_POLICY_PACKAGE', 'policy.package'],
  ['SIGNOFF_POLICY_REGO_VERSION', 'policy.rego_version'],
  ['SIGNOFF_POLICY_WATCH', 'policy.watch'],
  ['SIGNOFF_SECRET', 'secret'],
  ['SIGNOFF_CHECKPOINT_KEY', 'checkpoint_key'],
  ['SIGNOFF_BODY_LIMIT', 'body_limit'],
  ['SIGNOFF_LOG_LEVEL', 'log_level'],
  ['SIGNOFF_WORKER_INTERVAL', 'worker_interval'],
  ['SIGNOFF_SLACK_BOT_TOKEN', 'slack.bot_token'],
  ['SIGNOFF_SLACK_SIGNING_SECRET', 'slack.signing_secret'],
  ['SIGNOFF_SLACK_APP_TOKEN', 'slack.app_token'],
  ['SIGNOFF_SLACK_API_URL', 'slack.api_url'],
  ['SIGNOFF_SLACK_TEAM_ID', 'slack.team_id'],
  ['SIGNOFF_TEAMS_APP_ID', 'teams.app_id'],
  ['SIGNOFF_TEAMS_APP_PASSWORD', 'teams.app_password'],
  ['SIGNOFF_TEAMS_TENANT_ID', 'teams.tenant_id'],
  ['SIGNOFF_TEAMS_LOGIN_URL', 'teams.login_url'],
  ['SIGNOFF_TEAMS_OPENID_METADATA_URL', 'teams.openid_metadata_url'],
  ['SIGNOFF_TEAMS_TOKEN_ISSUER', 'teams.token_issuer'],
]

const TOP_KEYS = new Set([
  'port', 'host', 'public_url', 'database', 'policy', 'defaults', 'groups', 'tokens', 'secret',
  'checkpoint_key', 'body_limit', 'log_level', 'worker_interval', 'slack', 'teams',
])
const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const
const SCOPES: readonly Scope[] = ['request', 'approve', 'admin']

/**
 * Loads signoff.yaml (if any), applies `SIGNOFF_*` variables over it, validates every key and
 * returns the frozen result. Throws {@link SignoffError} `SIGNOFF_CONFIG_INVALID` naming the key;
 * secret values never appear in the message.
 */
export function loadConfig(opts: LoadConfigOptions = {}): SignoffConfig {
  const env = opts.env ?? process.env
  let file = opts.file ?? null
  if (file === null && existsSync('signoff.yaml')) file = 'signoff.yaml'
  let raw: Record<string, unknown> = {}
  let base = opts.cwd ?? process.cwd()
  if (file !== null) {
    let text: string
    try {
      text = readFileSync(file, 'utf8')
    } catch (e) {
      throw invalid('(file)', `cannot read ${file}: ${(e as Error).message}`)
    }
    let parsed: unknown
    try {
      parsed = parseYaml(text)
    } catch (e) {
      throw invalid('(file)', `${file} is not valid YAML: ${(e as Error).message}`)
    }
    if (parsed !== null && parsed !== undefined) {
      if (!isRecord(parsed)) throw invalid('(file)', `${file} must be a mapping of keys`)
      raw = parsed
    }
    base = opts.cwd ?? resolve(file, '..')
  }
  for (const [name, key] of ENV) {
    const v = env[name]
    if (v !== undefined && v !== '') setPath(raw, key, fromEnv(key, v))
  }
  for (const [key, v] of Object.entries(opts.overrides ?? {})) setPath(raw, key, v)
  return deepFreeze(validate(raw, base))
}

function validate(raw: Record<string, unknown>, base: string): SignoffConfig {
  for (const k of Object.keys(raw)) if (!TOP_KEYS.has(k)) throw invalid(k, 'unknown key')
  const port = int(raw, 'port', 8686, 0, 65535)
  const host = str(raw, 'host', '127.0.0.1')
  const publicUrl = str(raw, 'public_url', `http://127.0.0.1:${port}`)
  if (!/^https?:\/\/[^\s]+$/.test(publicUrl)) throw invalid('public_url', 'must be an http(s) URL')
  const database = str(raw, 'database', 'sqlite:./signoff.db')
  if (!/^(sqlite:|postgres(ql)?:\/\/)/.test(database)) throw invalid('database', 'must start with sqlite: or postgres://')

  const policy = obj(raw, 'policy')
  for (const k of Object.keys(policy)) if (!['paths', 'package', 'rego_version', 'watch'].includes(k)) throw invalid(`policy.${k}`, 'unknown key')
  const configured = strList(policy, 'paths', 'policy.paths', []).map((p) => resolve(base, p))
  const bundled = configured.length === 0
  const paths = bundled ? [BUNDLED_POLICY] : configured
  const pkg = str(policy, 'package', bundled ? 'approvals' : 'signoff', 'policy.package')
  if (!/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/.test(pkg)) throw invalid('policy.package', 'must be a dotted Rego package name')
  const regoVersion = int(policy, 'rego_version', bundled ? 0 : 1, 0, 1, 'policy.rego_version') as 0 | 1
  const watch = bool(policy, 'watch', true, 'policy.watch')

  const defaults = obj(raw, 'defaults')
  for (const k of Object.keys(defaults)) {
    if (!['approvers', 'min_approvals', 'channels', 'timeout'].includes(k)) throw invalid(`defaults.${k}`, 'unknown key')
  }
  const timeoutRaw = defaults['timeout'] ?? '1h'
  const timeout = typeof timeoutRaw === 'string' || typeof timeoutRaw === 'number' ? parseDuration(timeoutRaw) : null
  if (timeout === null || timeout <= 0) throw invalid('defaults.timeout', 'must be a duration like 30m or 1h')

  const groupsRaw = obj(raw, 'groups')
  const groups: Record<string, string[]> = {}
  for (const g of Object.keys(groupsRaw)) groups[g] = strList(groupsRaw, g, `groups.${g}`, [])

  const tokensRaw = raw['tokens'] ?? []
  if (!Array.isArray(tokensRaw)) throw invalid('tokens', 'must be a list')
  const tokens: TokenConfig[] = tokensRaw.map((t, i) => {
    const key = `tokens[${i}]`
    if (!isRecord(t)) throw invalid(key, 'must be a mapping {token, subject, scopes}')
    for (const k of Object.keys(t)) if (!['token', 'subject', 'scopes'].includes(k)) throw invalid(`${key}.${k}`, 'unknown key')
    const token = t['token']
    if (typeof token !== 'string' || token.length < 16) throw invalid(`${key}.token`, 'must be a string of at least 16 characters')
    const subject = str(t, 'subject', '', `${key}.subject`)
    if (subject === '') throw invalid(`${key}.subject`, 'is required')
    const scopes = strList(t, 'scopes', `${key}.scopes`, [])
    for (const s of scopes) if (!SCOPES.includes(s as Scope)) throw invalid(`${key}.scopes`, `unknown scope ${JSON.stringify(s)} (request, approve, admin)`)
    if (scopes.length === 0) throw invalid(`${key}.scopes`, 'needs at least one scope')
    return { token, subject, scopes: scopes as Scope[] }
  })

  const secret = raw['secret'] === undefined || raw['secret'] === null ? null : raw['secret']
  if (secret !== null && (typeof secret !== 'string' || secret.length < 32)) throw invalid('secret', 'must be a string of at least 32 characters')
  const checkpointKey = raw['checkpoint_key'] === undefined || raw['checkpoint_key'] === null ? null : str(raw, 'checkpoint_key', '')
  const logLevel = str(raw, 'log_level', 'info')
  if (!(LEVELS as readonly string[]).includes(logLevel)) throw invalid('log_level', `must be one of ${LEVELS.join(', ')}`)

  return {
    port,
    host,
    public_url: publicUrl.replace(/\/+$/, ''),
    database,
    policy: { paths, package: pkg, rego_version: regoVersion, watch },
    defaults: {
      approvers: strList(defaults, 'approvers', 'defaults.approvers', []),
      min_approvals: int(defaults, 'min_approvals', 1, 1, 1000, 'defaults.min_approvals'),
      channels: strList(defaults, 'channels', 'defaults.channels', ['web']),
      timeout,
    },
    groups,
    tokens,
    secret: secret as string | null,
    checkpoint_key: checkpointKey === null ? null : resolve(base, checkpointKey),
    body_limit: int(raw, 'body_limit', 1_048_576, 1024, 100 * 1_048_576),
    log_level: logLevel as SignoffConfig['log_level'],
    worker_interval: int(raw, 'worker_interval', 500, 10, 3_600_000),
    slack: raw['slack'] === undefined || raw['slack'] === null ? null : validateSlack(obj(raw, 'slack')),
    teams: raw['teams'] === undefined || raw['teams'] === null ? null : validateTeams(obj(raw, 'teams')),
  }
}

/** Environment values are strings; numbers, booleans and lists are converted by key. */
function fromEnv(key: string, v: string): unknown {
  if (['port', 'body_limit', 'worker_interval', 'policy.rego_version'].includes(key)) {
    return /^-?\d+$/.test(v.trim()) ? Number(v) : v
  }
  if (key === 'policy.watch') return v === 'true' ? true : v === 'false' ? false : v
  if (key === 'policy.paths') return v.split(',').map((s) => s.trim()).filter((s) => s !== '')
  return v
}

function setPath(raw: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.')
  let cur = raw
  for (const p of parts.slice(0, -1)) {
    const next = cur[p]
    if (!isRecord(next)) cur[p] = {}
    cur = cur[p] as Record<string, unknown>
  }
  cur[parts[parts.length - 1]!] = value
}

function deepFreeze<T>(v: T): T {
  if (typeof v === 'object' && v !== null) {
    for (const x of Object.values(v)) deepFreeze(x)
    Object.freeze(v)
  }
  return v
}
