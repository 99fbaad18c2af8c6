import { SignoffError } from '../domain/index.js'

// Readers for one key of a raw (parsed YAML + environment) mapping: each returns the value or
// throws SIGNOFF_CONFIG_INVALID naming the key. Values of secret keys never enter a message.

export function invalid(key: string, message: string): SignoffError {
  return new SignoffError('SIGNOFF_CONFIG_INVALID', `configuration key ${key}: ${message}`, { key })
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

export function obj(raw: Record<string, unknown>, key: string): Record<string, unknown> {
  const v = raw[key]
  if (v === undefined || v === null) return {}
  if (!isRecord(v)) throw invalid(key, 'must be a mapping')
  return v
}

export function str(raw: Record<string, unknown>, key: string, dflt: string, name = key): string {
  const v = raw[key]
  if (v === undefined || v === null) return dflt
  if (typeof v !== 'string') throw invalid(name, `must be a string, got ${typeName(v)}`)
  return v
}

export function int(raw: Record<string, unknown>, key: string, dflt: number, min: number, max: number, name = key): number {
  const v = raw[key]
  if (v === undefined || v === null) return dflt
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw invalid(name, `must be an integer from ${min} to ${max}, got ${JSON.stringify(v)}`)
  }
  return v
}

export function bool(raw: Record<string, unknown>, key: string, dflt: boolean, name = key): boolean {
  const v = raw[key]
  if (v === undefined || v === null) return dflt
  if (typeof v !== 'boolean') throw invalid(name, `must be true or false, got ${JSON.stringify(v)}`)
  return v
}

export function strList(raw: Record<string, unknown>, key: string, name: string, dflt: string[]): string[] {
  const v = raw[key]
  if (v === undefined || v === null) return dflt
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw invalid(name, 'must be a list of strings')
  return v as string[]
}

export function typeName(v: unknown): string {
  return Array.isArray(v) ? 'a list' : v === null ? 'null' : `a ${typeof v}`
}

/** An http(s) URL; plain http only for loopback hosts when `loopbackOnlyHttp` (endpoints that carry secrets). */
export function url(raw: Record<string, unknown>, key: string, dflt: string, name: string, loopbackOnlyHttp: boolean): string {
  const v = str(raw, key, dflt, name)
  let u: URL
  try {
    u = new URL(v)
  } catch {
    throw invalid(name, 'must be an http(s) URL')
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') throw invalid(name, 'must be an http(s) URL')
  if (loopbackOnlyHttp && u.protocol === 'http:' && !['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname)) {
    throw invalid(name, 'must use https (plain http only for 127.0.0.1, ::1 or localhost)')
  }
  return v
}

/** Refuses keys of `section` not in `known`. */
export function onlyKeys(section: Record<string, unknown>, prefix: string, known: readonly string[]): void {
  for (const k of Object.keys(section)) if (!known.includes(k)) throw invalid(`${prefix}.${k}`, 'unknown key')
}
