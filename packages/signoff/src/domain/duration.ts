const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }

/**
 * Parses a duration like `90s`, `30m`, `1h30m`, `2d` (Go-style units plus `d`) into
 * milliseconds. A bare number counts as seconds. Returns `null` for anything else.
 */
export function parseDuration(text: string | number): number | null {
  if (typeof text === 'number') return Number.isFinite(text) && text >= 0 ? text * 1000 : null
  const s = text.trim()
  if (/^\d+(\.\d+)?$/.test(s)) return Number(s) * 1000
  if (!/^(\d+(\.\d+)?(ms|s|m|h|d))+$/.test(s)) return null
  let total = 0
  for (const m of s.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d)/g)) total += Number(m[1]) * (UNITS[m[2]!] ?? 0)
  return total
}
