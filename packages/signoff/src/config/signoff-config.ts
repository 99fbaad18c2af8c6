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
}

/** Keys whose values are secrets: redacted from logs and error messages. */
export const SECRET_KEYS: readonly string[] = Object.freeze(['token', 'secret', 'tokens', 'checkpoint_key'])
