import type { RequestView, RequestViewStatus, TimelineEntry } from './request-view.js'

/** A decision submitted through a signed link. */
export interface WebDecision {
  readonly requestId: string
  /** Who decides: the approver the link names, or `link:<nonce prefix>` for an anyone-link. */
  readonly approver: string
  readonly decision: 'approve' | 'reject'
  readonly comment: string | null
  /** The link's nonce, recorded with the approval. */
  readonly linkNonce: string
}

/** What became of a submitted decision: the request afterwards, or why it was refused. */
export type WebDecisionResult =
  | { readonly ok: true; readonly view: RequestView }
  | {
      readonly ok: false
      /** The service's stable `SIGNOFF_*` code. */
      readonly code: string
      readonly message: string
      readonly view?: RequestView
    }

/** The dashboard's list query. */
export interface WebListQuery {
  readonly status: RequestViewStatus | 'final' | null
  readonly requester: string | null
  /** Epoch milliseconds, inclusive. */
  readonly createdFrom: number | null
  /** Epoch milliseconds, exclusive. */
  readonly createdTo: number | null
  readonly cursor: string | null
  readonly limit: number
}

/** One page of requests, newest first. */
export interface WebListPage {
  readonly items: readonly RequestView[]
  readonly nextCursor: string | null
}

/**
 * Everything the web channel needs from the service layer. The HTTP route implements it over the
 * services, so the pages and their interactions stay free of storage and HTTP.
 */
export interface WebBackend {
  /** The request, or `null` when there is none with that id. */
  getRequest(id: string): Promise<RequestView | null>
  /** Records an approval or rejection through the web channel. */
  decide(decision: WebDecision): Promise<WebDecisionResult>
  /**
   * Marks a link as used after its vote was recorded; `true` for the first caller only
   * (compare-and-swap). One vote per approver is the service's guarantee; this makes the link
   * itself refuse to open again.
   */
  claimLink(nonce: string, requestId: string, approver: string): Promise<boolean>
  /** Whether the link was used already. */
  isLinkUsed(nonce: string, requestId: string, approver: string): Promise<boolean>
  /** Requests for the dashboard. */
  listRequests(query: WebListQuery): Promise<WebListPage>
  /** The request's history, oldest first. */
  timeline(id: string): Promise<readonly TimelineEntry[]>
  /** The subject of `token` when it is a valid token with the `admin` scope, else `null`. */
  authenticateAdmin(token: string): Promise<{ readonly subject: string } | null>
}
