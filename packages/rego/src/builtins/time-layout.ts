/**
 * Go's time layouts (`2006-01-02T15:04:05Z07:00`): splitting a layout into its standard chunks,
 * and formatting and parsing with them, as Go's `time` package does.
 */

export type Chunk =
  | { kind: 'lit'; text: string }
  | { kind: 'std'; std: Std; digits?: number }

export type Std =
  | 'LongMonth' | 'Month' | 'NumMonth' | 'ZeroMonth'
  | 'LongWeekDay' | 'WeekDay'
  | 'Day' | 'UnderDay' | 'ZeroDay' | 'UnderYearDay' | 'ZeroYearDay'
  | 'Hour' | 'Hour12' | 'ZeroHour12'
  | 'Minute' | 'ZeroMinute' | 'Second' | 'ZeroSecond'
  | 'LongYear' | 'Year'
  | 'PM' | 'pm'
  | 'TZ'
  | 'ISO8601TZ' | 'ISO8601SecondsTZ' | 'ISO8601ShortTZ' | 'ISO8601ColonTZ' | 'ISO8601ColonSecondsTZ'
  | 'NumTZ' | 'NumSecondsTz' | 'NumShortTZ' | 'NumColonTZ' | 'NumColonSecondsTZ'
  | 'FracSecond0' | 'FracSecond9'

const isLower = (c: string | undefined): boolean => c !== undefined && c >= 'a' && c <= 'z'
const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9'

/** Splits a layout as Go's nextStdChunk does. */
export function chunks(layout: string): Chunk[] {
  const out: Chunk[] = []
  let lit = ''
  const push = (std: Std, len: number, digits?: number): number => {
    if (lit) out.push({ kind: 'lit', text: lit })
    lit = ''
    out.push({ kind: 'std', std, digits })
    return len
  }
  for (let i = 0; i < layout.length; ) {
    const rest = layout.slice(i)
    const c = layout[i]!
    let n = 0
    switch (c) {
      case 'J':
        if (rest.startsWith('January')) n = push('LongMonth', 7)
        else if (rest.startsWith('Jan') && !isLower(rest[3])) n = push('Month', 3)
        break
      case 'M':
        if (rest.startsWith('Monday')) n = push('LongWeekDay', 6)
        else if (rest.startsWith('Mon') && !isLower(rest[3])) n = push('WeekDay', 3)
        else if (rest.startsWith('MST')) n = push('TZ', 3)
        break
      case '0':
        if (rest[1] !== undefined && rest[1] >= '1' && rest[1] <= '6') {
          n = push((['ZeroMonth', 'ZeroDay', 'ZeroHour12', 'ZeroMinute', 'ZeroSecond', 'Year'] as const)[Number(rest[1]) - 1]!, 2)
        } else if (rest.startsWith('002')) n = push('ZeroYearDay', 3)
        break
      case '1':
        n = rest[1] === '5' ? push('Hour', 2) : push('NumMonth', 1)
        break
      case '2':
        n = rest.startsWith('2006') ? push('LongYear', 4) : push('Day', 1)
        break
      case '_':
        if (rest[1] === '2') {
          if (rest.startsWith('_2006')) {
            lit += '_'
            i++
            n = push('LongYear', 4)
          } else n = push('UnderDay', 2)
        } else if (rest.startsWith('__2')) n = push('UnderYearDay', 3)
        break
      case '3':
        n = push('Hour12', 1)
        break
      case '4':
        n = push('Minute', 1)
        break
      case '5':
        n = push('Second', 1)
        break
      case 'P':
        if (rest[1] === 'M') n = push('PM', 2)
        break
      case 'p':
        if (rest[1] === 'm') n = push('pm', 2)
        break
      case '-':
        if (rest.startsWith('-070000')) n = push('NumSecondsTz', 7)
        else if (rest.startsWith('-07:00:00')) n = push('NumColonSecondsTZ', 9)
        else if (rest.startsWith('-0700')) n = push('NumTZ', 5)
        else if (rest.startsWith('-07:00')) n = push('NumColonTZ', 6)
        else if (rest.startsWith('-07')) n = push('NumShortTZ', 3)
        break
      case 'Z':
        if (rest.startsWith('Z070000')) n = push('ISO8601SecondsTZ', 7)
        else if (rest.startsWith('Z07:00:00')) n = push('ISO8601ColonSecondsTZ', 9)
        else if (rest.startsWith('Z0700')) n = push('ISO8601TZ', 5)
        else if (rest.startsWith('Z07:00')) n = push('ISO8601ColonTZ', 6)
        else if (rest.startsWith('Z07')) n = push('ISO8601ShortTZ', 3)
        break
      case '.':
      case ',':
        if (rest[1] === '0' || rest[1] === '9') {
          let j = 1
          while (rest[j] === rest[1]) j++
          if (!isDigit(rest[j])) {
            lit += c
            i++
            n = push(rest[1] === '0' ? 'FracSecond0' : 'FracSecond9', j - 1, j - 1)
          }
        }
        break
    }
    if (n > 0) i += n
    else {
      lit += c
      i++
    }
  }
  if (lit) out.push({ kind: 'lit', text: lit })
  return out
}

