/**
 * Time built-ins (OPA `topdown/time.go`): nanosecond timestamps (exact, as bigint), Go layouts,
 * IANA time zones through Intl, and OPA's range limits. `time.now_ns` is the evaluation's clock,
 * fixed for one evaluation and injected by the caller.
 */
import { BuiltinError, type BuiltinRegistry } from './builtin.js'
import { numberOperand, operandTypeError, stringOperand } from './operands.js'
import { LayoutError, LONG_DAYS, format, parse, type Fields, type Parsed } from './time-layout.js'
import { normalizeInt, type Value } from '../value/value.js'

const NS = 1_000_000_000n
const MIN_NS = -(1n << 63n)
const MAX_NS = (1n << 63n) - 1n
const RFC3339 = '2006-01-02T15:04:05Z07:00'
const RFC3339_NANO = '2006-01-02T15:04:05.999999999Z07:00'

/** Go's named layouts, accepted wherever a layout is. */
const NAMED_LAYOUTS: Readonly<Record<string, string>> = {
  ANSIC: 'Mon Jan _2 15:04:05 2006',
  UnixDate: 'Mon Jan _2 15:04:05 MST 2006',
  RubyDate: 'Mon Jan 02 15:04:05 -0700 2006',
  RFC822: '02 Jan 06 15:04 MST',
  RFC822Z: '02 Jan 06 15:04 -0700',
  RFC850: 'Monday, 02-Jan-06 15:04:05 MST',
  RFC1123: 'Mon, 02 Jan 2006 15:04:05 MST',
  RFC1123Z: 'Mon, 02 Jan 2006 15:04:05 -0700',
  RFC3339,
  RFC3339Nano: RFC3339_NANO,
  Kitchen: '3:04PM',
  Stamp: 'Jan _2 15:04:05',
  StampMilli: 'Jan _2 15:04:05.000',
  StampMicro: 'Jan _2 15:04:05.000000',
  StampNano: 'Jan _2 15:04:05.000000000',
  DateTime: '2006-01-02 15:04:05',
  DateOnly: '2006-01-02',
  TimeOnly: '15:04:05',
}

const layoutOf = (s: string): string => NAMED_LAYOUTS[s] ?? s

// ---- zones -------------------------------------------------------------------------------------

const formatters = new Map<string, Intl.DateTimeFormat>()

/** The zone name OPA resolves: "" and "UTC" are UTC, "Local" the process's zone. */
function zoneName(tz: string): string {
  if (tz === '' || tz === 'UTC') return 'UTC'
  if (tz === 'Local') return Intl.DateTimeFormat().resolvedOptions().timeZone
  return tz
}

function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz)
  if (!f) {
    try {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone: tz,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
        timeZoneName: 'short',
        era: 'short',
      })
    } catch {
      throw new BuiltinError(`unknown time zone ${tz}`)
    }
    formatters.set(tz, f)
  }
  return f
}

/** Offset east of UTC (seconds) and abbreviation of a zone at an instant. */
function zoneAt(tz: string, ms: number): { offset: number; abbr: string } {
  if (tz === 'UTC') return { offset: 0, abbr: 'UTC' }
  const parts = formatter(tz).formatToParts(new Date(ms))
  const get = (t: string): string => parts.find((p) => p.type === t)?.value ?? '0'
  let year = Number(get('year'))
  if (get('era') === 'BC' || get('era') === 'B') year = 1 - year
  const asUTC = Date.UTC(year, Number(get('month')) - 1, Number(get('day')), Number(get('hour')), Number(get('minute')), Number(get('second')))
  const wall = Math.floor(ms / 1000) * 1000
  const offset = Math.round((asUTC - wall) / 1000)
  const name = get('timeZoneName')
  return { offset, abbr: /^GMT[+-]/.test(name) || name === '0' ? '' : name }
}

// ---- timestamps --------------------------------------------------------------------------------

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b
  return a % b !== 0n && a < 0n ? q - 1n : q
}

/** A timestamp operand: nanoseconds since the epoch within int64 ("timestamp too big" otherwise). */
function nsValue(v: Value, pos: number): bigint {
  const n = numberOperand(v, pos)
  const b = typeof n === 'bigint' ? n : Number.isFinite(n) && Math.abs(n) < 1e20 ? BigInt(Math.trunc(n)) : undefined
  if (b === undefined || b < MIN_NS || b > MAX_NS) throw new BuiltinError('timestamp too big')
  return b
}

