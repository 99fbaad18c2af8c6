/** Every state a request can be in. `allowed` and `denied` are decided at creation, no human needed. */
export type RequestStatus = 'pending' | 'approved' | 'rejected' | 'expired' | 'cancelled' | 'allowed' | 'denied'

/** All statuses, in lifecycle order. */
export const REQUEST_STATUSES: readonly RequestStatus[] = Object.freeze([
  'pending',
  'approved',
  'rejected',
  'expired',
  'cancelled',
  'allowed',
  'denied',
])

/** Final states never change. Everything but `pending` is final. */
export function isTerminal(status: RequestStatus): boolean {
  return status !== 'pending'
}

/** Whether the caller may go ahead: `approved` or `allowed`. */
export function isGranted(status: RequestStatus): boolean {
  return status === 'approved' || status === 'allowed'
}
