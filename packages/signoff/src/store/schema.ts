/** `requests`: one row per request; approvals live in the row so every transition is one CAS. */
export interface RequestsTable {
  id: string
  status: string
  /** JSON text of the caller's input. */
  input: string
  digest: string
  requester: string | null
  reason: string | null
  /** JSON text of the ApprovalSpec, or null. */
  spec: string | null
  /** JSON text of the ApprovalRecord list. */
  approvals: string
  created_at: number
  expires_at: number | null
  decided_at: number | null
  idempotency_key: string | null
  callback_url: string | null
  policy_revision: string
  /** JSON text of the policy's last raw result. */
  result: string
  version: number
}

/** `outbox`: notifications, message updates and callbacks, written with the state change. */
export interface OutboxTable {
  id: string
  kind: string
  request_id: string
  /** JSON text. */
  payload: string
  attempts: number
  next_at: number
  claimed_until: number | null
  done_at: number | null
  last_error: string | null
  created_at: number
  /** Added by 202612021600-channel-delivery. */
  last_code: string | null
  failed_at: number | null
}

/** `posts`: where each request was posted, so later state changes update it in place. */
export interface PostsTable {
  request_id: string
  channel: string
  destination: string
  message_id: string
  created_at: number
}

/** `channel_state`: durable records a channel owns (Teams conversation references…). */
export interface ChannelStateTable {
  channel: string
  key: string
  /** JSON text. */
  value: string
  updated_at: number
}

/** `decision_log`: the append-only hash chain. */
export interface DecisionLogTable {
  seq: number
  id: string
  at: number
  request_id: string
  event: string
  actor: string | null
  input_digest: string
  policy_revision: string
  /** JSON text. */
  result: string
  prev_hash: string
  hash: string
}

/** `log_head`: one row holding the chain's tip; updating it serialises appends. */
export interface LogHeadTable {
  id: number
  seq: number
  hash: string
}

/** `checkpoints`: Ed25519 signatures over the chain's tip at a sequence. */
export interface CheckpointsTable {
  seq: number
  hash: string
  at: number
  public_key: string
  signature: string
}

/** `tokens`: bearer tokens created by signoff itself (the first-start admin token), hashed. */
export interface TokensTable {
  hash: string
  subject: string
  /** JSON text of the scope list. */
  scopes: string
  created_at: number
}

/** `settings`: generated secrets and other server-wide values. */
export interface SettingsTable {
  key: string
  value: string
}

/** `used_links`: nonces of signed web links that were used (single use). */
export interface UsedLinksTable {
  nonce: string
  request_id: string
  approver: string
  used_at: number
}

/** The whole schema, for Kysely. */
export interface Database {
  requests: RequestsTable
  outbox: OutboxTable
  posts: PostsTable
  channel_state: ChannelStateTable
  decision_log: DecisionLogTable
  log_head: LogHeadTable
  checkpoints: CheckpointsTable
  tokens: TokensTable
  settings: SettingsTable
  used_links: UsedLinksTable
}