/** `ns` or `[ns, tz]` (and `[ns, tz, layout]` where allowed). */
function timeArg(v: Value, pos: number, allowLayout = false): { ns: bigint; tz: string; layout?: string } {
  if (Array.isArray(v)) {
    const max = allowLayout ? 3 : 2
    if (v.length < 1 || v.length > max) throw new BuiltinError(`array argument must have ${allowLayout ? 'two or three' : 'two'} elements`)
    const ns = nsValue(v[0]!, pos)
    const tz = v.length >= 2 ? zoneName(stringOperand(v[1]!, pos)) : 'UTC'
    const layout = v.length === 3 ? layoutOf(stringOperand(v[2]!, pos)) : undefined
    return { ns, tz, layout }
  }
  if (typeof v === 'number' || typeof v === 'bigint') return { ns: nsValue(v, pos), tz: 'UTC' }
  throw operandTypeError(pos, v, 'number', 'array')
}

/** Calendar fields of an instant in a zone. */
function fieldsOf(ns: bigint, tz: string): Fields {
  const sec = floorDiv(ns, NS)
  const nanos = Number(ns - sec * NS)
  const ms = Number(sec) * 1000
  formatter(tz === 'UTC' ? 'UTC' : tz)
  const z = zoneAt(tz, ms)
  const d = new Date(ms + z.offset * 1000)
  const year = d.getUTCFullYear()
  const month = d.getUTCMonth() + 1
  const day = d.getUTCDate()
  return {
    year,
    month,
    day,
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    nanos,
    weekday: d.getUTCDay(),
    yearDay: Math.round((Date.UTC(year, month - 1, day) - Date.UTC(year, 0, 1)) / 86_400_000) + 1,
    offset: z.offset,
    zone: z.abbr,
  }
}

function checked(ns: bigint): bigint {
  if (ns < MIN_NS || ns > MAX_NS) throw new BuiltinError('time outside of valid range')
  return ns
}

/** UTC nanoseconds of wall-clock fields (normalised like Go's time.Date) minus an offset. */
function toNs(year: number, month: number, day: number, hour: number, minute: number, second: number, nanos: number, offset: number): bigint {
  const d = new Date(0)
  d.setUTCFullYear(year, month - 1, day)
  d.setUTCHours(hour, minute, second, 0)
  return BigInt(d.getTime() / 1000 - offset) * NS + BigInt(nanos)
}

function parsedToNs(p: Parsed): bigint {
  let { month, day } = p
  if (p.yearDay > 0) {
    const d = new Date(Date.UTC(p.year, 0, p.yearDay))
    month = d.getUTCMonth() + 1
    day = d.getUTCDate()
  }
  // A named zone other than UTC is recorded with offset 0 unless it is the local zone's (as Go).
  let offset = p.offset ?? 0
  if (p.offset === undefined && p.zone && p.zone !== 'UTC') {
    const local = zoneName('Local')
    const guess = toNs(p.year, month, day, p.hour, p.minute, p.second, p.nanos, 0)
    const z = zoneAt(local, Number(floorDiv(guess, 1_000_000n)))
    if (z.abbr === p.zone) offset = z.offset
  }
  return checked(toNs(p.year, month, day, p.hour, p.minute, p.second, p.nanos, offset))
}

function parseWith(layout: string, value: string): bigint {
  try {
    return parsedToNs(parse(layout, value))
  } catch (e) {
    if (e instanceof LayoutError) throw new BuiltinError(e.message)
    throw e
  }
}

// ---- durations ---------------------------------------------------------------------------------

const UNITS: Readonly<Record<string, bigint>> = { ns: 1n, us: 1000n, 'µs': 1000n, 'μs': 1000n, ms: 1_000_000n, s: NS, m: 60n * NS, h: 3600n * NS }

/** Go's time.ParseDuration, exact. */
function parseDuration(s: string): bigint {
  const bad = (): never => {
    throw new BuiltinError(`time: invalid duration ${JSON.stringify(s)}`)
  }
  let rest = s
  let neg = false
  if (rest[0] === '-' || rest[0] === '+') {
    neg = rest[0] === '-'
    rest = rest.slice(1)
  }
  if (rest === '0') return 0n
  if (rest === '') bad()
  let total = 0n
  while (rest !== '') {
    const m = /^(\d*)(?:\.(\d*))?/.exec(rest)!
    if (m[0] === '' || m[0] === '.' || (m[1] === '' && (m[2] ?? '') === '')) bad()
    rest = rest.slice(m[0].length)
    const u = /^[^\d.]+/.exec(rest)
    if (!u) throw new BuiltinError(`time: missing unit in duration ${JSON.stringify(s)}`)
    const unit = UNITS[u[0]]
    if (unit === undefined) throw new BuiltinError(`time: unknown unit ${JSON.stringify(u[0])} in duration ${JSON.stringify(s)}`)
    rest = rest.slice(u[0].length)
    const whole = BigInt(m[1] || '0') * unit
    const frac = m[2] ? (BigInt(m[2]) * unit) / 10n ** BigInt(m[2].length) : 0n
    total += whole + frac
    if (total > MAX_NS) bad()
  }
  return neg ? -total : total
}

