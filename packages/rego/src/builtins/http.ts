/**
 * `http.send` (OPA `topdown/http.go`): a real HTTP request, made synchronously through the network
 * worker (http-worker.ts). Responses are cached per evaluation (identical requests in one query see
 * one response, as in OPA) and, when the request asks for it with `cache` / `force_cache`, across
 * evaluations. Every result is recorded in the evaluation's non-deterministic built-in cache.
 */
import { readFileSync } from 'node:fs'
import { rootCertificates } from 'node:tls'
import { parse as parseYAML } from 'yaml'
import { BuiltinError, OperandError, type BuiltinContext, type BuiltinRegistry } from './builtin.js'
import { objectOperand } from './operands.js'
import { runBlocking, type HttpAnswer, type HttpTask, type TaskFailure } from './http-worker.js'
import { goMarshal } from './jwt-json.js'
import { goJSONParse } from './json-codec.js'
import { fromJS, toJSONText } from '../value/json.js'
import { RObject, canonical, isInteger, typeName, type Value } from '../value/value.js'

const ALLOWED_KEYS = [
  'method',
  'url',
  'body',
  'enable_redirect',
  'force_json_decode',
  'force_yaml_decode',
  'headers',
  'raw_body',
  'tls_use_system_certs',
  'tls_ca_cert',
  'tls_ca_cert_file',
  'tls_ca_cert_env_variable',
  'tls_client_cert',
  'tls_client_cert_file',
  'tls_client_cert_env_variable',
  'tls_client_key',
  'tls_client_key_file',
  'tls_client_key_env_variable',
  'tls_insecure_skip_verify',
  'tls_server_name',
  'timeout',
  'cache',
  'force_cache',
  'force_cache_duration_seconds',
  'raise_error',
  'caching_mode',
  'max_retry_attempts',
  'cache_ignored_headers',
]
const REQUIRED_KEYS = ['method', 'url']

/** OPA's default `http.send` timeout: 5s, or the `HTTP_SEND_TIMEOUT` environment variable (a Go duration). */
function defaultTimeoutMs(): number {
  const env = process.env.HTTP_SEND_TIMEOUT
  const d = env === undefined || env === '' ? undefined : parseDuration(env)
  return d ?? 5000
}

/** How a Rego set of strings prints in OPA's messages: `{"a", "b"}`. */
export function setText(items: readonly string[]): string {
  return '{' + [...items].sort().map((s) => JSON.stringify(s)).join(', ') + '}'
}

/** A failure that `raise_error: false` turns into a `{status_code: 0, error}` result. */
class SendError extends BuiltinError {
  constructor(
    message: string,
    readonly network: boolean,
  ) {
    super(message)
  }
}

interface Request {
  readonly key: string
  readonly task: HttpTask
  readonly forceJSON: boolean
  readonly forceYAML: boolean
  readonly cache: boolean
  readonly forceCacheSeconds: number | undefined
  readonly retries: number
}

/** Go's `time.ParseDuration` for the units http.send accepts. */
export function parseDuration(s: string): number | undefined {
  const units: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60000, h: 3600000 }
  if (s === '0') return 0
  const re = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/y
  let total = 0
  let i = 0
  const sign = s.startsWith('-') ? -1 : 1
  if (s[0] === '-' || s[0] === '+') i = 1
  if (i >= s.length) return undefined
  while (i < s.length) {
    re.lastIndex = i
    const m = re.exec(s)
    if (m === null) return undefined
    total += Number(m[1]) * units[m[2]!]!
    i = re.lastIndex
  }
  return sign * total
}

function bool(o: RObject, key: string, dflt: boolean): boolean {
  const v = o.getString(key)
  if (v === undefined) return dflt
  if (typeof v !== 'boolean') throw new SendError(`invalid value for "${key}" field`, false)
  return v
}

function str(o: RObject, key: string): string | undefined {
  const v = o.getString(key)
  if (v === undefined) return undefined
  if (typeof v !== 'string') throw new SendError(`invalid value for "${key}" field`, false)
  return v
}

function readFile(path: string): string {
  try {
    return readFileSync(path, 'utf8')
  } catch (e) {
    throw new SendError(`open ${path}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (e as Error).message}`, false)
  }
}

