/** What a web interaction answers; the HTTP route sends it with the page headers. */
export interface WebResponse {
  readonly status: number
  /** A full HTML document (empty for redirects). */
  readonly body: string
  /** `Set-Cookie` header values. */
  readonly cookies?: readonly string[]
  /** Redirect target (with status 303). */
  readonly location?: string
}

/** A 303 redirect (after a form post), optionally setting cookies. */
export function redirect(location: string, cookies?: readonly string[]): WebResponse {
  return { status: 303, body: '', location, cookies }
}
