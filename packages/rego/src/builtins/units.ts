/**
 * `units.parse` and `units.parse_bytes` (OPA `topdown/parse_units.go`, `parse_bytes.go`): a
 * decimal amount (with optional exponent) followed by an SI or IEC suffix, computed exactly as a
 * rational; `units.parse_bytes` truncates to an integer.
 */
import { BuiltinError, type BuiltinRegistry } from './builtin.js'
import { stringOperand } from './operands.js'
import { normalizeInt, type Value } from '../value/value.js'

interface Rat {
  readonly n: bigint
  readonly d: bigint
}

const pow = (b: bigint, e: number): bigint => b ** BigInt(e)
const SI = (e: number): Rat => ({ n: pow(1000n, e), d: 1n })
const IEC = (e: number): Rat => ({ n: pow(1024n, e), d: 1n })

/** Splits `12.5e3Ki` into `12.5e3` and `Ki`; an `e` is part of the number only before digits. */
function splitAmount(s: string): [string, string] {
  const digit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9'
  let i = 0
  if (s[i] === '+' || s[i] === '-') i++
  while (digit(s[i]) || s[i] === '.') i++
  if (i > 0 && (s[i] === 'e' || s[i] === 'E')) {
    let j = i + 1
    if (s[j] === '+' || s[j] === '-') j++
    if (digit(s[j])) {
      while (digit(s[j])) j++
      i = j
    }
  }
  if (i === 1 && (s[0] === '+' || s[0] === '-')) i = 0
  return [s.slice(0, i), s.slice(i)]
}

/** A decimal string as an exact rational, or undefined when it is not one. */
function parseDecimal(num: string): Rat | undefined {
  const m = /^([+-]?)([0-9]*)(?:\.([0-9]*))?(?:[eE]([+-]?[0-9]+))?$/.exec(num)
  if (m === null) return undefined
  const [, sign, int = '', frac = '', exp = '0'] = m
  if (int === '' && frac === '') return undefined
  let n = BigInt((int || '0') + frac)
  let d = pow(10n, frac.length)
  const e = Number(exp)
  if (e >= 0) n *= pow(10n, e)
  else d *= pow(10n, -e)
  return { n: sign === '-' ? -n : n, d }
}

/** A rational as a Rego number: exact integers, otherwise the nearest double. */
function ratToNumber(r: Rat): Value {
  if (r.n % r.d === 0n) return normalizeInt(r.n / r.d)
  const neg = r.n < 0n
  const a = neg ? -r.n : r.n
  const intPart = a / r.d
  let rem = a % r.d
  let digits = ''
  for (let k = 0; k < 40 && rem !== 0n; k++) {
    rem *= 10n
    digits += (rem / r.d).toString()
    rem %= r.d
  }
  return Number((neg ? '-' : '') + intPart.toString() + '.' + digits)
}

const UNITS: Record<string, Rat> = {
  '': { n: 1n, d: 1n },
  m: { n: 1n, d: 1000n },
  k: SI(1), K: SI(1), ki: IEC(1), Ki: IEC(1),
  M: SI(2), mi: IEC(2), Mi: IEC(2),
  g: SI(3), G: SI(3), gi: IEC(3), Gi: IEC(3),
  t: SI(4), T: SI(4), ti: IEC(4), Ti: IEC(4),
  p: SI(5), P: SI(5), pi: IEC(5), Pi: IEC(5),
  e: SI(6), E: SI(6), ei: IEC(6), Ei: IEC(6),
}

const BYTE_UNITS: Record<string, Rat> = {
  '': { n: 1n, d: 1n },
  k: SI(1), kb: SI(1), ki: IEC(1), kib: IEC(1),
  m: SI(2), mb: SI(2), mi: IEC(2), mib: IEC(2),
  g: SI(3), gb: SI(3), gi: IEC(3), gib: IEC(3),
  t: SI(4), tb: SI(4), ti: IEC(4), tib: IEC(4),
  p: SI(5), pb: SI(5), pi: IEC(5), pib: IEC(5),
  e: SI(6), eb: SI(6), ei: IEC(6), eib: IEC(6),
}

export function parseUnits(raw: string): Value {
  const s = raw.replaceAll('"', '')
  if (s.includes(' ')) throw new BuiltinError('spaces not allowed in resource strings')
  const [num, u] = splitAmount(s)
  if (num === '') throw new BuiltinError('no amount provided')
  // Only letters after the first are lower-cased, so that `m` and `M` stay apart.
  const unit = u.length > 1 ? u[0] + u.slice(1).toLowerCase() : u
  const mult = Object.hasOwn(UNITS, unit) ? UNITS[unit] : undefined
  if (mult === undefined) throw new BuiltinError(`unit ${unit} not recognized`)
  const x = parseDecimal(num)
  if (x === undefined) throw new BuiltinError('could not parse amount to a number')
  return ratToNumber({ n: x.n * mult.n, d: x.d * mult.d })
}

export function parseBytes(raw: string): Value {
  const s = raw.replaceAll('"', '').toLowerCase()
  if (s.includes(' ')) throw new BuiltinError('spaces not allowed in resource strings')
  const [num, unit] = splitAmount(s)
  if (num === '') throw new BuiltinError('no byte amount provided')
  const mult = Object.hasOwn(BYTE_UNITS, unit) ? BYTE_UNITS[unit] : undefined
  if (mult === undefined) throw new BuiltinError(`byte unit ${unit} not recognized`)
  const x = parseDecimal(num)
  if (x === undefined) throw new BuiltinError('could not parse byte amount to a number')
  return normalizeInt((x.n * mult.n) / (x.d * mult.d))
}

export function register(reg: BuiltinRegistry): void {
  reg.register({
    name: 'units.parse',
    args: [{ name: 'x', type: 'string', description: 'the unit to parse' }],
    result: { name: 'y', type: 'number', description: 'the parsed number' },
    description:
      'Converts strings like "10G", "5K", "4M", "1500m", and the like into a number.\nThis number can be a non-integer, such as 1.5, 0.22, etc. Scientific notation is supported,\nallowing values such as "1e-3K" (1) or "2.5e6M" (2.5 million M).\n\nSupports standard metric decimal and binary SI units (e.g., K, Ki, M, Mi, G, Gi, etc.) where\nm, K, M, G, T, P, and E are treated as decimal units and Ki, Mi, Gi, Ti, Pi, and Ei are treated as\nbinary units.\n\nNote that \'m\' and \'M\' are case-sensitive to allow distinguishing between "milli" and "mega" units\nrespectively. Other units are case-insensitive.',
    categories: ['units'],
    impl: ([x]) => parseUnits(stringOperand(x!, 1)),
  })
  reg.register({
    name: 'units.parse_bytes',
    args: [{ name: 'x', type: 'string', description: 'the byte unit to parse' }],
    result: { name: 'y', type: 'number', description: 'the parsed number' },
    description:
      'Converts strings like "10GB", "5K", "4mb", or "1e6KB" into an integer number of bytes.\n\nSupports standard byte units (e.g., KB, KiB, etc.) where KB, MB, GB, and TB are treated as decimal\nunits, and KiB, MiB, GiB, and TiB are treated as binary units. Scientific notation is supported,\nenabling values like "1.5e3MB" (1500MB) or "2e6GiB" (2 million GiB).\n\nThe bytes symbol (b/B) in the unit is optional; omitting it will yield the same result (e.g., "Mi"\nand "MiB" are equivalent).',
    categories: ['units'],
    impl: ([x]) => parseBytes(stringOperand(x!, 1)),
  })
}
