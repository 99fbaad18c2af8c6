/**
 * `uuid.rfc4122` (a version 4 UUID from the evaluation's seeded random source, the same for the
 * same argument within one evaluation) and `uuid.parse` (google/uuid's parser and fields).
 */
import type { BuiltinContext, BuiltinRegistry } from './builtin.js'
import { stringOperand } from './operands.js'
import { RObject, normalizeInt, type Value } from '../value/value.js'

const hex2 = (b: number): string => b.toString(16).padStart(2, '0')

function formatUUID(b: readonly number[]): string {
  const h = b.map(hex2).join('')
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`
}

/** A random (version 4, RFC 4122 variant) UUID drawn from `ctx.random()`. */
export function randomUUID(ctx: BuiltinContext): string {
  const b = Array.from({ length: 16 }, () => Math.floor(ctx.random() * 256) & 0xff)
  b[6] = (b[6]! & 0x0f) | 0x40
  b[8] = (b[8]! & 0x3f) | 0x80
  return formatUUID(b)
}

/** google/uuid's `Parse`: plain, `{…}`, `urn:uuid:…` and 32-digit forms. */
export function parseUUID(s: string): number[] | undefined {
  let t = s
  if (t.length === 45) {
    if (t.slice(0, 9).toLowerCase() !== 'urn:uuid:') return undefined
    t = t.slice(9)
  } else if (t.length === 38) {
    if (t[0] !== '{' || t[37] !== '}') return undefined
    t = t.slice(1, 37)
  } else if (t.length === 32) {
    if (!/^[0-9a-fA-F]{32}$/.test(t)) return undefined
    return Array.from({ length: 16 }, (_, i) => parseInt(t.slice(2 * i, 2 * i + 2), 16))
  } else if (t.length !== 36) return undefined
  if (!/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/.test(t)) return undefined
  const h = t.replaceAll('-', '')
  return Array.from({ length: 16 }, (_, i) => parseInt(h.slice(2 * i, 2 * i + 2), 16))
}

function variant(b8: number): string {
  if ((b8 & 0xc0) === 0x80) return 'RFC4122'
  if ((b8 & 0xe0) === 0xc0) return 'Microsoft'
  if ((b8 & 0xe0) === 0xe0) return 'Future'
  return 'Reserved'
}

const DOMAINS = ['Person', 'Group', 'Org']
/** 100-ns intervals between 1582-10-15 and the Unix epoch. */
const G1582 = 122192928000000000n

function uuidObject(b: readonly number[]): RObject {
  const version = b[6]! >> 4
  const o = new RObject()
  o.set('version', version)
  o.set('variant', variant(b[8]!))
  if (version === 1 || version === 2) {
    const u32 = (i: number): bigint => BigInt(((b[i]! << 24) >>> 0) + (b[i + 1]! << 16) + (b[i + 2]! << 8) + b[i + 3]!)
    const u16 = (i: number): bigint => BigInt((b[i]! << 8) | b[i + 1]!)
    const t = u32(0) | (u16(4) << 32n) | ((u16(6) & 0xfffn) << 48n)
    const since = t - G1582
    const ns = (since / 10000000n) * 1000000000n + (since % 10000000n) * 100n
    o.set('time', normalizeInt(ns))
    o.set('clocksequence', Number(u16(8) & 0x3fffn))
    o.set('nodeid', b.slice(10).map(hex2).join('-'))
    o.set('macvariables', `${b[10]! & 0x02 ? 'local' : 'global'}:${b[10]! & 0x01 ? 'multicast' : 'unicast'}`)
    if (version === 2) {
      o.set('id', Number(u32(0)))
      o.set('domain', DOMAINS[b[9]!] ?? `Domain${b[9]!}`)
    }
  }
  return o
}

export function register(reg: BuiltinRegistry): void {
  reg.register({
    name: 'uuid.rfc4122',
    args: [{ name: 'k', type: 'string', description: 'seed string' }],
    result: { name: 'output', type: 'string', description: 'a version 4 UUID; for any given `k`, the output will be consistent throughout a query evaluation' },
    description:
      'Returns a new UUIDv4.',
    categories: ['uuid'],
    nondeterministic: true,
    impl([k], ctx) {
      const key = stringOperand(k!, 1)
      const cacheKey = `uuid.rfc4122\u0000${key}`
      const hit = ctx.evalCache.get(cacheKey)
      if (typeof hit === 'string') return hit
      const id = randomUUID(ctx)
      ctx.evalCache.set(cacheKey, id)
      return id
    },
  })
  reg.register({
    name: 'uuid.parse',
    args: [{ name: 'uuid', type: 'string', description: 'UUID string to parse' }],
    result: {
      name: 'result',
      type: 'object[string: any]',
      description:
        'Properties of UUID if valid (version, variant, etc). Undefined otherwise.',
    },
    description: 'Parses the string value as an UUID and returns an object with the well-defined fields of the UUID if valid.',
    categories: ['uuid'],
    impl([u]): Value | undefined {
      const b = parseUUID(stringOperand(u!, 1))
      return b === undefined ? undefined : uuidObject(b)
    },
  })
}
