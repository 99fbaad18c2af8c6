import { Migrator, sql, type Kysely, type Transaction } from 'kysely'
import type { ApprovalRequest, LogEntry, RequestStatus } from '../domain/index.js'
import type { DialectHelper } from './dialects/dialect-helper.js'
import { PostgresHelper } from './dialects/postgres.js'
import { SqliteHelper } from './dialects/sqlite.js'
import { migrationProvider } from './migrations/index.js'
import { newId } from './ids.js'
import { fromRow, logFromRow, toRow } from './rows.js'
import type { Database } from './schema.js'
import type { CommitResult, FinishedJob, WriteSet } from './write-set.js'

/** An outbox job: a notification, a message update or a callback delivery. */
export interface OutboxJob {
  readonly id: string
  /** `notify`, `update` or `callback`. */
  readonly kind: string
  readonly requestId: string
  readonly payload: Record<string, unknown>
  readonly attempts: number
  readonly nextAt: number
}

/** An outbox job with its delivery state. */
export interface OutboxRecord extends OutboxJob {
  readonly doneAt: number | null
  /** Set when the job was given up (a permanent error, or out of attempts). */
  readonly failedAt: number | null
  readonly lastError: string | null
  /** The error's code (`channel_not_found`, `http_503`, `error`…). */
  readonly lastCode: string | null
}

/** Filters for listing requests (newest first). */
export interface RequestFilter {
  readonly status?: RequestStatus | 'final' | null
  readonly requester?: string | null
  /** Epoch ms, inclusive. */
  readonly createdFrom?: number | null
  /** Epoch ms, exclusive. */
  readonly createdTo?: number | null
  /** Opaque cursor from a previous page. */
  readonly cursor?: string | null
  readonly limit: number
}

/** A page of requests. */
export interface RequestPage {
  readonly items: readonly ApprovalRequest[]
  readonly nextCursor: string | null
}

/** A stored bearer token (hash only). */
export interface StoredToken {
  readonly subject: string
  readonly scopes: readonly string[]
}

/** A stored, signed checkpoint of the decision log. */
export interface Checkpoint {
  readonly seq: number
  readonly hash: string
  readonly at: number
  readonly publicKey: string
  readonly signature: string
}

/** Where a request was posted. */
export interface PostRecord {
  readonly channel: string
  readonly destination: string
  readonly messageId: string
}

/** The outcome of running migrations: a result, not an exception (kysely's MigrationResultSet). */
export interface MigrateResult {
  readonly ok: boolean
  readonly applied: readonly string[]
  readonly error?: string
}

/** Options for {@link Store.open}. */
export interface StoreOpenOptions {
  /** PostgreSQL schema to use as the search path (created if missing); tests isolate with it. */
  readonly schema?: string
}

export { newId } from './ids.js'

/**
 * The store: requests, outbox, posts, decision log, tokens and settings over Kysely, on SQLite
 * or PostgreSQL. Every state change is one compare-and-swap on the request's version, inside a
 * transaction that also writes its outbox rows and log entries.
 */
export class Store {
  readonly #db: Kysely<Database>
  readonly #helper: DialectHelper
  readonly #schema: string | undefined

  private constructor(db: Kysely<Database>, helper: DialectHelper, schema?: string) {
    this.#db = db
    this.#helper = helper
    this.#schema = schema
  }

  /** Opens `sqlite:./file.db`, `sqlite::memory:` or `postgres://…`. */
  static async open(url: string, opts: StoreOpenOptions = {}): Promise<Store> {
    if (url.startsWith('sqlite:')) {
      const { db, helper } = SqliteHelper.open(url.slice('sqlite:'.length) || ':memory:')
      return new Store(db, helper)
    }
    if (/^postgres(ql)?:\/\//.test(url)) {
      if (opts.schema) {
        const bootstrap = PostgresHelper.open(url)
        try {
          await bootstrap.db.schema.createSchema(opts.schema).ifNotExists().execute()
        } finally {
          await bootstrap.db.destroy()
        }
      }
      const { db, helper } = PostgresHelper.open(url, opts.schema)
      return new Store(db, helper, opts.schema)
    }
    throw new TypeError(`unsupported database URL: ${url.replace(/\/\/[^@/]*@/, '//***@')}`)
  }