export const LONG_MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December']
export const LONG_DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday']

/** Calendar fields of an instant in some zone. */
export interface Fields {
  year: number
  month: number // 1-12
  day: number
  hour: number
  minute: number
  second: number
  nanos: number
  weekday: number // 0 = Sunday
  yearDay: number
  /** Offset east of UTC in seconds, and the zone's abbreviation. */
  offset: number
  zone: string
}

const pad = (n: number, w: number, ch = '0'): string => String(n).padStart(w, ch)

function tz(offset: number, colon: boolean, seconds: boolean, short: boolean, z: boolean): string {
  if (z && offset === 0) return 'Z'
  const sign = offset < 0 ? '-' : '+'
  const a = Math.abs(offset)
  const h = pad(Math.floor(a / 3600), 2)
  const m = pad(Math.floor((a % 3600) / 60), 2)
  const s = pad(a % 60, 2)
  if (short) return sign + h
  const sep = colon ? ':' : ''
  return sign + h + sep + m + (seconds ? sep + s : '')
}

/** Formats fields with a layout, as Go's Time.Format. */
export function format(f: Fields, layout: string): string {
  let out = ''
  for (const c of chunks(layout)) {
    if (c.kind === 'lit') {
      out += c.text
      continue
    }
    const h12 = f.hour % 12 === 0 ? 12 : f.hour % 12
    switch (c.std) {
      case 'LongMonth': out += LONG_MONTHS[f.month - 1]; break
      case 'Month': out += LONG_MONTHS[f.month - 1]!.slice(0, 3); break
      case 'NumMonth': out += f.month; break
      case 'ZeroMonth': out += pad(f.month, 2); break
      case 'LongWeekDay': out += LONG_DAYS[f.weekday]; break
      case 'WeekDay': out += LONG_DAYS[f.weekday]!.slice(0, 3); break
      case 'Day': out += f.day; break
      case 'UnderDay': out += pad(f.day, 2, ' '); break
      case 'ZeroDay': out += pad(f.day, 2); break
      case 'UnderYearDay': out += pad(f.yearDay, 3, ' '); break
      case 'ZeroYearDay': out += pad(f.yearDay, 3); break
      case 'Hour': out += pad(f.hour, 2); break
      case 'Hour12': out += h12; break
      case 'ZeroHour12': out += pad(h12, 2); break
      case 'Minute': out += f.minute; break
      case 'ZeroMinute': out += pad(f.minute, 2); break
      case 'Second': out += f.second; break
      case 'ZeroSecond': out += pad(f.second, 2); break
      case 'LongYear': out += f.year < 0 ? '-' + pad(-f.year, 4) : pad(f.year, 4); break
      case 'Year': out += pad(((f.year % 100) + 100) % 100, 2); break
      case 'PM': out += f.hour >= 12 ? 'PM' : 'AM'; break
      case 'pm': out += f.hour >= 12 ? 'pm' : 'am'; break
      case 'TZ': out += f.zone || tz(f.offset, false, false, false, false); break
      case 'ISO8601TZ': out += tz(f.offset, false, false, false, true); break
      case 'ISO8601SecondsTZ': out += tz(f.offset, false, true, false, true); break
      case 'ISO8601ShortTZ': out += tz(f.offset, false, false, true, true); break
      case 'ISO8601ColonTZ': out += tz(f.offset, true, false, false, true); break
      case 'ISO8601ColonSecondsTZ': out += tz(f.offset, true, true, false, true); break
      case 'NumTZ': out += tz(f.offset, false, false, false, false); break
      case 'NumSecondsTz': out += tz(f.offset, false, true, false, false); break
      case 'NumShortTZ': out += tz(f.offset, false, false, true, false); break
      case 'NumColonTZ': out += tz(f.offset, true, false, false, false); break
      case 'NumColonSecondsTZ': out += tz(f.offset, true, true, false, false); break
      case 'FracSecond0': out += pad(f.nanos, 9).slice(0, c.digits); break
      case 'FracSecond9': {
        const frac = pad(f.nanos, 9).slice(0, c.digits).replace(/0+$/, '')
        if (frac) out += frac
        else out = out.replace(/[.,]$/, '')
        break
      }
    }
  }
  return out
}

