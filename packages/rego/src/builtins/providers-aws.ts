/**
 * `providers.aws.sign_req` (OPA `topdown/providers.go` and its SigV4 signer): signs an HTTP
 * request object with AWS Signature Version 4 through the `Authorization` header. The canonical
 * request is built the way OPA builds it (path and query as written, request headers override the
 * AWS headers among the signed ones).
 */
import { createHash, createHmac } from 'node:crypto'
import { OperandError, type BuiltinRegistry } from './builtin.js'
import { numberOperand, objectOperand } from './operands.js'
import { goMarshal } from './jwt-json.js'
import { setText } from './http.js'
import { RObject, isInteger, toBigInt } from '../value/value.js'

const REQUEST_KEYS = ['method', 'url']
const CONFIG_KEYS = ['aws_access_key', 'aws_secret_access_key', 'aws_service', 'aws_region']
/** Headers never signed (they change in transit). */
const IGNORED = new Set(['authorization', 'user-agent', 'x-amzn-trace-id'])

const sha256 = (b: string | Buffer): string => createHash('sha256').update(b).digest('hex')
const hmac = (key: Buffer | string, data: string): Buffer => createHmac('sha256', key).update(data, 'utf8').digest()

function requireStrings(o: RObject, keys: readonly string[], pos: number, what: string): Record<string, string> {
  const missing = keys.filter((k) => o.getString(k) === undefined)
  if (missing.length > 0) throw new OperandError(`operand ${pos} missing required ${what} parameters(s): ${setText(missing)}`)
  const invalid = keys.filter((k) => typeof o.getString(k) !== 'string')
  if (invalid.length > 0) throw new OperandError(`operand ${pos} invalid values for required ${what} parameters(s): ${setText(invalid)}`)
  return Object.fromEntries(keys.map((k) => [k, o.getString(k) as string]))
}

/** Host, escaped path and raw query of a URL as Go's net/url gives them (no normalisation). */
function urlParts(url: string): { host: string; path: string; query: string } {
  const m = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/([^/?#]*)([^?#]*)(?:\?([^#]*))?/.exec(url)
  if (m === null) return { host: '', path: url.split(/[?#]/)[0]!, query: '' }
  const at = m[1]!.lastIndexOf('@')
  return { host: at >= 0 ? m[1]!.slice(at + 1) : m[1]!, path: m[2]!, query: m[3] ?? '' }
}

function timeParts(ns: bigint): { date: string; stamp: string } {
  const iso = new Date(Number(ns / 1_000_000n)).toISOString() // 2015-12-28T14:08:25.000Z
  const date = iso.slice(0, 10).replace(/-/g, '')
  return { date, stamp: `${date}T${iso.slice(11, 19).replace(/:/g, '')}Z` }
}

export function register(reg: BuiltinRegistry): void {
  reg.register({
    name: 'providers.aws.sign_req',
    args: [
      { name: 'request', type: 'object[string: any]', description: 'HTTP request object' },
      { name: 'aws_config', type: 'object[string: any]', description: 'AWS configuration object' },
      { name: 'time_ns', type: 'number', description: 'nanoseconds since the epoch' },
    ],
    result: { name: 'signed_request', type: 'object[any: any]', description: 'HTTP request object with `Authorization` header' },
    description:
      'Signs an HTTP request object for Amazon Web Services. Currently implements [AWS Signature Version 4 request signing](https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-authenticating-requests.html) by the `Authorization` header method.',
    categories: ['providers.aws'],
    impl([r, c, t]) {
      const req = objectOperand(r!, 1)
      const { method, url } = requireStrings(req, REQUEST_KEYS, 1, 'request')
      const reqHeaders = req.getString('headers')
      const headers = new Map<string, string>()
      if (reqHeaders !== undefined) {
        if (!(reqHeaders instanceof RObject)) throw new OperandError('operand 1 invalid value for "headers" in request')
        for (const [k, v] of reqHeaders.entries()) {
          if (typeof k !== 'string' || typeof v !== 'string') throw new OperandError('operand 1 invalid value for "headers" in request')
          headers.set(k, v)
        }
      }
      let body = Buffer.alloc(0)
      const raw = req.getString('raw_body')
      const json = req.getString('body')
      if (raw !== undefined) {
        if (typeof raw !== 'string') throw new OperandError('operand 1 invalid value for "raw_body" in request')
        body = Buffer.from(raw, 'utf8')
      } else if (json !== undefined) body = Buffer.from(goMarshal(json), 'utf8')

      const cfg = objectOperand(c!, 2)
      const creds = requireStrings(cfg, CONFIG_KEYS, 2, 'AWS config')
      const token = cfg.getString('aws_session_token')
      const session = typeof token === 'string' ? token : ''
      const dps = cfg.getString('disable_payload_signing')
      if (dps !== undefined && typeof dps !== 'boolean') {
        throw new OperandError("operand 2 invalid value for 'disable_payload_signing' in AWS config")
      }

      const n = numberOperand(t!, 3)
      if (!isInteger(n) || toBigInt(n) < 0n) throw new OperandError('operand 3 could not convert time_ns value into a unix timestamp')
      const { date, stamp } = timeParts(toBigInt(n))

      const service = creds.aws_service!
      const region = creds.aws_region!
      const contentSha = dps === true ? 'UNSIGNED-PAYLOAD' : sha256(body)
      const { host, path, query } = urlParts(url)
      const awsHeaders = new Map<string, string>([
        ['host', host],
        ['x-amz-date', stamp],
      ])
      if (service === 's3' || service === 'glacier') awsHeaders.set('x-amz-content-sha256', contentSha)
      if (session !== '') awsHeaders.set('x-amz-security-token', session)

      const toSign = new Map(awsHeaders)
      for (const [k, v] of headers) if (!IGNORED.has(k.toLowerCase())) toSign.set(k.toLowerCase(), v)
      const keys = [...toSign.keys()].sort()
      const signedHeaders = keys.join(';')
      const canonical =
        method + '\n' + path + '\n' + query + '\n' + keys.map((k) => `${k}:${toSign.get(k)}\n`).join('') + '\n' + signedHeaders + '\n' + contentSha
      // The method goes into the canonical request exactly as written, as OPA does.
      const scope = `${date}/${region}/${service}/aws4_request`
      const stringToSign = `AWS4-HMAC-SHA256\n${stamp}\n${scope}\n${sha256(canonical)}`
      let key = hmac('AWS4' + creds.aws_secret_access_key, date)
      key = hmac(key, region)
      key = hmac(key, service)
      key = hmac(key, 'aws4_request')
      const signature = hmac(key, stringToSign).toString('hex')
      const auth = `AWS4-HMAC-SHA256 Credential=${creds.aws_access_key}/${scope},SignedHeaders=${signedHeaders},Signature=${signature}`

      const outHeaders = new RObject()
      for (const [k, v] of headers) outHeaders.set(k, v)
      outHeaders.set('Authorization', auth)
      for (const [k, v] of awsHeaders) outHeaders.set(k, v)
      return RObject.from([...req.entries()].map(([k, v]) => [k, k === 'headers' ? outHeaders : v] as const)).set('headers', outHeaders)
    },
  })
}