/** Builds the worker task from the request object (OPA's `createHTTPRequest`). */
function buildRequest(o: RObject, ctx: BuiltinContext): Request {
  const method = (str(o, 'method') ?? '').replace(/^"+|"+$/g, '').toUpperCase()
  const url = (str(o, 'url') ?? '').replace(/^"+|"+$/g, '')
  const headers: Record<string, string> = {}
  const hv = o.getString('headers')
  if (hv !== undefined) {
    if (!(hv instanceof RObject)) throw new SendError('invalid type for headers key', false)
    for (const [k, v] of hv.entries()) {
      if (typeof k !== 'string' || typeof v !== 'string') throw new SendError(`invalid type for headers value "${String(k)}"`, false)
      headers[k] = v
    }
  }
  if (!Object.keys(headers).some((h) => h.toLowerCase() === 'user-agent')) headers['User-Agent'] = 'signoff-rego'
  let body: Uint8Array | undefined
  const raw = o.getString('raw_body')
  const b = o.getString('body')
  if (raw !== undefined) {
    if (typeof raw !== 'string') throw new SendError('raw_body must be a string', false)
    body = Buffer.from(raw, 'utf8')
  } else if (b !== undefined) {
    body = Buffer.from(goMarshal(b), 'utf8')
  }
  let timeoutMs = defaultTimeoutMs()
  const t = o.getString('timeout')
  if (t !== undefined) {
    // A number, or a string of digits, is nanoseconds; other strings are Go durations ("5s").
    if (typeof t === 'number' || typeof t === 'bigint') {
      if (!isInteger(t)) throw new SendError(`invalid timeout number value ${toJSONText(t)}, must be int64`, false)
      timeoutMs = Number(t) / 1e6
    } else if (typeof t === 'string') {
      const d = /^[+-]?\d+$/.test(t) ? Number(t) / 1e6 : parseDuration(t)
      if (d === undefined) throw new SendError(`invalid timeout value "${t}": time: invalid duration "${t}"`, false)
      timeoutMs = d
    } else throw new OperandError(`operand 1 'timeout' must be one of {string, number} but got ${typeName(t)}`)
  }
  if (timeoutMs <= 0) timeoutMs = 24 * 3600 * 1000 // Go: zero means no timeout

  const envOf = (name: string | undefined): string | undefined => (name === undefined ? undefined : (ctx.env?.[name] ?? process.env[name]))
  const caParts: string[] = []
  const caCert = str(o, 'tls_ca_cert')
  if (caCert !== undefined) caParts.push(caCert)
  const caFile = str(o, 'tls_ca_cert_file')
  if (caFile !== undefined) caParts.push(readFile(caFile))
  const caEnv = envOf(str(o, 'tls_ca_cert_env_variable'))
  if (caEnv !== undefined) caParts.push(caEnv)
  const system = bool(o, 'tls_use_system_certs', caParts.length === 0)
  const ca = caParts.length === 0 ? undefined : system ? [...rootCertificates, ...caParts] : caParts
  const cert = str(o, 'tls_client_cert') ?? fileOpt(str(o, 'tls_client_cert_file')) ?? envOf(str(o, 'tls_client_cert_env_variable'))
  const key = str(o, 'tls_client_key') ?? fileOpt(str(o, 'tls_client_key_file')) ?? envOf(str(o, 'tls_client_key_env_variable'))

  const forceCache = bool(o, 'force_cache', false)
  let forceCacheSeconds: number | undefined
  if (forceCache) {
    const d = o.getString('force_cache_duration_seconds')
    if (d === undefined) throw new SendError("'force_cache' set but 'force_cache_duration_seconds' parameter is missing", false)
    if (typeof d !== 'number') throw new SendError('invalid value for "force_cache_duration_seconds" field', false)
    forceCacheSeconds = d
  }
  const retriesV = o.getString('max_retry_attempts')
  const retries = typeof retriesV === 'number' ? Math.max(0, Math.floor(retriesV)) : 0

  // Cache key: the request without the ignored headers.
  const ignored = o.getString('cache_ignored_headers')
  let keyObj: Value = o
  if (Array.isArray(ignored) && hv instanceof RObject) {
    const h2 = RObject.from([...hv.entries()].filter(([k]) => !ignored.includes(k)))
    keyObj = RObject.from([...o.entries()].map(([k, v]) => [k, k === 'headers' ? h2 : v] as const))
  }

  return {
    key: canonical(keyObj),
    task: {
      kind: 'http',
      method,
      url,
      headers,
      body,
      timeoutMs,
      followRedirects: bool(o, 'enable_redirect', false),
      tls: {
        ca,
        cert,
        key,
        rejectUnauthorized: !bool(o, 'tls_insecure_skip_verify', false),
        servername: str(o, 'tls_server_name'),
      },
    },
    forceJSON: bool(o, 'force_json_decode', false),
    forceYAML: bool(o, 'force_yaml_decode', false),
    cache: bool(o, 'cache', false) || forceCache,
    forceCacheSeconds,
    retries,
  }
}

function fileOpt(path: string | undefined): string | undefined {
  return path === undefined ? undefined : readFile(path)
}

