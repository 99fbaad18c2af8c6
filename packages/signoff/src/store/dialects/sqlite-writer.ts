import type BetterSqlite3 from 'better-sqlite3'
import type { Kysely } from 'kysely'
import type { LogEntry } from '../../domain/index.js'
import { toRow } from '../rows.js'
import type { Database } from '../schema.js'
import type { CommitResult, FinishedJob, WriteSet } from '../write-set.js'
import { newId } from '../ids.js'

interface Pending {
  readonly ws: WriteSet
  readonly resolve: (r: CommitResult) => void
  readonly reject: (e: unknown) => void
}

type Statements = ReturnType<typeof prepare>

function prepare(db: BetterSqlite3.Database) {
  return {
    insert: db.prepare(
      `insert into requests (id, status, input, digest, requester, reason, spec, approvals, created_at, expires_at, decided_at, idempotency_key, callback_url, policy_revision, result, version)
       values (@id, @status, @input, @digest, @requester, @reason, @spec, @approvals, @created_at, @expires_at, @decided_at, @idempotency_key, @callback_url, @policy_revision, @result, @version)
       on conflict do nothing`,
    ),
    swap: db.prepare(
      `update requests set status = @status, input = @input, digest = @digest, requester = @requester, reason = @reason, spec = @spec,
       approvals = @approvals, expires_at = @expires_at, decided_at = @decided_at, idempotency_key = @idempotency_key,
       callback_url = @callback_url, policy_revision = @policy_revision, result = @result, version = @expected + 1
       where id = @id and version = @expected`,
    ),
    head: db.prepare('select seq, hash from log_head where id = 1'),
    setHead: db.prepare('update log_head set seq = ?, hash = ? where id = 1'),
    log: db.prepare(
      `insert into decision_log (seq, id, at, request_id, event, actor, input_digest, policy_revision, result, prev_hash, hash)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    outbox: db.prepare(
      `insert into outbox (id, kind, request_id, payload, attempts, next_at, claimed_until, done_at, last_error, created_at)
       values (?, ?, ?, ?, 0, ?, null, null, null, ?)`,
    ),
    post: db.prepare(
      `insert into posts (request_id, channel, destination, message_id, created_at) values (?, ?, ?, ?, ?)
       on conflict (request_id, channel, destination) do nothing`,
    ),
    done: db.prepare('update outbox set done_at = ?, claimed_until = null where id = ?'),
    version: db.prepare('select version from requests where id = ?'),
  }
}

/**
 * SQLite group commit. Write sets arriving in the same turn of the event loop are applied in one
 * transaction with prepared statements (each in its own savepoint, so one failing write set
 * rolls back alone), while holding Kysely's connection so no Kysely transaction interleaves.
 * One commit per batch instead of one per request is what lets a single SQLite file keep up.
 */
export class SqliteWriter {
  readonly #raw: BetterSqlite3.Database
  readonly #db: Kysely<Database>
  #stmts: Statements | null = null
  #queue: Pending[] = []
  #scheduled = false

  constructor(raw: BetterSqlite3.Database, db: Kysely<Database>) {
    this.#raw = raw
    this.#db = db
  }

  /** Queues a write set for the next group commit. */
  commit(ws: WriteSet): Promise<CommitResult> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ ws, resolve, reject })
      if (!this.#scheduled) {
        this.#scheduled = true
        setImmediate(() => void this.#flush())
      }
    })
  }

  /** Marks jobs done, records their posts and queues follow-up jobs, in one transaction (see FinishedJob). */
  async finishJobs(jobs: readonly FinishedJob[], now: number): Promise<void> {
    await this.#db.connection().execute(async () => {
      const s = this.#statements()
      this.#raw.transaction(() => {
        for (const j of jobs) {
          const posts = j.posts ?? []
          for (const p of posts) s.post.run(j.requestId, p.channel, p.destination, p.messageId, now)
          const follow = [...(j.enqueue ?? [])]
          if (j.renderedVersion !== undefined && posts.length > 0) {
            const row = s.version.get(j.requestId) as { version: number } | undefined
            if (row && Number(row.version) !== j.renderedVersion) for (const p of posts) follow.push({ kind: 'update', payload: { post: p, vote: null } })
          }
          for (const f of follow) s.outbox.run(newId('o', now), f.kind, j.requestId, JSON.stringify(f.payload), now, now)
          s.done.run(now, j.id)
        }
      })()
    })
  }

  #statements(): Statements {
    return (this.#stmts ??= prepare(this.#raw))
  }

  async #flush(): Promise<void> {
    this.#scheduled = false
    const batch = this.#queue
    this.#queue = []
    if (batch.length === 0) return
    let outcomes: Array<{ ok: true; value: CommitResult } | { ok: false; error: unknown }>
    try {
      outcomes = await this.#db.connection().execute(async () => {
        const s = this.#statements()
        try {
          // The common case: the whole batch in one transaction, no savepoints.
          return this.#raw.transaction(() => this.#applyAll(s, batch.map((p) => p.ws)).map((value) => ({ ok: true as const, value })))()
        } catch {
          // Something in the batch failed (and the batch rolled back): apply one by one, so only the culprit fails.
          return batch.map((p) => {
            try {
              return { ok: true as const, value: this.#raw.transaction(() => this.#applyAll(s, [p.ws])[0]!)() }
            } catch (error) {
              return { ok: false as const, error }
            }
          })
        }
      })
    } catch (e) {
      for (const p of batch) p.reject(e)
      return
    }
    outcomes.forEach((o, i) => (o.ok ? batch[i]!.resolve(o.value) : batch[i]!.reject(o.error)))
  }

  /** Applies write sets in order, reading the chain's head once and writing it back once. */
  #applyAll(s: Statements, sets: readonly WriteSet[]): CommitResult[] {
    const head = s.head.get() as { seq: number; hash: string }
    const tip = { seq: Number(head.seq), hash: head.hash }
    const results = sets.map((ws) => this.#apply(s, ws, tip))
    s.setHead.run(tip.seq, tip.hash)
    return results
  }

  #apply(s: Statements, ws: WriteSet, tip: { seq: number; hash: string }): CommitResult {
    if (ws.insert && s.insert.run(toRow(ws.insert)).changes !== 1) return { ok: false, log: [] }
    if (ws.swap && s.swap.run({ ...toRow(ws.swap.next), expected: ws.swap.expected }).changes !== 1) return { ok: false, log: [] }
    const log: LogEntry[] = []
    for (const f of ws.log ?? []) {
      const e = ws.seal(f, tip.seq + 1, tip.hash)
      s.log.run(e.seq, e.id, e.at, e.requestId, e.event, e.actor, e.inputDigest, e.policyRevision, JSON.stringify(e.result ?? null), e.prevHash, e.hash)
      tip.seq = e.seq
      tip.hash = e.hash
      log.push(e)
    }
    for (const j of ws.outbox ?? []) s.outbox.run(newId('o', ws.now), j.kind, j.requestId, JSON.stringify(j.payload), ws.now, ws.now)
    return { ok: true, log }
  }
}
