import { CliError } from './cli-error.js'

/** Where the client commands find the server and who they are. */
export interface ApiClientOptions {
  /** Base URL, e.g. `http://127.0.0.1:8686`. */
  readonly url: string
  /** Bearer token; optional for servers that let loopback callers in without one. */
  readonly token?: string
  /** Injected for tests. */
  readonly fetch?: typeof fetch
}

/** A request as the API returns it; only the fields the CLI reads are typed. */
export interface ApiRequest {
  readonly id: string
  readonly status: string
  readonly reason?: string | null
  readonly expires_at?: string | null
  readonly approval?: { readonly min_approvals?: number; readonly approvers?: readonly string[]; readonly channels?: readonly string[] } | null
  readonly approvals?: readonly { readonly approver?: unknown; readonly decision?: string; readonly comment?: string | null }[]
  /** Signed approval links, when the server shows them to this caller. */
  readonly links?: readonly { readonly approver?: string; readonly url: string; readonly expires_at?: string }[]
  readonly [key: string]: unknown
}

/** A small JSON client for signoff's HTTP API under `/v1`. */
export class ApiClient {
  readonly #base: string
  readonly #token: string | undefined
  readonly #fetch: typeof fetch

  constructor(options: ApiClientOptions) {
    this.#base = options.url.replace(/\/+$/, '')
    this.#token = options.token
    this.#fetch = options.fetch ?? fetch
  }

  /** `POST /v1/requests`. */
  createRequest(body: Record<string, unknown>): Promise<ApiRequest> {
    return this.#call('POST', '/v1/requests', body)
  }

  /** `GET /v1/requests/:id`. */
  getRequest(id: string): Promise<ApiRequest> {
    return this.#call('GET', `/v1/requests/${encodeURIComponent(id)}`)
  }

  /** `GET /v1/requests/:id/wait?timeout=N`: returns after a change or `seconds`, final or not. */
  waitRequest(id: string, seconds: number, signal?: AbortSignal): Promise<ApiRequest> {
    return this.#call('GET', `/v1/requests/${encodeURIComponent(id)}/wait?timeout=${Math.max(0, Math.floor(seconds))}`, undefined, signal)
  }

  /** `POST /v1/requests/:id/approve|reject|cancel`. */
  decide(id: string, verb: 'approve' | 'reject' | 'cancel', comment?: string): Promise<ApiRequest> {
    return this.#call('POST', `/v1/requests/${encodeURIComponent(id)}/${verb}`, comment === undefined ? {} : { comment })
  }

  /** `GET /v1/decisions/verify`. */
  verifyDecisions(): Promise<Record<string, unknown>> {
    return this.#call('GET', '/v1/decisions/verify')
  }

  async #call<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' }
    if (this.#token) headers.authorization = `Bearer ${this.#token}`
    if (body !== undefined) headers['content-type'] = 'application/json'
    let res: Response
    try {
      res = await this.#fetch(this.#base + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal })
    } catch (e) {
      if (signal?.aborted) throw e
      const cause = (e as { cause?: { code?: string } }).cause?.code ?? (e as Error).message
      throw new CliError(`cannot reach signoff at ${this.#base} (${cause}); is the server running? (--url or SIGNOFF_URL)`, { transient: true })
    }
    const text = await res.text()
    let json: unknown
    try {
      json = text ? JSON.parse(text) : null
    } catch {
      throw new CliError(`${method} ${path}: HTTP ${res.status}, not JSON: ${text.slice(0, 200)}`, { transient: res.status >= 502 && res.status <= 504 })
    }
    if (!res.ok) {
      const err = (json ?? {}) as { code?: unknown; message?: unknown }
      const code = typeof err.code === 'string' ? err.code : undefined
      const message = typeof err.message === 'string' ? err.message : `HTTP ${res.status}`
      throw new CliError(code ? `${code}: ${message}` : message, { code, transient: res.status === 503 })
    }
    return json as T
  }
}
