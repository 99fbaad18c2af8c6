import { createHash } from 'node:crypto'

/**
 * RFC 8785 (JSON Canonicalization Scheme): object keys sorted by UTF-16 code units, no
 * whitespace, numbers in ECMAScript's shortest round-trip form, strings as JSON.stringify
 * escapes them. Throws on values JSON cannot carry (NaN, Infinity, functions, bigint).
 */
export function canonicalJson(value: unknown): string {
  if (value === null) return 'null'
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false'
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError('canonical JSON cannot encode a non-finite number')
      return Object.is(value, -0) ? '0' : String(value)
    case 'string':
      return JSON.stringify(value)
    case 'object': {
      if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v === undefined ? null : v)).join(',')}]`
      const obj = value as Record<string, unknown>
      const keys = Object.keys(obj)
        .filter((k) => obj[k] !== undefined)
        .sort()
      return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`
    }
    default:
      throw new TypeError(`canonical JSON cannot encode a ${typeof value}`)
  }
}

/** SHA-256 of the canonical JSON of `value`, lower-case hex. */
export function inputDigest(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex')
}