  /** `sqlite` or `postgres`. */
  get dialect(): 'sqlite' | 'postgres' {
    return this.#helper.name
  }

  /** Runs pending migrations. */
  async migrate(): Promise<MigrateResult> {
    // Kysely looks for its migration tables across every schema; name ours, or another
    // schema's tables (parallel test files) would be mistaken for them.
    const migrator = new Migrator({ db: this.#db, provider: migrationProvider, ...(this.#schema ? { migrationTableSchema: this.#schema } : {}) })
    const { error, results } = await migrator.migrateToLatest()
    const applied = (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName)
    return error === undefined ? { ok: true, applied } : { ok: false, applied, error: String((error as Error).message ?? error) }
  }

  /** Whether the database answers. */
  async ping(): Promise<boolean> {
    try {
      await this.#db.selectFrom('log_head').select('seq').limit(1).execute()
      return true
    } catch {
      return false
    }
  }

  /** Closes every connection. */
  async close(): Promise<void> {
    await this.#helper.close(this.#db)
  }

  /** Runs `fn` in one transaction. */
  async transaction<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T> {
    return this.#db.transaction().execute((trx) => fn(new StoreTx(trx, this.#helper)))
  }

  /**
   * Commits one state change atomically: the request (insert or compare-and-swap), its log
   * entries and its outbox jobs. SQLite groups concurrent commits into one transaction.
   */
  commit(ws: WriteSet): Promise<CommitResult> {
    return this.#helper.commit(ws, (w) => this.transaction((tx) => tx.apply(w)))
  }

  /** Marks outbox jobs delivered and records their posts, in one transaction. */
  finishJobs(jobs: readonly FinishedJob[], now: number): Promise<void> {
    if (jobs.length === 0) return Promise.resolve()
    return this.#helper.finishJobs(jobs, now, () =>
      this.transaction(async (tx) => {
        for (const j of jobs) await tx.finishJob(j, now)
      }),
    )
  }

  /** Calls `onChange` for requests changed by other replicas (PostgreSQL); returns a stop function. */
  listen(onChange: (requestId: string) => void): Promise<() => Promise<void>> {
    return this.#helper.listen(this.#db, onChange)
  }

  /** The request, or `null`. */
  async getRequest(id: string): Promise<ApprovalRequest | null> {
    const row = await this.#db.selectFrom('requests').selectAll().where('id', '=', id).executeTakeFirst()
    return row ? fromRow(row) : null
  }

  /** The request created with `key`, or `null`. */
  async findByIdempotencyKey(key: string): Promise<ApprovalRequest | null> {
    const row = await this.#db.selectFrom('requests').selectAll().where('idempotency_key', '=', key).executeTakeFirst()
    return row ? fromRow(row) : null
  }

  /** The latest approved request for `digest` whose grant_ttl still covers `now`, or `null`. */
  async findGrant(digest: string, now: number): Promise<ApprovalRequest | null> {
    const rows = await this.#db
      .selectFrom('requests')
      .selectAll()
      .where('digest', '=', digest)
      .where('status', '=', sql.lit('approved')) // a literal, so the partial index applies
      .orderBy('decided_at', 'desc')
      .limit(5)
      .execute()
    for (const row of rows) {
      const r = fromRow(row)
      if (r.spec?.grantTtlMs && r.decidedAt !== null && r.decidedAt + r.spec.grantTtlMs > now) return r
    }
    return null
  }

  /** Requests, newest first, filtered, with cursor pagination. */
  async listRequests(f: RequestFilter): Promise<RequestPage> {
    let q = this.#db.selectFrom('requests').selectAll()
    if (f.status === 'final') q = q.where('status', '!=', 'pending')
    else if (f.status) q = q.where('status', '=', f.status)
    if (f.requester) q = q.where('requester', '=', f.requester)
    if (f.createdFrom != null) q = q.where('created_at', '>=', f.createdFrom)
    if (f.createdTo != null) q = q.where('created_at', '<', f.createdTo)
    const cursor = f.cursor ? decodeCursor(f.cursor) : null
    if (cursor) {
      q = q.where((eb) =>
        eb.or([eb('created_at', '<', cursor.at), eb.and([eb('created_at', '=', cursor.at), eb('id', '<', cursor.id)])]),
      )
    }
    const rows = await q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(f.limit + 1).execute()
    const items = rows.slice(0, f.limit).map(fromRow)
    const last = items[items.length - 1]
    return { items, nextCursor: rows.length > f.limit && last ? encodeCursor(last.createdAt, last.id) : null }
  }

  /** Ids of pending requests whose expiry has passed. */
  async dueExpirations(now: number, limit: number): Promise<string[]> {
    const rows = await this.#db
      .selectFrom('requests')
      .select('id')
      .where('status', '=', sql.lit('pending')) // a literal, so the partial index applies
      .where('expires_at', '<=', now)
      .orderBy('expires_at')
      .limit(limit)
      .execute()
    return rows.map((r) => r.id)
  }

  /** The earliest expiry among pending requests, or `null`. */
  async nextExpiry(): Promise<number | null> {
    const row = await this.#db
      .selectFrom('requests')
      .select((eb) => eb.fn.min('expires_at').as('at'))
      .where('status', '=', sql.lit('pending'))
      .executeTakeFirst()
    return row?.at == null ? null : Number(row.at)
  }

  /** Claims due outbox jobs for `leaseMs` (SKIP LOCKED on PostgreSQL). */
  async claimOutbox(now: number, leaseMs: number, limit: number): Promise<OutboxJob[]> {
    return this.#db.transaction().execute(async (trx) => {
      const ids = await this.#helper.claimDue(trx, now, leaseMs, limit)
      if (ids.length === 0) return []
      const rows = await trx.selectFrom('outbox').selectAll().where('id', 'in', ids).orderBy('id').execute()
      return rows.map((r) => ({
        id: r.id,
        kind: r.kind,
        requestId: r.request_id,
        payload: JSON.parse(r.payload) as Record<string, unknown>,
        attempts: Number(r.attempts),
        nextAt: Number(r.next_at),
      }))
    })
  }

  /** Marks a job delivered. */
  async completeOutbox(id: string, now: number): Promise<void> {
    await this.#db.updateTable('outbox').set({ done_at: now, claimed_until: null }).where('id', '=', id).execute()
  }

  /**
   * Schedules another attempt, or gives up (`nextAt === null`: the job is closed with
   * `failed_at`, and its error stays on the request as a delivery error).
   */
  async retryOutbox(id: string, attempts: number, nextAt: number | null, error: { code: string; message: string }, now: number): Promise<void> {
    const last = { attempts, last_error: error.message, last_code: error.code, claimed_until: null }
    await this.#db
      .updateTable('outbox')
      .set(nextAt === null ? { ...last, done_at: now, failed_at: now } : { ...last, next_at: nextAt })
      .where('id', '=', id)
      .execute()
  }

  /** Jobs not yet delivered (for tests and /metrics). */
  async pendingOutbox(): Promise<number> {
    const row = await this.#db
      .selectFrom('outbox')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('done_at', 'is', null)
      .executeTakeFirst()
    return Number(row?.n ?? 0)
  }

  /** Every outbox job of a request, oldest first, with its delivery state. */
  async outboxFor(requestId: string): Promise<OutboxRecord[]> {
    const rows = await this.#db.selectFrom('outbox').selectAll().where('request_id', '=', requestId).orderBy('id').execute()
    return rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      requestId: r.request_id,
      payload: JSON.parse(r.payload) as Record<string, unknown>,
      attempts: Number(r.attempts),
      nextAt: Number(r.next_at),
      doneAt: r.done_at == null ? null : Number(r.done_at),
      failedAt: r.failed_at == null ? null : Number(r.failed_at),
      lastError: r.last_error,
      lastCode: r.last_code,
    }))
  }

  /** Records where a request was posted (idempotent). */
  async recordPost(requestId: string, post: PostRecord, now: number): Promise<void> {
    await this.#db
      .insertInto('posts')
      .values({ request_id: requestId, channel: post.channel, destination: post.destination, message_id: post.messageId, created_at: now })
      .onConflict((oc) => oc.columns(['request_id', 'channel', 'destination']).doNothing())
      .execute()
  }

  /** Where a request was posted. */
  async postsFor(requestId: string): Promise<PostRecord[]> {
    const rows = await this.#db.selectFrom('posts').selectAll().where('request_id', '=', requestId).orderBy('created_at').execute()
    return rows.map((r) => ({ channel: r.channel, destination: r.destination, messageId: r.message_id }))
  }

  /** A channel's durable record, or `undefined`. */
  async getChannelState(channel: string, key: string): Promise<unknown> {
    const row = await this.#db.selectFrom('channel_state').select('value').where('channel', '=', channel).where('key', '=', key).executeTakeFirst()
    return row ? (JSON.parse(row.value) as unknown) : undefined
  }

  /** Inserts or replaces a channel's durable record. */
  async putChannelState(channel: string, key: string, value: unknown, now: number): Promise<void> {
    const text = JSON.stringify(value)
    await this.#db
      .insertInto('channel_state')
      .values({ channel, key, value: text, updated_at: now })
      .onConflict((oc) => oc.columns(['channel', 'key']).doUpdateSet({ value: text, updated_at: now }))
      .execute()
  }

  /** A channel's records whose key starts with `prefix`, by key. */
  async listChannelState(channel: string, prefix: string): Promise<Array<{ key: string; value: unknown }>> {
    const rows = await this.#db
      .selectFrom('channel_state')
      .select(['key', 'value'])
      .where('channel', '=', channel)
      .where('key', '>=', prefix)
      .where('key', '<', prefix + '\uffff')
      .orderBy('key')
      .execute()
    return rows.map((r) => ({ key: r.key, value: JSON.parse(r.value) as unknown }))
  }

  /** Log entries with `seq > after`, in order. */
  async logEntries(after: number, limit: number): Promise<LogEntry[]> {
    const rows = await this.#db.selectFrom('decision_log').selectAll().where('seq', '>', after).orderBy('seq').limit(limit).execute()
    return rows.map(logFromRow)
  }

  /** A request's log entries, in order. */
  async logForRequest(requestId: string): Promise<LogEntry[]> {
    const rows = await this.#db.selectFrom('decision_log').selectAll().where('request_id', '=', requestId).orderBy('seq').execute()
    return rows.map(logFromRow)
  }

  /** The chain's tip. */
  async logHead(): Promise<{ seq: number; hash: string }> {
    const row = await this.#db.selectFrom('log_head').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirstOrThrow()
    return { seq: Number(row.seq), hash: row.hash }
  }

  /** Stores a signed checkpoint. */
  async insertCheckpoint(c: Checkpoint): Promise<void> {
    await this.#db
      .insertInto('checkpoints')
      .values({ seq: c.seq, hash: c.hash, at: c.at, public_key: c.publicKey, signature: c.signature })
      .onConflict((oc) => oc.column('seq').doNothing())
      .execute()
  }

  /** Every checkpoint, in order. */
  async checkpoints(): Promise<Checkpoint[]> {
    const rows = await this.#db.selectFrom('checkpoints').selectAll().orderBy('seq').execute()
    return rows.map((r) => ({ seq: Number(r.seq), hash: r.hash, at: Number(r.at), publicKey: r.public_key, signature: r.signature }))
  }

  /** Stores a token by its hash. */
  async insertToken(hash: string, token: StoredToken, now: number): Promise<void> {
    await this.#db
      .insertInto('tokens')
      .values({ hash, subject: token.subject, scopes: JSON.stringify(token.scopes), created_at: now })
      .execute()
  }

  /** The token with this hash, or `null`. */
  async findToken(hash: string): Promise<StoredToken | null> {
    const row = await this.#db.selectFrom('tokens').selectAll().where('hash', '=', hash).executeTakeFirst()
    return row ? { subject: row.subject, scopes: JSON.parse(row.scopes) as string[] } : null
  }

  /** How many tokens signoff created itself. */
  async countTokens(): Promise<number> {
    const row = await this.#db.selectFrom('tokens').select((eb) => eb.fn.countAll().as('n')).executeTakeFirst()
    return Number(row?.n ?? 0)
  }

  /** A setting, or `null`. */
  async getSetting(key: string): Promise<string | null> {
    const row = await this.#db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst()
    return row?.value ?? null
  }

  /** Stores `value` unless the key exists; returns the value in force (first writer wins). */
  async setSettingIfAbsent(key: string, value: string): Promise<string> {
    await this.#db.insertInto('settings').values({ key, value }).onConflict((oc) => oc.column('key').doNothing()).execute()
    return (await this.getSetting(key)) ?? value
  }

  /** Whether a link nonce was used. */
  async isLinkUsed(nonce: string): Promise<boolean> {
    const row = await this.#db.selectFrom('used_links').select('nonce').where('nonce', '=', nonce).executeTakeFirst()
    return row !== undefined
  }

  /** Direct database access for tests that tamper with rows. */
  get db(): Kysely<Database> {
    return this.#db
  }
}