// ---- diff --------------------------------------------------------------------------------------

/** Years, months, days, hours, minutes, seconds between two instants (OPA's time.diff). */
function diff(a: Fields, b: Fields, aNs: bigint, bNs: bigint): number[] {
  if (aNs > bNs) [a, b] = [b, a]
  let year = b.year - a.year
  let month = b.month - a.month
  let day = b.day - a.day
  let hour = b.hour - a.hour
  let min = b.minute - a.minute
  let sec = b.second - a.second
  if (sec < 0) {
    sec += 60
    min--
  }
  if (min < 0) {
    min += 60
    hour--
  }
  if (hour < 0) {
    hour += 24
    day--
  }
  if (day < 0) {
    // Days in a's month: Go normalises day 32 and subtracts.
    day += 32 - new Date(Date.UTC(a.year, a.month - 1, 32)).getUTCDate()
    month--
  }
  if (month < 0) {
    month += 12
    year--
  }
  return [year, month, day, hour, min, sec]
}

// ---- registration ------------------------------------------------------------------------------

const NS_OR_ARRAY = 'any<number, array<number, string>>'
const time = ['time'] as const

export function register(reg: BuiltinRegistry): void {
  reg.register({
    name: 'time.now_ns',
    args: [],
    result: { name: 'now', type: 'number', description: 'nanoseconds since epoch' },
    description: 'Returns the current time since epoch in nanoseconds.',
    categories: time,
    nondeterministic: true,
    impl: (_args, ctx) => normalizeInt(ctx.timeNs),
  })
  reg.register({
    name: 'time.parse_ns',
    args: [
      { name: 'layout', type: 'string', description: 'format used for parsing, see the [Go `time` package documentation](https://golang.org/pkg/time/#Parse) for more details' },
      { name: 'value', type: 'string', description: 'input to parse according to `layout`' },
    ],
    result: { name: 'ns', type: 'number', description: '`value` in nanoseconds since epoch' },
    description: 'Returns the time in nanoseconds parsed from the string in the given format. `undefined` if the result would be outside the valid time range that can fit within an `int64`.',
    categories: time,
    impl: ([l, v]) => normalizeInt(parseWith(layoutOf(stringOperand(l!, 1)), stringOperand(v!, 2))),
  })
  reg.register({
    name: 'time.parse_rfc3339_ns',
    args: [{ name: 'value', type: 'string', description: 'input string to parse in RFC3339 format' }],
    result: { name: 'ns', type: 'number', description: '`value` in nanoseconds since epoch' },
    description: 'Returns the time in nanoseconds parsed from the string in RFC3339 format. `undefined` if the result would be outside the valid time range that can fit within an `int64`.',
    categories: time,
    impl: ([v]) => normalizeInt(parseWith(RFC3339, stringOperand(v!, 1))),
  })
  reg.register({
    name: 'time.parse_duration_ns',
    args: [{ name: 'duration', type: 'string', description: 'the duration to parse' }],
    result: { name: 'ns', type: 'number', description: 'the `duration` in nanoseconds' },
    description: 'Returns the duration in nanoseconds represented by a string.',
    categories: time,
    impl: ([v]) => normalizeInt(parseDuration(stringOperand(v!, 1))),
  })
  reg.register({
    name: 'time.format',
    args: [{ name: 'x', type: 'any<number, array<number, string>, array<number, string, string>>', description: 'a number representing the nanoseconds since the epoch (UTC); or a two-element array of the nanoseconds, and a timezone string; or a three-element array of ns, timezone string and a layout string or golang defined formatting constant (see golang supported time formats)' }],
    result: { name: 'formatted timestamp', type: 'string', description: 'the formatted timestamp represented for the nanoseconds since the epoch in the supplied timezone (or UTC)' },
    description: 'Returns the formatted timestamp for the nanoseconds since epoch.',
    categories: time,
    impl([x]) {
      const t = timeArg(x!, 1, true)
      return format(fieldsOf(t.ns, t.tz), t.layout ?? RFC3339_NANO)
    },
  })
  reg.register({
    name: 'time.date',
    args: [{ name: 'x', type: NS_OR_ARRAY, description: 'a number representing the nanoseconds since the epoch (UTC); or a two-element array of the nanoseconds, and a timezone string' }],
    result: { name: 'date', type: 'array<number, number, number>', description: 'an array of `year`, `month` (1-12), and `day` (1-31)' },
    description: 'Returns the `[year, month, day]` for the nanoseconds since epoch.',
    categories: time,
    impl([x]) {
      const t = timeArg(x!, 1)
      const f = fieldsOf(t.ns, t.tz)
      return Object.freeze([f.year, f.month, f.day])
    },
  })
  reg.register({
    name: 'time.clock',
    args: [{ name: 'x', type: NS_OR_ARRAY, description: 'a number representing the nanoseconds since the epoch (UTC); or a two-element array of the nanoseconds, and a timezone string' }],
    result: { name: 'output', type: 'array<number, number, number>', description: 'the `hour`, `minute` (0-59), and `second` (0-59) representing the time of day for the nanoseconds since epoch in the supplied timezone (or UTC)' },
    description: 'Returns the `[hour, minute, second]` of the day for the nanoseconds since epoch.',
    categories: time,
    impl([x]) {
      const t = timeArg(x!, 1)
      const f = fieldsOf(t.ns, t.tz)
      return Object.freeze([f.hour, f.minute, f.second])
    },
  })
  reg.register({
    name: 'time.weekday',
    args: [{ name: 'x', type: NS_OR_ARRAY, description: 'a number representing the nanoseconds since the epoch (UTC); or a two-element array of the nanoseconds, and a timezone string' }],
    result: { name: 'day', type: 'string', description: 'the weekday represented by `ns` nanoseconds since the epoch in the supplied timezone (or UTC)' },
    description: 'Returns the day of the week (Monday, Tuesday, ...) for the nanoseconds since epoch.',
    categories: time,
    impl([x]) {
      const t = timeArg(x!, 1)
      return LONG_DAYS[fieldsOf(t.ns, t.tz).weekday]!
    },
  })
  reg.register({
    name: 'time.add_date',
    args: [
      { name: 'ns', type: 'number', description: 'nanoseconds since the epoch' },
      { name: 'years', type: 'number', description: 'number of years to add' },
      { name: 'months', type: 'number', description: 'number of months to add' },
      { name: 'days', type: 'number', description: 'number of days to add' },
    ],
    result: { name: 'output', type: 'number', description: 'nanoseconds since the epoch representing the input time, with years, months and days added' },
    description: 'Returns the nanoseconds since epoch after adding years, months and days to nanoseconds. Month & day values outside their usual ranges after the operation and will be normalized - for example, October 32 would become November 1. `undefined` if the result would be outside the valid time range that can fit within an `int64`.',
    categories: time,
    impl([n, y, m, d]) {
      const ns = nsValue(n!, 1)
      const f = fieldsOf(ns, 'UTC')
      const add = (v: Value, pos: number): number => Math.trunc(Number(numberOperand(v, pos)))
      return normalizeInt(checked(toNs(f.year + add(y!, 2), f.month + add(m!, 3), f.day + add(d!, 4), f.hour, f.minute, f.second, f.nanos, 0)))
    },
  })
  reg.register({
    name: 'time.diff',
    args: [
      { name: 'ns1', type: NS_OR_ARRAY, description: 'nanoseconds since the epoch; or a two-element array of the nanoseconds, and a timezone string' },
      { name: 'ns2', type: NS_OR_ARRAY, description: 'nanoseconds since the epoch; or a two-element array of the nanoseconds, and a timezone string' },
    ],
    result: { name: 'output', type: 'array<number, number, number, number, number, number>', description: 'difference between `ns1` and `ns2` (in their supplied timezones, if supplied, or UTC) as array of numbers: `[years, months, days, hours, minutes, seconds]`' },
    description: 'Returns the difference between two unix timestamps in nanoseconds (with optional timezone strings).',
    categories: time,
    impl([a, b]) {
      const x = timeArg(a!, 1)
      const y = timeArg(b!, 2)
      // The second time is read in the first one's zone, as Go's diff does.
      return Object.freeze(diff(fieldsOf(x.ns, x.tz), fieldsOf(y.ns, x.tz), x.ns, y.ns))
    },
  })
}