/** Go's `url.Error` text for a failed request. */
function networkMessage(task: HttpTask, f: TaskFailure): string {
  const op = task.method.charAt(0) + task.method.slice(1).toLowerCase()
  const e = f.error
  if (e.code === 'TIMEOUT') return `${op} ${task.url}: request timed out`
  let host = ''
  try {
    host = new URL(task.url).host
  } catch {
    return `parse "${task.url}": invalid URL`
  }
  let reason: string
  switch (e.code) {
    case 'ECONNREFUSED':
      reason = `dial tcp ${e.host ?? host}${e.port !== undefined ? ':' + e.port : ''}: connect: connection refused`
      break
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      reason = `dial tcp: lookup ${new URL(task.url).hostname}: no such host`
      break
    case 'ECONNRESET':
      reason = 'EOF'
      break
    case 'EPROTO_SCHEME':
      reason = e.message
      break
    default:
      reason = e.message
  }
  return `${op} "${task.url}": ${reason}`
}

function headerValue(raw: readonly string[]): RObject {
  const grouped = new Map<string, string[]>()
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!.toLowerCase()
    const list = grouped.get(name) ?? []
    list.push(raw[i + 1]!)
    grouped.set(name, list)
  }
  return RObject.from([...grouped].map(([k, v]) => [k, Object.freeze(v)] as const))
}

function mediaType(headers: RObject): string {
  const ct = headers.getString('content-type')
  const first = Array.isArray(ct) ? ct[0] : undefined
  return typeof first === 'string' ? first.split(';')[0]!.trim().toLowerCase() : ''
}

/** OPA's `prepareASTResult`. */
function toResult(req: Request, a: HttpAnswer): RObject {
  const headers = headerValue(a.rawHeaders)
  const text = Buffer.from(a.body).toString('utf8')
  let body: Value = null
  const mt = mediaType(headers)
  try {
    if (req.forceJSON || mt === 'application/json') body = goJSONParse(text)
    else if (req.forceYAML || mt === 'application/yaml' || mt === 'application/x-yaml') body = fromJS(parseYAML(text) ?? null)
  } catch {
    body = null // an undecodable body leaves "body" null, as in OPA
  }
  return RObject.from([
    ['status', `${a.status} ${a.statusText}`.trimEnd()],
    ['status_code', a.status],
    ['body', body],
    ['raw_body', text],
    ['headers', headers],
  ])
}

/** A response kept across evaluations for `cache` / `force_cache` requests. */
interface CacheEntry {
  readonly value: RObject
  /** Fresh until this time (ms since the epoch). */
  readonly expires: number
  /** Validators for revalidating a stale entry (`If-None-Match`, `If-Modified-Since`). */
  readonly etag: string | undefined
  readonly lastModified: string | undefined
}
const interQueryCache = new Map<string, CacheEntry>()
const INTER_QUERY_MAX = 1000

const CACHEABLE = new Set([200, 203, 204, 206, 300, 301, 404, 405, 410, 414, 501])

function firstHeader(headers: RObject, name: string): string | undefined {
  const v = headers.getString(name)
  return Array.isArray(v) && typeof v[0] === 'string' ? v[0] : undefined
}

/**
 * Until when a response is fresh (RFC 7234): `max-age` counted from the `Date` header, else
 * `Expires`. A `Date` in the future (negative age) and `no-store` / `no-cache` make it stale.
 */
function freshUntil(headers: RObject, now: number): number {
  const cc = (firstHeader(headers, 'cache-control') ?? '').toLowerCase()
  if (/(^|,)\s*(no-store|no-cache)\b/.test(cc)) return 0
  const date = Date.parse(firstHeader(headers, 'date') ?? '')
  if (!Number.isNaN(date) && date > now) return 0
  const maxAge = /(^|,)\s*max-age\s*=\s*(\d+)/.exec(cc)
  if (maxAge !== null) return (Number.isNaN(date) ? now : date) + Number(maxAge[2]) * 1000
  const expires = Date.parse(firstHeader(headers, 'expires') ?? '')
  return Number.isNaN(expires) ? 0 : expires
}

function remember(key: string, entry: CacheEntry): void {
  interQueryCache.delete(key)
  if (interQueryCache.size >= INTER_QUERY_MAX) interQueryCache.delete(interQueryCache.keys().next().value!)
  interQueryCache.set(key, entry)
}

/** A cached response with the headers of a `304 Not Modified` answer applied. */
function refreshed(cached: RObject, notModified: HttpAnswer): RObject {
  const headers = cached.getString('headers')
  const merged = RObject.from(headers instanceof RObject ? headers.entries() : [])
  for (const [k, v] of headerValue(notModified.rawHeaders).entries()) merged.set(k, v)
  return RObject.from([...cached.entries()].map(([k, v]) => [k, k === 'headers' ? merged : v] as const))
}

