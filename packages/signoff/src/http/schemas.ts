/** JSON schemas shared by the route plugins; they also feed /openapi.json. */

export const errorSchema = {
  type: 'object',
  required: ['code', 'message'],
  properties: {
    code: { type: 'string', description: 'Stable SIGNOFF_* code (docs/errors.md).' },
    message: { type: 'string' },
    details: {},
  },
} as const

const approvalRecord = {
  type: 'object',
  properties: {
    approver: { type: 'string' },
    decision: { type: 'string', enum: ['approve', 'reject'] },
    comment: { type: ['string', 'null'] },
    at: { type: 'string', format: 'date-time' },
    via: { type: 'string' },
  },
} as const

export const requestSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    status: { type: 'string', enum: ['pending', 'approved', 'rejected', 'expired', 'cancelled', 'allowed', 'denied'] },
    input: { type: 'object', additionalProperties: true },
    digest: { type: 'string', description: 'SHA-256 of the RFC 8785 canonical input.' },
    requester: { type: ['string', 'null'] },
    reason: { type: ['string', 'null'] },
    created_at: { type: 'string' },
    expires_at: { type: ['string', 'null'] },
    decided_at: { type: ['string', 'null'] },
    approval: {
      type: ['object', 'null'],
      properties: {
        approvers: { type: 'array', items: { type: 'string' } },
        min_approvals: { type: 'integer' },
        channels: { type: 'array', items: { type: 'string' } },
        timeout_seconds: { type: 'number' },
        self_approval: { type: 'boolean' },
        grant_ttl_seconds: { type: ['number', 'null'] },
      },
    },
    approvals: { type: 'array', items: approvalRecord },
    posts: {
      type: 'array',
      items: { type: 'object', properties: { channel: { type: 'string' }, destination: { type: 'string' }, message_id: { type: 'string' } } },
    },
    delivery_errors: {
      type: 'array',
      description: 'Notifications and message updates that were given up (permanent platform errors, or out of retries).',
      items: {
        type: 'object',
        properties: {
          kind: { type: 'string' },
          channel: { type: 'string' },
          destination: { type: ['string', 'null'] },
          code: { type: 'string' },
          message: { type: 'string' },
          attempts: { type: 'integer' },
          at: { type: 'string' },
        },
      },
    },
    links: {
      type: 'array',
      description: 'Signed one-approver web links; shown to admin callers only.',
      items: { type: 'object', properties: { approver: { type: 'string' }, url: { type: 'string' }, expires_at: { type: 'string' } } },
    },
    policy_revision: { type: 'string' },
    idempotency_key: { type: ['string', 'null'] },
    callback_url: { type: ['string', 'null'] },
  },
} as const

export const idParams = {
  type: 'object',
  required: ['id'],
  additionalProperties: false,
  properties: { id: { type: 'string', minLength: 1, maxLength: 100 } },
} as const

export const commentBody = {
  type: ['object', 'null'],
  additionalProperties: false,
  properties: { comment: { type: 'string', maxLength: 4000 } },
} as const

/** Standard error responses for a route. */
export function errors(...statuses: number[]): Record<number, typeof errorSchema> {
  return Object.fromEntries(statuses.map((s) => [s, errorSchema]))
}