/** Store operations inside one transaction. */
export class StoreTx {
  readonly #trx: Transaction<Database>
  readonly #helper: DialectHelper

  constructor(trx: Transaction<Database>, helper: DialectHelper) {
    this.#trx = trx
    this.#helper = helper
  }

  /** Inserts a new request; `false` when its idempotency key is taken. */
  async insertRequest(r: ApprovalRequest): Promise<boolean> {
    const res = await this.#trx.insertInto('requests').values(toRow(r)).onConflict((oc) => oc.doNothing()).executeTakeFirst()
    return Number(res.numInsertedOrUpdatedRows ?? 0n) === 1
  }

  /** Replaces the request if its version is still `expected`; `false` if someone else moved it first. */
  async compareAndSwap(expected: number, next: ApprovalRequest): Promise<boolean> {
    const { id: _id, created_at: _c, ...rest } = toRow(next)
    const res = await this.#trx
      .updateTable('requests')
      .set({ ...rest, version: expected + 1 })
      .where('id', '=', next.id)
      .where('version', '=', expected)
      .executeTakeFirst()
    return Number(res.numUpdatedRows) === 1
  }

  /** Appends to the decision log: `make` gets the next seq and the previous hash. */
  async appendLog(make: (seq: number, prevHash: string) => LogEntry): Promise<LogEntry> {
    const head = await this.#trx
      .updateTable('log_head')
      .set((eb) => ({ seq: eb('seq', '+', 1) }))
      .where('id', '=', 1)
      .returning(['seq', 'hash'])
      .executeTakeFirstOrThrow()
    const entry = make(Number(head.seq), head.hash)
    await this.#trx.updateTable('log_head').set({ hash: entry.hash }).where('id', '=', 1).execute()
    await this.#trx
      .insertInto('decision_log')
      .values({
        seq: entry.seq,
        id: entry.id,
        at: entry.at,
        request_id: entry.requestId,
        event: entry.event,
        actor: entry.actor,
        input_digest: entry.inputDigest,
        policy_revision: entry.policyRevision,
        result: JSON.stringify(entry.result ?? null),
        prev_hash: entry.prevHash,
        hash: entry.hash,
      })
      .execute()
    return entry
  }

