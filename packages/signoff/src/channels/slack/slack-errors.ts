import { ErrorCode, type WebAPICallError } from '@slack/web-api'
import { DeliveryError } from '../channel.js'

/**
 * Platform errors no retry can fix: the channel or the token is wrong, a scope is missing, or the
 * message itself is refused. Anything else Slack answers is retried with backoff.
 */
const PERMANENT = new Set([
  'channel_not_found',
  'not_in_channel',
  'is_archived',
  'invalid_auth',
  'not_authed',
  'account_inactive',
  'token_revoked',
  'token_expired',
  'missing_scope',
  'no_permission',
  'restricted_action',
  'msg_too_long',
  'no_text',
  'invalid_blocks',
  'invalid_metadata_format',
  'message_not_found',
  'cant_update_message',
  'edit_window_closed',
  'user_not_found',
  'user_disabled',
  'cannot_dm_bot',
  'ekm_access_denied',
  'team_access_not_granted',
])

/** The Slack error code of a failed Web API call (`channel_not_found`), or `null` for other errors. */
export function platformError(e: unknown): string | null {
  const err = e as WebAPICallError | null
  return err?.code === ErrorCode.PlatformError ? err.data.error : null
}

/**
 * Turns a failed Web API call into a {@link DeliveryError}: 429 → wait `Retry-After`; the
 * platform errors above → permanent; other `ok:false`, HTTP and network failures → transient.
 */
export function toDeliveryError(method: string, e: unknown): DeliveryError {
  if (e instanceof DeliveryError) return e
  const err = e as WebAPICallError | null
  switch (err?.code) {
    case ErrorCode.RateLimitedError:
      return new DeliveryError(`Slack ${method}: rate limited, retry after ${err.retryAfter} s`, { code: 'rate_limited', retryAfterMs: err.retryAfter * 1000 })
    case ErrorCode.PlatformError: {
      const code = err.data.error
      return new DeliveryError(`Slack ${method}: ${code}`, { code, permanent: PERMANENT.has(code) })
    }
    case ErrorCode.HTTPError:
      return new DeliveryError(`Slack ${method}: HTTP ${err.statusCode}`, { code: `http_${err.statusCode}` })
    case ErrorCode.RequestError:
      return new DeliveryError(`Slack ${method}: ${err.original?.message ?? 'network error'}`, { code: 'request_error' })
    default:
      return new DeliveryError(`Slack ${method}: ${e instanceof Error ? e.message : String(e)}`, { code: 'error' })
  }
}

/** Runs a Web API call, turning its failure into a {@link DeliveryError}. */
export async function delivering<T>(method: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call()
  } catch (e) {
    throw toDeliveryError(method, e)
  }
}
