/**
 * CIDR built-ins (OPA `topdown/cidr.go`), with Go's `net` parsing and printing: IPv4 and IPv6
 * (`::` compression, embedded IPv4), networks masked to their prefix.
 */
import { BuiltinError, type BuiltinRegistry } from './builtin.js'
import { operandTypeError, stringOperand } from './operands.js'
import { formatIPv6Groups } from './ip-text.js'
import { RObject, RSet, type Value } from '../value/value.js'

/** An address or network: the value, its family's bit width, and the prefix length. */
interface Net {
  readonly addr: bigint
  readonly bits: 32 | 128
  readonly prefix: number
}

function parseIPv4(s: string): bigint | undefined {
  const parts = s.split('.')
  if (parts.length !== 4) return undefined
  let v = 0n
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || (p.length > 1 && p[0] === '0')) return undefined
    const n = Number(p)
    if (n > 255) return undefined
    v = (v << 8n) | BigInt(n)
  }
  return v
}

function parseIPv6(s: string): bigint | undefined {
  let tail: bigint | undefined
  let text = s
  const lastColon = s.lastIndexOf(':')
  if (s.includes('.')) {
    tail = parseIPv4(s.slice(lastColon + 1))
    if (tail === undefined) return undefined
    text = s.slice(0, lastColon + 1) + '0:0'
  }
  const halves = text.split('::')
  if (halves.length > 2) return undefined
  const group = (h: string): string[] => (h === '' ? [] : h.split(':'))
  const head = group(halves[0]!)
  const rest = halves.length === 2 ? group(halves[1]!) : []
  const total = head.length + rest.length
  if (halves.length === 1 ? total !== 8 : total > 7) return undefined
  const groups = [...head, ...new Array<string>(8 - total).fill('0'), ...rest]
  let v = 0n
  for (const g of groups) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined
    v = (v << 16n) | BigInt(parseInt(g, 16))
  }
  if (tail !== undefined) v = (v & ~0xffffffffn) | tail
  return v
}


/** Go's net.ParseIP; IPv4-mapped IPv6 addresses count as IPv4. */
function parseIP(s: string): { addr: bigint; bits: 32 | 128 } | undefined {
  const v4 = parseIPv4(s)
  if (v4 !== undefined) return { addr: v4, bits: 32 }
  if (!s.includes(':')) return undefined
  const v6 = parseIPv6(s)
  if (v6 === undefined) return undefined
  if (v6 >> 32n === 0xffffn) return { addr: v6 & 0xffffffffn, bits: 32 }
  return { addr: v6, bits: 128 }
}

function mask(bits: number, prefix: number): bigint {
  const all = (1n << BigInt(bits)) - 1n
  return all ^ ((1n << BigInt(bits - prefix)) - 1n)
}

/** Go's net.ParseCIDR, masked to the network; undefined if invalid. */
function parseCIDR(s: string): Net | undefined {
  const slash = s.indexOf('/')
  if (slash < 0) return undefined
  const ip = parseIP(s.slice(0, slash))
  const p = s.slice(slash + 1)
  if (!ip || !/^\d{1,3}$/.test(p)) return undefined
  // A v4-mapped address written in IPv6 form keeps IPv6 prefix lengths.
  const written6 = s.slice(0, slash).includes(':')
  const prefix = Number(p) - (written6 && ip.bits === 32 ? 96 : 0)
  if (prefix < 0 || prefix > ip.bits) return undefined
  return { addr: ip.addr & mask(ip.bits, prefix), bits: ip.bits, prefix }
}

function cidrOperand(v: Value, pos: number): Net {
  const s = stringOperand(v, pos)
  const n = parseCIDR(s)
  if (!n) throw new BuiltinError(`invalid CIDR address: ${s}`)
  return n
}

function contains(net: Net, other: Net): boolean {
  if (net.bits !== other.bits || other.prefix < net.prefix) return false
  return (other.addr & mask(net.bits, net.prefix)) === net.addr
}

/** A CIDR, or an IP as a full-length network. */
function cidrOrIP(s: string): Net | undefined {
  const ip = parseIP(s)
  if (ip) return { ...ip, prefix: ip.bits }
  return parseCIDR(s)
}

function formatIP(addr: bigint, bits: 32 | 128): string {
  if (bits === 32) return [24n, 16n, 8n, 0n].map((sh) => String((addr >> sh) & 0xffn)).join('.')
  if (addr >> 32n === 0xffffn) return '::ffff:' + formatIP(addr & 0xffffffffn, 32)
  const groups: number[] = []
  for (let i = 7; i >= 0; i--) groups.push(Number((addr >> BigInt(i * 16)) & 0xffffn))
  return formatIPv6Groups(groups)
}

function formatNet(n: Net): string {
  return `${formatIP(n.addr, n.bits)}/${n.prefix}`
}