function errorResult(e: SendError): RObject {
  return RObject.from([
    ['status_code', 0],
    [
      'error',
      RObject.from([
        ['code', e.network ? 'eval_http_send_network_error' : 'eval_http_send_internal_error'],
        ['message', e.message],
      ]),
    ],
  ])
}

function send(o: RObject, ctx: BuiltinContext): RObject {
  const keys = o.sortedKeys()
  const invalid = keys.filter((k) => typeof k !== 'string' || !ALLOWED_KEYS.includes(k)).map((k) => (typeof k === 'string' ? k : toJSONText(k)))
  if (invalid.length > 0) throw new OperandError(`operand 1 invalid request parameters(s): ${setText(invalid)}`)
  const missing = REQUIRED_KEYS.filter((k) => o.getString(k) === undefined)
  if (missing.length > 0) throw new OperandError(`operand 1 missing required request parameters(s): ${setText(missing)}`)
  const req = buildRequest(o, ctx)

  const evalKey = `http.send\u0000${req.key}`
  const hit = ctx.evalCache.get(evalKey)
  if (hit instanceof RObject) return hit

  const now = Date.now()
  let stale: CacheEntry | undefined
  if (req.cache) {
    const cached = interQueryCache.get(req.key)
    if (cached !== undefined && cached.expires > now) {
      ctx.evalCache.set(evalKey, cached.value)
      return cached.value
    }
    // A stale entry with validators is revalidated with a conditional request.
    if (cached !== undefined && req.forceCacheSeconds === undefined && (cached.etag !== undefined || cached.lastModified !== undefined)) {
      stale = cached
    } else interQueryCache.delete(req.key)
  }

  if (!ctx.allowNet) throw new SendError('http.send is disabled', false)
  let task = req.task
  if (stale !== undefined) {
    const conditional: Record<string, string> = { ...task.headers }
    if (stale.etag !== undefined) conditional['If-None-Match'] = stale.etag
    if (stale.lastModified !== undefined) conditional['If-Modified-Since'] = stale.lastModified
    task = { ...task, headers: conditional }
  }
  let answer: HttpAnswer | TaskFailure = { error: { message: 'not sent' } }
  for (let attempt = 0; attempt <= req.retries; attempt++) {
    if (attempt > 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, Math.min(1000, 100 * 2 ** (attempt - 1)))
    answer = runBlocking(task, task.timeoutMs + 2000)
    if (!('error' in answer)) break
  }
  if ('error' in answer) throw new SendError(networkMessage(task, answer), answer.error.code !== 'EINVALIDURL')
  const revalidated = stale !== undefined && answer.status === 304
  const result = revalidated ? refreshed(stale!.value, answer) : toResult(req, answer)
  // Only cacheable statuses are reused, within the query as across queries.
  if (!revalidated && !CACHEABLE.has(answer.status)) return result
  ctx.evalCache.set(evalKey, result)
  if (req.cache) {
    const headers = result.getString('headers') as RObject
    const until = req.forceCacheSeconds !== undefined ? now + req.forceCacheSeconds * 1000 : freshUntil(headers, now)
    const etag = firstHeader(headers, 'etag')
    const lastModified = firstHeader(headers, 'last-modified')
    if (until > now || etag !== undefined || lastModified !== undefined) remember(req.key, { value: result, expires: until, etag, lastModified })
  }
  return result
}

/** Empties the inter-query cache (tests, policy reloads). */
export function clearHttpSendCache(): void {
  interQueryCache.clear()
}

export function register(reg: BuiltinRegistry): void {
  reg.register({
    name: 'http.send',
    args: [{ name: 'request', type: 'object[string: any]', description: 'the HTTP request object' }],
    result: { name: 'response', type: 'object[any: any]', description: 'the HTTP response object' },
    description: 'Returns a HTTP response to the given HTTP request.',
    categories: ['http'],
    nondeterministic: true,
    impl([r], ctx) {
      const o = objectOperand(r!, 1)
      const rv = o.getString('raise_error')
      const raise = typeof rv === 'boolean' ? rv : true
      let result: RObject
      try {
        result = send(o, ctx)
      } catch (e) {
        if (raise || !(e instanceof BuiltinError || e instanceof OperandError)) throw e
        result = errorResult(e instanceof SendError ? e : new SendError(e.message, false))
      }
      ctx.ndCache.set(`http.send(${toJSONText(Object.freeze([o]))})`, result)
      return result
    },
  })
}

