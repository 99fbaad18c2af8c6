import type { ChannelApprovalView, ChannelRequestStatus, ChannelRequestView } from '../channel.js'

/** Every state a request can be in, as the web pages show it. */
export type RequestViewStatus = ChannelRequestStatus

/** One recorded approval or rejection. */
export type ApprovalView = ChannelApprovalView

/** The channel-neutral view of a request that the web pages render (the Channel interface's). */
export type RequestView = ChannelRequestView

/** One line of a request's timeline on the dashboard. */
export interface TimelineEntry {
  /** ISO 8601 time. */
  readonly at: string
  /** What happened, e.g. `created`, `approval`, `approved`. */
  readonly event: string
  /** Who did it, when known. */
  readonly actor: string | null
  /** Free text: a comment, a channel, a result. */
  readonly detail: string | null
}