  /** Queues an outbox job, committed with the state change. */
  async enqueue(kind: string, requestId: string, payload: Record<string, unknown>, now: number): Promise<void> {
    await this.#trx
      .insertInto('outbox')
      .values({
        id: newId('o', now),
        kind,
        request_id: requestId,
        payload: JSON.stringify(payload),
        attempts: 0,
        next_at: now,
        claimed_until: null,
        done_at: null,
        last_error: null,
        created_at: now,
      })
      .execute()
  }

  /** Marks a web link used; `true` only for the first caller. */
  async claimLink(nonce: string, requestId: string, approver: string, now: number): Promise<boolean> {
    const res = await this.#trx
      .insertInto('used_links')
      .values({ nonce, request_id: requestId, approver, used_at: now })
      .onConflict((oc) => oc.column('nonce').doNothing())
      .executeTakeFirst()
    return Number(res.numInsertedOrUpdatedRows ?? 0n) === 1
  }

  /** Applies a write set inside this transaction (the generic, one-transaction-each commit). */
  async apply(ws: WriteSet): Promise<CommitResult> {
    if (ws.insert && !(await this.insertRequest(ws.insert))) return { ok: false, log: [] }
    if (ws.swap && !(await this.compareAndSwap(ws.swap.expected, ws.swap.next))) return { ok: false, log: [] }
    const log: LogEntry[] = []
    for (const f of ws.log ?? []) log.push(await this.appendLog((seq, prev) => ws.seal(f, seq, prev)))
    for (const j of ws.outbox ?? []) await this.enqueue(j.kind, j.requestId, j.payload, ws.now)
    if (ws.notify) await this.notify(ws.notify)
    return { ok: true, log }
  }