/** Go's classful default mask for an IPv4 address without a prefix (net.IP.DefaultMask). */
function defaultPrefix(addr: bigint): number {
  const first = Number(addr >> 24n)
  return first < 0x80 ? 8 : first < 0xc0 ? 16 : 24
}

function mergeOperandItem(v: Value): Net {
  if (typeof v !== 'string') throw operandTypeError(1, v, 'string')
  if (v.includes('/')) {
    const n = parseCIDR(v)
    if (!n) throw new BuiltinError(`invalid CIDR address: ${v}`)
    return n
  }
  const ip = parseIP(v)
  if (!ip) throw new BuiltinError(`invalid IP address: ${v}`)
  if (ip.bits === 128) throw new BuiltinError('IPv6 invalid: needs prefix length')
  const prefix = defaultPrefix(ip.addr)
  return { addr: ip.addr & mask(32, prefix), bits: 32, prefix }
}

/** Smallest set of networks covering the inputs. */
function merge(nets: Net[]): Net[] {
  const out: Net[] = []
  for (const bits of [32, 128] as const) {
    let list = nets.filter((n) => n.bits === bits).sort((a, b) => (a.addr < b.addr ? -1 : a.addr > b.addr ? 1 : a.prefix - b.prefix))
    // Drop networks inside an earlier one.
    const kept: Net[] = []
    for (const n of list) if (!kept.some((k) => contains(k, n))) kept.push(n)
    list = kept
    // Join sibling halves until nothing changes.
    for (let changed = true; changed; ) {
      changed = false
      const next: Net[] = []
      for (let i = 0; i < list.length; i++) {
        const a = list[i]!
        const b = list[i + 1]
        if (b && a.prefix === b.prefix && a.prefix > 0) {
          const parent = a.prefix - 1
          const base = a.addr & mask(bits, parent)
          if (base === a.addr && b.addr === (a.addr | (1n << BigInt(bits - a.prefix)))) {
            next.push({ addr: base, bits, prefix: parent })
            i++
            changed = true
            continue
          }
        }
        next.push(a)
      }
      list = []
      for (const n of next) if (!list.some((k) => contains(k, n))) list.push(n)
    }
    out.push(...list)
  }
  return out
}

/** Entries of a `net.cidr_contains_matches` operand: key and the CIDR/IP text. */
function matchEntries(v: Value, pos: number): [Value, string][] {
  const item = (x: Value): string => {
    if (typeof x === 'string') return x
    if (Array.isArray(x) && x.length > 0 && typeof x[0] === 'string') return x[0] as string
    throw new BuiltinError(`operand ${pos}: element must be string or non-empty array`)
  }
  if (typeof v === 'string') return [[v, v]]
  if (Array.isArray(v)) return v.map((x, i) => [i, item(x)])
  if (v instanceof RSet) return v.sortedValues().map((x) => [x, item(x)])
  if (v instanceof RObject) return [...v.entries()].map(([k, x]) => [k, item(x)])
  throw operandTypeError(pos, v, 'string', 'array', 'set', 'object')
}

