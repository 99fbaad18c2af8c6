import type { Selectable } from 'kysely'
import type { ApprovalRecord, ApprovalRequest, ApprovalSpec, LogEntry, RequestStatus } from '../domain/index.js'
import type { Database, RequestsTable } from './schema.js'

/** A request as a `requests` row (JSON columns as text). */
export function toRow(r: ApprovalRequest): RequestsTable {
  return {
    id: r.id,
    status: r.status,
    input: JSON.stringify(r.input),
    digest: r.digest,
    requester: r.requester,
    reason: r.reason,
    spec: r.spec === null ? null : JSON.stringify(r.spec),
    approvals: JSON.stringify(r.approvals),
    created_at: r.createdAt,
    expires_at: r.expiresAt,
    decided_at: r.decidedAt,
    idempotency_key: r.idempotencyKey,
    callback_url: r.callbackUrl,
    policy_revision: r.policyRevision,
    result: JSON.stringify(r.result ?? null),
    version: r.version,
  }
}

/** A `requests` row as a request. */
export function fromRow(row: Selectable<RequestsTable>): ApprovalRequest {
  return {
    id: row.id,
    status: row.status as RequestStatus,
    input: JSON.parse(row.input),
    digest: row.digest,
    requester: row.requester,
    reason: row.reason,
    spec: row.spec === null ? null : (JSON.parse(row.spec) as ApprovalSpec),
    approvals: JSON.parse(row.approvals) as ApprovalRecord[],
    createdAt: Number(row.created_at),
    expiresAt: row.expires_at == null ? null : Number(row.expires_at),
    decidedAt: row.decided_at == null ? null : Number(row.decided_at),
    idempotencyKey: row.idempotency_key,
    callbackUrl: row.callback_url,
    policyRevision: row.policy_revision,
    result: JSON.parse(row.result),
    version: Number(row.version),
  }
}

/** A `decision_log` row as a log entry. */
export function logFromRow(r: Selectable<Database['decision_log']>): LogEntry {
  return {
    seq: Number(r.seq),
    id: r.id,
    at: Number(r.at),
    requestId: r.request_id,
    event: r.event,
    actor: r.actor,
    inputDigest: r.input_digest,
    policyRevision: r.policy_revision,
    result: JSON.parse(r.result),
    prevHash: r.prev_hash,
    hash: r.hash,
  }
}

