import { html } from './html.js'
import { pageLayout } from './page-layout.js'
import type { ApprovalLinkFault } from './approval-link.js'

/** A page with a status code: what the route sends for refusals and errors. */
export interface StatusPage {
  readonly status: number
  readonly body: string
}

/** A plain page with a heading and an explanation. */
export function renderMessagePage(status: number, title: string, text: string, home?: string): StatusPage {
  const body = html`<h1>${title}</h1>
<p class="notice notice-error" role="alert">${text}</p>`
  return { status, body: pageLayout({ title, body, home }) }
}

/** Why a signed link does not open the page, in words an approver understands. */
export function renderLinkRefusal(fault: ApprovalLinkFault): StatusPage {
  switch (fault) {
    case 'expired':
      return renderMessagePage(410, 'This link has expired', 'Approval links stop working when the request times out. Ask the requester for a new request if it is still needed.')
    case 'used':
      return renderMessagePage(410, 'This link has already been used', 'Each approval link works once, and a decision was already made with this one.')
    case 'malformed':
    case 'forged':
    case 'wrong_request':
      return renderMessagePage(403, 'This link is not valid', 'The link is damaged or was not issued by this server. Open the link exactly as you received it.')
  }
}