export function register(reg: BuiltinRegistry): void {
  reg.register({
    name: 'net.cidr_contains',
    args: [
      { name: 'cidr', type: 'string', description: 'CIDR to check against' },
      { name: 'cidr_or_ip', type: 'string', description: 'CIDR or IP to check' },
    ],
    result: { name: 'result', type: 'boolean', description: '`true` if `cidr_or_ip` is contained within `cidr`' },
    description: 'Checks if a CIDR or IP is contained within another CIDR. `output` is `true` if `cidr_or_ip` (e.g. `127.0.0.64/26` or `127.0.0.1`) is contained within `cidr` (e.g. `127.0.0.1/24`) and `false` otherwise. Supports both IPv4 and IPv6 notations.',
    categories: ['net'],
    impl([a, b]) {
      const net = cidrOperand(a!, 1)
      const s = stringOperand(b!, 2)
      const other = cidrOrIP(s)
      if (!other) throw new BuiltinError(`invalid CIDR address: ${s}`)
      return contains(net, other)
    },
  })
  reg.register({
    name: 'net.cidr_intersects',
    args: [
      { name: 'cidr1', type: 'string', description: 'first CIDR' },
      { name: 'cidr2', type: 'string', description: 'second CIDR' },
    ],
    result: { name: 'result', type: 'boolean', description: '`true` if `cidr1` intersects with `cidr2`' },
    description: 'Checks if a CIDR intersects with another CIDR (e.g. `192.168.0.0/16` overlaps with `192.168.1.0/24`). Supports both IPv4 and IPv6 notations.',
    categories: ['net'],
    impl([a, b]) {
      const x = cidrOperand(a!, 1)
      const y = cidrOperand(b!, 2)
      return contains(x, y) || contains(y, x)
    },
  })
  reg.register({
    name: 'net.cidr_is_valid',
    args: [{ name: 'cidr', type: 'string', description: 'CIDR to validate' }],
    result: { name: 'result', type: 'boolean', description: '`true` if `cidr` is a valid CIDR' },
    description: 'Parses an IPv4/IPv6 CIDR and returns a boolean indicating if the provided CIDR is valid.',
    categories: ['net'],
    impl: ([a]) => typeof a === 'string' && parseCIDR(a) !== undefined,
  })
  reg.register({
    name: 'net.cidr_expand',
    args: [{ name: 'cidr', type: 'string', description: 'CIDR to expand' }],
    result: { name: 'hosts', type: 'set[string]', description: 'set of IP addresses the CIDR `cidr` expands to' },
    description: 'Expands CIDR to set of hosts  (e.g., `net.cidr_expand("192.168.0.0/30")` generates 4 hosts: `{"192.168.0.0", "192.168.0.1", "192.168.0.2", "192.168.0.3"}`).',
    categories: ['net'],
    impl([a]) {
      const n = cidrOperand(a!, 1)
      const size = 1n << BigInt(n.bits - n.prefix)
      if (size > 1n << 24n) throw new BuiltinError(`CIDR ${stringOperand(a!, 1)} is too large to expand`)
      const out = new RSet()
      for (let i = 0n; i < size; i++) out.add(formatIP(n.addr + i, n.bits))
      return out
    },
  })
  reg.register({
    name: 'net.cidr_contains_matches',
    args: [
      { name: 'cidrs', type: 'any<string, array[any<string, array[any]>], object[string: any<string, array[any]>], set[any<string, array[any]>]>', description: 'CIDRs to check against' },
      { name: 'cidrs_or_ips', type: 'any<string, array[any<string, array[any]>], object[string: any<string, array[any]>], set[any<string, array[any]>]>', description: 'CIDRs or IPs to check' },
    ],
    result: { name: 'output', type: 'set[array<any, any>]', description: 'tuples identifying matches where `cidrs_or_ips` are contained within `cidrs`' },
    description: 'Checks if collections of cidrs or ips are contained within another collection of cidrs and returns matches. This function is similar to `net.cidr_contains` except it allows callers to pass collections of CIDRs or IPs as arguments and returns the matches (as opposed to a boolean result indicating a match between two CIDRs/IPs).',
    categories: ['net'],
    impl([a, b]) {
      const nets = matchEntries(a!, 1)
      const others = matchEntries(b!, 2)
      const out = new RSet()
      for (const [k1, s1] of nets) {
        const n = parseCIDR(s1)
        if (!n) throw new BuiltinError(`invalid CIDR address: ${s1}`)
        for (const [k2, s2] of others) {
          const o = cidrOrIP(s2)
          if (!o) throw new BuiltinError(`invalid CIDR address: ${s2}`)
          if (contains(n, o)) out.add(Object.freeze([k1, k2]))
        }
      }
      return out
    },
  })
  reg.register({
    name: 'net.cidr_merge',
    args: [{ name: 'addrs', type: 'any<array[any<string>], set[string]>', description: 'CIDRs or IP addresses' }],
    result: { name: 'output', type: 'set[string]', description: 'smallest possible set of CIDRs obtained after merging the provided list of IP addresses and subnets in `addrs`' },
    description: 'Merges IP addresses and subnets into the smallest possible list of CIDRs (e.g., `net.cidr_merge(["192.0.128.0/24", "192.0.129.0/24"])` generates `{"192.0.128.0/23"}`. This function merges adjacent subnets where possible, those contained within others and also removes any duplicates.\nSupports both IPv4 and IPv6 notations. IPv6 inputs need a prefix length (e.g. "/128").',
    categories: ['net'],
    impl([a]) {
      let items: readonly Value[]
      if (Array.isArray(a)) items = a
      else if (a instanceof RSet) items = a.sortedValues()
      else throw operandTypeError(1, a!, 'array', 'set')
      return RSet.from(merge(items.map(mergeOperandItem)).map(formatNet))
    },
  })
  reg.register({
    name: 'net.cidr_overlap',
    args: [{ type: 'string' }, { type: 'string' }],
    result: { type: 'boolean' },
    description: 'Checks if an IP is contained within a CIDR (deprecated: use net.cidr_contains).',
    categories: ['net'],
    deprecated: true,
    impl([a, b]) {
      const net = cidrOperand(a!, 1)
      const s = stringOperand(b!, 2)
      const ip = parseIP(s)
      if (!ip) throw new BuiltinError(`invalid IP address: ${s}`)
      return contains(net, { ...ip, prefix: ip.bits })
    },
  })
}


