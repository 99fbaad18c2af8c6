/**
 * `regex.globs_match`: whether two glob-style patterns (OPA uses gintersect) share a non-empty
 * string. Only `.`, `*`, `+`, `[`, `-`, `]` and `\` are special; each pattern matches whole
 * strings. Decided by a breadth-first search over the product of the two patterns' automata.
 */
import { BuiltinError } from './builtin.js'

/** A character class as inclusive code-point ranges; `null` is `.` (any character). */
type CharSet = readonly (readonly [number, number])[] | null

interface Token {
  readonly set: CharSet
  /** `*`: zero or more. `+` is expanded into the token followed by its starred copy. */
  readonly star: boolean
}

function invalid(input: string, pos: number, msg: string): BuiltinError {
  return new BuiltinError(`input:${input}, pos:${pos}, ${msg}: the input provided is invalid`)
}

function tokenize(input: string): Token[] {
  const rs = Array.from(input)
  const out: Token[] = []
  let i = 0
  const lastToken = (pos: number, q: string): Token => {
    const t = out[out.length - 1]
    if (t === undefined || t.star) throw invalid(input, pos, `quantifier '${q}' with no preceding token`)
    return t
  }
  while (i < rs.length) {
    const r = rs[i]!
    if (r === '*') {
      const t = lastToken(i + 1, '*')
      out[out.length - 1] = { set: t.set, star: true }
      i++
    } else if (r === '+') {
      const t = lastToken(i + 1, '+')
      out.push({ set: t.set, star: true })
      i++
    } else if (r === '.') {
      out.push({ set: null, star: false })
      i++
    } else if (r === ']') {
      throw invalid(input, i + 1, "set-close ']' with no preceding '['")
    } else if (r === '\\') {
      if (i + 1 >= rs.length) throw invalid(input, i + 1, "escape '\\' with no following character")
      const c = rs[i + 1]!.codePointAt(0)!
      out.push({ set: [[c, c]], star: false })
      i += 2
    } else if (r === '[') {
      const start = i
      i++
      const ranges: [number, number][] = []
      let closed = false
      while (i < rs.length) {
        let c = rs[i]!
        if (c === ']') {
          closed = true
          i++
          break
        }
        if (c === '\\') {
          i++
          if (i >= rs.length) break
          c = rs[i]!
        }
        const lo = c.codePointAt(0)!
        if (rs[i + 1] === '-' && i + 2 < rs.length && rs[i + 2] !== ']') {
          let hiC = rs[i + 2]!
          let skip = 3
          if (hiC === '\\' && i + 3 < rs.length) {
            hiC = rs[i + 3]!
            skip = 4
          }
          const hi = hiC.codePointAt(0)!
          if (hi < lo) throw invalid(input, i + skip, `range '${c}-${hiC}' is out of order`)
          ranges.push([lo, hi])
          i += skip
        } else {
          ranges.push([lo, lo])
          i++
        }
      }
      if (!closed) throw invalid(input, start + 1, "set-open '[' with no closing ']'")
      if (ranges.length === 0) throw invalid(input, i, 'empty set')
      out.push({ set: ranges, star: false })
    } else {
      const c = r.codePointAt(0)!
      out.push({ set: [[c, c]], star: false })
      i++
    }
  }
  return out
}

function intersects(a: CharSet, b: CharSet): boolean {
  if (a === null || b === null) return true
  for (const [lo1, hi1] of a) for (const [lo2, hi2] of b) if (Math.max(lo1, lo2) <= Math.min(hi1, hi2)) return true
  return false
}

/** States reachable from `i` by skipping starred tokens. */
function closure(ts: readonly Token[], i: number): number[] {
  const out = [i]
  while (i < ts.length && ts[i]!.star) out.push(++i)
  return out
}

/** True when some non-empty string matches both globs. */
export function globsIntersect(g1: string, g2: string): boolean {
  const a = tokenize(g1)
  const b = tokenize(g2)
  const seen = new Set<string>()
  const queue: [number, number, boolean][] = []
  const push = (i: number, j: number, consumed: boolean): void => {
    for (const x of closure(a, i))
      for (const y of closure(b, j)) {
        const k = `${x},${y},${consumed}`
        if (!seen.has(k)) {
          seen.add(k)
          queue.push([x, y, consumed])
        }
      }
  }
  push(0, 0, false)
  while (queue.length > 0) {
    const [i, j, consumed] = queue.shift()!
    if (consumed && i === a.length && j === b.length) return true
    if (i >= a.length || j >= b.length) continue
    const ta = a[i]!
    const tb = b[j]!
    if (intersects(ta.set, tb.set)) push(ta.star ? i : i + 1, tb.star ? j : j + 1, true)
  }
  return false
}
