/**
 * The service's stable error codes, each with its HTTP status and what it means. docs/errors.md
 * documents every code here; test/errors-doc.test.ts keeps the two in sync.
 */
export const ERROR_CODES = {
  SIGNOFF_MALFORMED_JSON: { status: 400, description: 'The request body is not valid JSON.' },
  SIGNOFF_VALIDATION_FAILED: {
    status: 400,
    description: 'The body, query or path does not match the route schema: a wrong type, a missing field or an unknown field.',
  },
  SIGNOFF_RESERVED_INPUT: { status: 400, description: 'The input sets `approved` or `approvals`, which only signoff may set.' },
  SIGNOFF_UNAUTHENTICATED: { status: 401, description: 'No bearer token, or one that signoff does not know.' },
  SIGNOFF_FORBIDDEN: { status: 403, description: 'The token lacks the scope the route needs (`request`, `approve`, `admin`).' },
  SIGNOFF_NOT_ELIGIBLE: { status: 403, description: 'The caller is not among the approvers the policy named.' },
  SIGNOFF_SELF_APPROVAL: { status: 403, description: 'The requester tried to approve their own request and the policy does not allow it.' },
  SIGNOFF_NOT_REQUESTER: { status: 403, description: 'Only the requester (or an admin) may cancel a request.' },
  SIGNOFF_NOT_FOUND: { status: 404, description: 'No request (or decision) with that id.' },
  SIGNOFF_ROUTE_NOT_FOUND: { status: 404, description: 'No route for this method and path.' },
  SIGNOFF_ALREADY_DECIDED: { status: 409, description: 'The request is already in a final state; final states never change.' },
  SIGNOFF_ALREADY_VOTED: { status: 409, description: 'This approver already approved or rejected the request.' },
  SIGNOFF_IDEMPOTENCY_CONFLICT: {
    status: 409,
    description: 'The idempotency_key was used before with a different input.',
  },
  SIGNOFF_BODY_TOO_LARGE: { status: 413, description: 'The body exceeds the configured `body_limit`.' },
  SIGNOFF_UNSUPPORTED_MEDIA_TYPE: { status: 415, description: 'The body is not `application/json`.' },
  SIGNOFF_POLICY_ERROR: {
    status: 500,
    description: 'The policy failed to evaluate, or gave neither `allow` nor `decision`; never treated as an allow.',
  },
  SIGNOFF_POLICY_NOT_LOADED: { status: 503, description: 'No policy has loaded successfully yet.' },
  SIGNOFF_CONFIG_INVALID: { status: 500, description: 'The configuration failed validation at start; the message names the key.' },
  SIGNOFF_INTERNAL: { status: 500, description: 'An unexpected fault; the log has the details under the request id.' },
} as const satisfies Record<string, { status: number; description: string }>

/** One of the stable error codes. */
export type SignoffErrorCode = keyof typeof ERROR_CODES

/** A fault with a stable code, an HTTP status and optional structured details. */
export class SignoffError extends Error {
  /** The stable `SIGNOFF_*` code. */
  readonly code: SignoffErrorCode
  /** The HTTP status that goes with the code. */
  readonly status: number
  /** Structured details for the caller (a field name, the file:row:col of a policy error…). */
  readonly details: unknown

  constructor(code: SignoffErrorCode, message: string, details?: unknown) {
    super(message)
    this.name = 'SignoffError'
    this.code = code
    this.status = ERROR_CODES[code].status
    this.details = details
  }

  /** The error's JSON body: `{code, message, details?}`. */
  toJSON(): { code: string; message: string; details?: unknown } {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details }
  }
}

/** Wraps anything thrown into a {@link SignoffError}, once (bolt's `asCodedError`). */
export function asSignoffError(e: unknown): SignoffError {
  if (e instanceof SignoffError) return e
  return new SignoffError('SIGNOFF_INTERNAL', 'internal error')
}