/** What parsing a value with a layout found; absent fields take Go's defaults. */
export interface Parsed {
  year: number
  month: number
  day: number
  hour: number
  minute: number
  second: number
  nanos: number
  yearDay: number
  /** Offset in seconds when the value named one numerically (or `Z`). */
  offset?: number
  /** A zone abbreviation (`MST`) when the value named one. */
  zone?: string
}

export class LayoutError extends Error {}

function quote(s: string): string {
  return JSON.stringify(s)
}

/** Parses `value` with `layout`, as Go's time.Parse (errors read like Go's). */
export function parse(layout: string, value: string): Parsed {
  const p: Parsed = { year: 0, month: 1, day: 1, hour: 0, minute: 0, second: 0, nanos: 0, yearDay: -1 }
  let pm: boolean | undefined
  let v = value
  const fail = (elem: string, rest: string): never => {
    throw new LayoutError(`parsing time ${quote(value)} as ${quote(layout)}: cannot parse ${quote(rest)} as ${quote(elem)}`)
  }
  const num = (elem: string, min: number, max: number, fixed: boolean, pad?: string): number => {
    let s = v
    if (pad && s.startsWith(pad)) s = s.slice(pad.length)
    const m = fixed ? new RegExp(`^\\d{${max}}`).exec(s) : new RegExp(`^\\d{${min},${max}}`).exec(s)
    if (!m) return fail(elem, v)
    v = s.slice(m[0].length)
    return Number(m[0])
  }
  const cs = chunks(layout)
  for (let ci = 0; ci < cs.length; ci++) {
    const c = cs[ci]!
    if (c.kind === 'lit') {
      // Go skips leading spaces in both when the layout literal starts with a space.
      let text = c.text
      if (text.startsWith(' ')) {
        text = text.trimStart()
        v = v.trimStart()
      }
      if (!v.startsWith(text)) fail(text, v)
      v = v.slice(text.length)
      continue
    }
    const elem = layoutText(c)
    switch (c.std) {
      case 'LongYear': {
        const m = /^[+-]?\d{4}/.exec(v)
        if (!m || m[0].length !== 4) fail(elem, v)
        p.year = Number(m![0])
        v = v.slice(4)
        break
      }
      case 'Year': {
        const y = num(elem, 2, 2, true)
        p.year = y >= 69 ? 1900 + y : 2000 + y
        break
      }
      case 'LongMonth':
      case 'Month': {
        const names = c.std === 'LongMonth' ? LONG_MONTHS : LONG_MONTHS.map((m) => m.slice(0, 3))
        const i = names.findIndex((m) => v.toLowerCase().startsWith(m.toLowerCase()))
        if (i < 0) fail(elem, v)
        p.month = i + 1
        v = v.slice(names[i]!.length)
        break
      }
      case 'NumMonth':
      case 'ZeroMonth':
        p.month = num(elem, c.std === 'ZeroMonth' ? 2 : 1, 2, c.std === 'ZeroMonth')
        if (p.month < 1 || p.month > 12) throw new LayoutError(`parsing time ${quote(value)}: month out of range`)
        break
      case 'LongWeekDay':
      case 'WeekDay': {
        const names = c.std === 'LongWeekDay' ? LONG_DAYS : LONG_DAYS.map((d) => d.slice(0, 3))
        const i = names.findIndex((d) => v.toLowerCase().startsWith(d.toLowerCase()))
        if (i < 0) fail(elem, v)
        v = v.slice(names[i]!.length)
        break
      }
      case 'Day':
      case 'UnderDay':
      case 'ZeroDay':
        p.day = num(elem, c.std === 'ZeroDay' ? 2 : 1, 2, c.std === 'ZeroDay', c.std === 'UnderDay' ? ' ' : undefined)
        break
      case 'UnderYearDay':
      case 'ZeroYearDay':
        p.yearDay = num(elem, 3, 3, true, c.std === 'UnderYearDay' ? ' ' : undefined)
        break
      case 'Hour':
        p.hour = num(elem, 2, 2, false)
        if (p.hour > 23) throw new LayoutError(`parsing time ${quote(value)}: hour out of range`)
        break
      case 'Hour12':
      case 'ZeroHour12':
        p.hour = num(elem, c.std === 'ZeroHour12' ? 2 : 1, 2, c.std === 'ZeroHour12')
        if (p.hour > 12) throw new LayoutError(`parsing time ${quote(value)}: hour out of range`)
        break
      case 'Minute':
      case 'ZeroMinute':
        p.minute = num(elem, c.std === 'ZeroMinute' ? 2 : 1, 2, c.std === 'ZeroMinute')
        if (p.minute > 59) throw new LayoutError(`parsing time ${quote(value)}: minute out of range`)
        break
      case 'Second':
      case 'ZeroSecond': {
        p.second = num(elem, c.std === 'ZeroSecond' ? 2 : 1, 2, c.std === 'ZeroSecond')
        if (p.second > 59) throw new LayoutError(`parsing time ${quote(value)}: second out of range`)
        // A fraction after the seconds is accepted even when the layout has none (as Go does).
        const next = cs[ci + 1]
        if (/^[.,]\d/.test(v) && !(next && next.kind === 'std' && (next.std === 'FracSecond0' || next.std === 'FracSecond9'))) {
          const m = /^[.,](\d+)/.exec(v)!
          p.nanos = Number((m[1]! + '000000000').slice(0, 9))
          v = v.slice(m[0].length)
        }
        break
      }
      case 'FracSecond0': {
        const m = new RegExp(`^\\d{${c.digits}}`).exec(v)
        if (!m) fail(elem, v)
        p.nanos = Number((m![0] + '000000000').slice(0, 9))
        v = v.slice(m![0].length)
        break
      }
      case 'FracSecond9': {
        const m = /^\d+/.exec(v)
        if (m) {
          p.nanos = Number((m[0] + '000000000').slice(0, 9))
          v = v.slice(m[0].length)
        } else if (/^[.,]$/.test(value[value.length - v.length - 1] ?? '')) {
          // the separator was consumed as a literal; Go accepts an empty fraction only when absent
        }
        break
      }
      case 'PM':
      case 'pm': {
        const s = v.slice(0, 2).toUpperCase()
        if (s !== 'AM' && s !== 'PM') fail(elem, v)
        pm = s === 'PM'
        v = v.slice(2)
        break
      }
      case 'TZ': {
        if (v.startsWith('UTC')) {
          p.offset = 0
          p.zone = 'UTC'
          v = v.slice(3)
          break
        }
        const m = /^[A-Z]{3,5}/.exec(v)
        if (!m) fail(elem, v)
        p.zone = m![0]
        v = v.slice(m![0].length)
        break
      }
      default: {
        // Numeric zones; the ISO forms also accept Z.
        if (c.std.startsWith('ISO8601') && v.startsWith('Z')) {
          p.offset = 0
          v = v.slice(1)
          break
        }
        const colon = c.std.includes('Colon')
        const withSeconds = c.std.includes('Seconds')
        const short = c.std.includes('Short')
        const re = short ? /^([+-])(\d\d)/ : colon ? (withSeconds ? /^([+-])(\d\d):(\d\d):(\d\d)/ : /^([+-])(\d\d):(\d\d)/) : withSeconds ? /^([+-])(\d\d)(\d\d)(\d\d)/ : /^([+-])(\d\d)(\d\d)/
        const m = re.exec(v)
        if (!m) fail(elem, v)
        const [, sign, hh, mm, ss] = m!
        const secs = Number(hh) * 3600 + Number(mm ?? 0) * 60 + Number(ss ?? 0)
        p.offset = sign === '-' ? -secs : secs
        v = v.slice(m![0].length)
      }
    }
  }
  if (v.length > 0) throw new LayoutError(`parsing time ${quote(value)}: extra text: ${quote(v)}`)
  if (pm !== undefined) {
    if (pm && p.hour < 12) p.hour += 12
    else if (!pm && p.hour === 12) p.hour = 0
  }
  if (p.day < 1 || p.day > daysIn(p.year, p.month)) throw new LayoutError(`parsing time ${quote(value)}: day out of range`)
  return p
}

