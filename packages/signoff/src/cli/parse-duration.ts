import { CliError } from './cli-error.js'

const UNITS: Readonly<Record<string, number>> = Object.freeze({ ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 })

/**
 * Parses a CLI duration: `90` (seconds), `90s`, `5m`, `1h30m`, `250ms`. Throws a {@link CliError}
 * naming the option for anything else.
 */
export function parseDuration(text: string, option: string): number {
  const t = text.trim()
  if (/^\d+(\.\d+)?$/.test(t)) return Math.round(Number(t) * 1000)
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/gy
  let total = 0
  let end = 0
  for (let m = re.exec(t); m; m = re.exec(t)) {
    total += Number(m[1]) * (UNITS[m[2] as string] as number)
    end = re.lastIndex
  }
  if (end === 0 || end !== t.length) throw new CliError(`${option}: not a duration: ${JSON.stringify(text)} (use e.g. 30s, 5m, 1h30m)`)
  return Math.round(total)
}

/** `3725000` → `1h 2m 5s`; for the status line. */
export function formatDuration(ms: number): string {
  let s = Math.max(0, Math.round(ms / 1000))
  const h = Math.floor(s / 3600)
  s -= h * 3600
  const m = Math.floor(s / 60)
  s -= m * 60
  if (h) return `${h}h ${m}m`
  if (m) return `${m}m ${s}s`
  return `${s}s`
}
