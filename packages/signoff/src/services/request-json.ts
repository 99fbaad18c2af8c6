import type { ChannelRequestView } from '../channels/channel.js'
import { channelTarget, expandApprovers, type ApprovalRequest, type Groups } from '../domain/index.js'
import type { OutboxRecord, PostRecord } from '../store/index.js'

/** A request as the HTTP API and callbacks show it (snake_case, ISO times). */
export interface RequestJson {
  id: string
  status: string
  input: unknown
  digest: string
  requester: string | null
  reason: string | null
  created_at: string
  expires_at: string | null
  decided_at: string | null
  approval: {
    approvers: string[]
    min_approvals: number
    channels: string[]
    timeout_seconds: number
    self_approval: boolean
    grant_ttl_seconds: number | null
  } | null
  approvals: Array<{ approver: string; decision: string; comment: string | null; at: string; via: string }>
  posts?: Array<{ channel: string; destination: string; message_id: string }>
  delivery_errors?: Array<{ kind: string; channel: string; destination: string | null; code: string; message: string; attempts: number; at: string }>
  links?: Array<{ approver: string; url: string; expires_at: string }>
  policy_revision: string
  idempotency_key: string | null
  callback_url: string | null
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString())

/** The API representation of a request. */
export function toRequestJson(r: ApprovalRequest, posts?: readonly PostRecord[]): RequestJson {
  const out: RequestJson = {
    id: r.id,
    status: r.status,
    input: r.input,
    digest: r.digest,
    requester: r.requester,
    reason: r.reason,
    created_at: new Date(r.createdAt).toISOString(),
    expires_at: iso(r.expiresAt),
    decided_at: iso(r.decidedAt),
    approval:
      r.spec === null
        ? null
        : {
            approvers: [...r.spec.approvers],
            min_approvals: r.spec.minApprovals,
            channels: [...r.spec.channels],
            timeout_seconds: r.spec.timeoutMs / 1000,
            self_approval: r.spec.selfApproval,
            grant_ttl_seconds: r.spec.grantTtlMs === null ? null : r.spec.grantTtlMs / 1000,
          },
    approvals: r.approvals.map((a) => ({ approver: a.approver, decision: a.decision, comment: a.comment, at: new Date(a.at).toISOString(), via: a.via })),
    policy_revision: r.policyRevision,
    idempotency_key: r.idempotencyKey,
    callback_url: r.callbackUrl,
  }
  if (posts) out.posts = posts.map((p) => ({ channel: p.channel, destination: p.destination, message_id: p.messageId }))
  return out
}

/** The outbox jobs of a request that were given up, as the API shows them. */
export function deliveryErrors(jobs: readonly OutboxRecord[]): NonNullable<RequestJson['delivery_errors']> {
  return jobs
    .filter((j) => j.failedAt !== null)
    .map((j) => {
      const post = j.payload['post'] as PostRecord | undefined
      const target = channelTarget(String(j.payload['channel'] ?? post?.channel ?? (j.kind === 'callback' ? 'callback' : '')))
      const given = j.payload['destination'] ?? post?.destination
      return {
        kind: j.kind,
        channel: target.channel,
        destination: typeof given === 'string' ? given : target.destination,
        code: j.lastCode ?? 'error',
        message: j.lastError ?? '',
        attempts: j.attempts,
        at: new Date(j.failedAt!).toISOString(),
      }
    })
}

/** What a channel view needs beyond the request: config groups and the public base URL. */
export interface ViewContext {
  readonly groups: Groups
  readonly publicUrl: string
}

/** The channel-neutral view every channel renders. */
export function toChannelView(r: ApprovalRequest, ctx: ViewContext): ChannelRequestView {
  const selfApproval = r.spec?.selfApproval ?? false
  const requester = r.requester?.toLowerCase() ?? null
  const eligible = r.spec ? expandApprovers(r.spec.approvers, ctx.groups).filter((e) => selfApproval || e.toLowerCase() !== requester) : []
  return {
    id: r.id,
    status: r.status,
    requester: r.requester,
    reason: r.reason,
    input: r.input,
    digest: r.digest,
    createdAt: new Date(r.createdAt).toISOString(),
    expiresAt: iso(r.expiresAt),
    decidedAt: iso(r.decidedAt),
    minApprovals: r.spec?.minApprovals ?? 0,
    approvers: r.spec ? [...r.spec.approvers] : [],
    approvals: r.approvals.map((a) => ({ approver: a.approver, decision: a.decision, comment: a.comment, at: new Date(a.at).toISOString(), via: a.via })),
    eligible,
    selfApproval,
    detailsUrl: `${ctx.publicUrl}/ui/requests/${encodeURIComponent(r.id)}`,
  }
}