function layoutText(c: Chunk & { kind: 'std' }): string {
  const map: Partial<Record<Std, string>> = {
    LongMonth: 'January', Month: 'Jan', NumMonth: '1', ZeroMonth: '01', LongWeekDay: 'Monday', WeekDay: 'Mon',
    Day: '2', UnderDay: '_2', ZeroDay: '02', UnderYearDay: '__2', ZeroYearDay: '002', Hour: '15', Hour12: '3',
    ZeroHour12: '03', Minute: '4', ZeroMinute: '04', Second: '5', ZeroSecond: '05', LongYear: '2006', Year: '06',
    PM: 'PM', pm: 'pm', TZ: 'MST', ISO8601TZ: 'Z0700', ISO8601SecondsTZ: 'Z070000', ISO8601ShortTZ: 'Z07',
    ISO8601ColonTZ: 'Z07:00', ISO8601ColonSecondsTZ: 'Z07:00:00', NumTZ: '-0700', NumSecondsTz: '-070000',
    NumShortTZ: '-07', NumColonTZ: '-07:00', NumColonSecondsTZ: '-07:00:00',
  }
  if (c.std === 'FracSecond0') return '.' + '0'.repeat(c.digits ?? 1)
  if (c.std === 'FracSecond9') return '.' + '9'.repeat(c.digits ?? 1)
  return map[c.std] ?? c.std
}

export function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate()
}
