/** One bearer token from the configuration. */
export interface TokenConfig {
  /** The secret itself. Never logged. */
  readonly token: string
  /** Who calls with it (an email address for approvers). */
  readonly subject: string
  /** What it may do. */
  readonly scopes: readonly Scope[]
}

/** Token scopes: create requests, approve/reject, administer (everything). */
export type Scope = 'request' | 'approve' | 'admin'

/** The validated, frozen configuration (snake_case keys as in signoff.yaml). */
export interface SignoffConfig {
  /** TCP port; 8686 by default (OPA owns 8181). */
  readonly port: number
  /** Interface to bind; 127.0.0.1 by default. */
  readonly host: string
  /** Base URL for links in messages. */
  readonly public_url: string
  /** `sqlite:./signoff.db`, `sqlite::memory:` or `postgres://user@host:5432/db`. */
  readonly database: string
  readonly policy: {
    /** .rego files, folders, data.json/data.yaml, OPA bundles (.tar.gz). */
    readonly paths: readonly string[]
    /** `data.<package>` is queried; `signoff` by default. */
    readonly package: string
    /** Rego version for files with no bundle manifest saying otherwise. */
    readonly rego_version: 0 | 1
    /** Reload when the files change (default true). */
    readonly watch: boolean
  }
  /** Approval details used when the policy gives none (seed form). */
  readonly defaults: {
    readonly approvers: readonly string[]
    readonly min_approvals: number
    readonly channels: readonly string[]
    /** Milliseconds. */
    readonly timeout: number
  }
  /** Group name → member emails. */
  readonly groups: Readonly<Record<string, readonly string[]>>
  readonly tokens: readonly TokenConfig[]
  /** HMAC key for web links and callback signatures; generated and kept in the database if unset. */
  readonly secret: string | null
  /** PEM file with an Ed25519 private key; when set, decision-log checkpoints are signed. */
  readonly checkpoint_key: string | null
  /** Largest accepted body, bytes. */
  readonly body_limit: number
  /** pino level. */
  readonly log_level: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent'
  /** Outbox worker and expiry sweep interval, milliseconds. */
  readonly worker_interval: number
  /** Slack app; `null` when not configured. */
  readonly slack: SlackConfig | null
  /** Microsoft Teams bot; `null` when not configured. */
  readonly teams: TeamsConfig | null
}

/** The `slack:` section. */
export interface SlackConfig {
  /** `xoxb-…`. Secret. */
  readonly bot_token: string
  /** HTTP interactivity at `POST /slack/interactions`; `null` with Socket Mode only. Secret. */
  readonly signing_secret: string | null
  /** `xapp-…`: Socket Mode when set. Secret. */
  readonly app_token: string | null
  /** Web API base URL, ending in `/`. */
  readonly api_url: string
  /** Interactions from any other workspace are refused. */
  readonly team_id: string | null
}

/** The `teams:` section. */
export interface TeamsConfig {
  /** The bot's Entra app id (the expected JWT audience). */
  readonly app_id: string
  /** Client secret. Secret. */
  readonly app_password: string
  readonly tenant_id: string
  /** Token endpoint base, no trailing slash. */
  readonly login_url: string
  readonly openid_metadata_url: string
  /** Expected `iss` of inbound Bot Framework tokens. */
  readonly token_issuer: string
  /** Named places to post: `teams:<name>`. */
  readonly destinations: Readonly<Record<string, { readonly team: string; readonly channel: string }>>
  /** Notify-only destinations: `teams-webhook:<name>` → URL. Secret (the URL carries a signature). */
  readonly workflows_webhooks: Readonly<Record<string, string>>
}

/** Keys whose values are secrets: redacted from logs and error messages. */
export const SECRET_KEYS: readonly string[] = Object.freeze(['token', 'secret', 'tokens', 'checkpoint_key', 'bot_token', 'signing_secret', 'app_token', 'app_password', 'workflows_webhooks'])
