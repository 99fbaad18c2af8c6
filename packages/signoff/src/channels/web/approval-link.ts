import { randomBytes } from 'node:crypto'
import type { SignedToken } from './signed-token.js'

const PURPOSE = 'approval-link'

/** What a signed approval link says: which request, which approver, and its one-use nonce. */
export interface ApprovalLinkClaims {
  /** The request the link opens. */
  readonly requestId: string
  /** The approver the link was minted for (canonical identity: an email address). */
  readonly approver: string
  /** Random id of this link; recorded when the link is used so it works only once. */
  readonly nonce: string
}

/** A freshly minted link. */
export interface MintedApprovalLink extends ApprovalLinkClaims {
  /** The full URL to hand to the approver. */
  readonly url: string
  /** The signed token (the `t` query parameter of {@link url}). */
  readonly token: string
  /** When the link stops working, epoch milliseconds. */
  readonly expiresAt: number
}

/** Why a link was refused; `used` is decided by the caller from its record of used nonces. */
export type ApprovalLinkFault = 'malformed' | 'forged' | 'expired' | 'wrong_request' | 'used'

/** The result of checking a link. */
export type ApprovalLinkCheck =
  | { readonly ok: true; readonly claims: ApprovalLinkClaims; readonly expiresAt: number }
  | { readonly ok: false; readonly fault: ApprovalLinkFault }

/** Options for {@link mintApprovalLink}. */
export interface MintApprovalLinkOptions {
  /** Base URL of the server as approvers reach it, e.g. `http://127.0.0.1:8686`. */
  readonly publicUrl: string
  readonly requestId: string
  readonly approver: string
  /** Epoch milliseconds; normally the request's expiry. */
  readonly expiresAt: number
  /** Injected for tests; random 16 bytes by default. */
  readonly nonce?: string
}

/** Signs a one-approver link to the approval page `/r/:id`. */
export function mintApprovalLink(tokens: SignedToken, options: MintApprovalLinkOptions): MintedApprovalLink {
  const nonce = options.nonce ?? randomBytes(16).toString('base64url')
  const claims: ApprovalLinkClaims = { requestId: options.requestId, approver: options.approver, nonce }
  const token = tokens.seal(PURPOSE, { r: claims.requestId, a: claims.approver, n: nonce }, options.expiresAt)
  const base = options.publicUrl.replace(/\/+$/, '')
  const url = `${base}/r/${encodeURIComponent(options.requestId)}?t=${token}`
  return Object.freeze({ ...claims, url, token, expiresAt: options.expiresAt })
}

/**
 * Checks a link's signature, expiry and request id. Whether it was already used is for the
 * caller to say (it owns the record of used nonces).
 */
export function checkApprovalLink(tokens: SignedToken, requestId: string, token: string): ApprovalLinkCheck {
  const opened = tokens.open<{ r?: unknown; a?: unknown; n?: unknown }>(PURPOSE, token)
  if (!opened.ok) return opened
  const { r, a, n } = opened.claims ?? {}
  if (typeof r !== 'string' || typeof a !== 'string' || typeof n !== 'string') return { ok: false, fault: 'malformed' }
  if (r !== requestId) return { ok: false, fault: 'wrong_request' }
  return { ok: true, claims: { requestId: r, approver: a, nonce: n }, expiresAt: opened.expiresAt }
}