  /** Marks one outbox job done, records its posts and queues its follow-up jobs. */
  async finishJob(j: FinishedJob, now: number): Promise<void> {
    for (const p of j.posts ?? []) {
      await this.#trx
        .insertInto('posts')
        .values({ request_id: j.requestId, channel: p.channel, destination: p.destination, message_id: p.messageId, created_at: now })
        .onConflict((oc) => oc.columns(['request_id', 'channel', 'destination']).doNothing())
        .execute()
    }
    const follow = [...(j.enqueue ?? [])]
    if (j.renderedVersion !== undefined && (j.posts ?? []).length > 0) {
      // Locks the request row on PostgreSQL, so a transition either commits before this read (and
      // is seen here) or after this commit (and its update fan-out sees these posts).
      const version = await this.#helper.requestVersionForUpdate(this.#trx, j.requestId)
      if (version !== null && version !== j.renderedVersion) for (const p of j.posts!) follow.push({ kind: 'update', payload: { post: p, vote: null } })
    }
    for (const f of follow) await this.enqueue(f.kind, j.requestId, f.payload, now)
    await this.#trx.updateTable('outbox').set({ done_at: now, claimed_until: null }).where('id', '=', j.id).execute()
  }

  /** Wakes waiters on other replicas at commit. */
  async notify(requestId: string): Promise<void> {
    await this.#helper.notify(this.#trx, requestId)
  }
}

function encodeCursor(at: number, id: string): string {
  return Buffer.from(`${at}:${id}`).toString('base64url')
}

function decodeCursor(c: string): { at: number; id: string } | null {
  const s = Buffer.from(c, 'base64url').toString('utf8')
  const i = s.indexOf(':')
  const at = Number(s.slice(0, i))
  return i > 0 && Number.isFinite(at) ? { at, id: s.slice(i + 1) } : null
}
