/**
 * Rego values at run time.
 *
 * Scalars are JavaScript primitives so that the hot path (comparing strings from `input` against
 * constants) allocates nothing: `null`, `boolean`, `string`, and numbers as `number` (any finite
 * double) or `bigint` (an integer outside ±2^53, kept exact). A `bigint` inside the safe range is
 * never produced: use {@link normalizeInt}. Arrays are frozen JavaScript arrays; objects and sets
 * are {@link RObject} and {@link RSet}, because Rego allows any value as a key or element.
 */
export type Value = null | boolean | number | bigint | string | readonly Value[] | RObject | RSet

/** The names `type_name` uses, also used in error messages. */
export type TypeName = 'null' | 'boolean' | 'number' | 'string' | 'array' | 'object' | 'set'

export function typeName(v: Value): TypeName {
  switch (typeof v) {
    case 'string':
      return 'string'
    case 'number':
    case 'bigint':
      return 'number'
    case 'boolean':
      return 'boolean'
    default:
      if (v === null) return 'null'
      if (Array.isArray(v)) return 'array'
      return v instanceof RSet ? 'set' : 'object'
  }
}

export function isNumber(v: Value): v is number | bigint {
  return typeof v === 'number' || typeof v === 'bigint'
}

export function isArray(v: Value): v is readonly Value[] {
  return Array.isArray(v)
}

export function isObject(v: Value): v is RObject {
  return v instanceof RObject
}

export function isSet(v: Value): v is RSet {
  return v instanceof RSet
}

/** Returns a `number` when the integer fits in the safe range, so each integer has one form. */
export function normalizeInt(n: bigint): number | bigint {
  return n >= -9007199254740991n && n <= 9007199254740991n ? Number(n) : n
}

/** True for integral numbers (`3`, `3.0`, big integers). */
export function isInteger(v: number | bigint): boolean {
  return typeof v === 'bigint' || Number.isInteger(v)
}

/** An integral number as a bigint; the caller checks {@link isInteger} first. */
export function toBigInt(v: number | bigint): bigint {
  return typeof v === 'bigint' ? v : BigInt(v)
}

/**
 * The key under which a value is stored in {@link RObject} and {@link RSet} maps. Strings map to
 * themselves (the common case costs nothing); every other value maps to a canonical string behind
 * a \u0001 marker, and strings that start with the marker are escaped so the two cannot collide.
 * Numbers are keyed by value, so `1` and `1.0` are the same key.
 */
export function hashKey(v: Value): string {
  if (typeof v === 'string') return v.length > 0 && v.charCodeAt(0) === 1 ? '\u0001s' + v : v
  return '\u0001' + canonical(v)
}

/** Deterministic text for a value: equal values (by Rego equality) give equal text. */
export function canonical(v: Value): string {
  switch (typeof v) {
    case 'string':
      return JSON.stringify(v)
    case 'number':
      return Number.isInteger(v) ? BigInt(v).toString() : String(v)
    case 'bigint':
      return v.toString()
    case 'boolean':
      return v ? 'true' : 'false'
    default:
      if (v === null) return 'null'
      if (Array.isArray(v)) return '[' + v.map(canonical).join(',') + ']'
      if (v instanceof RSet) return '{|' + v.sortedValues().map(canonical).join(',') + '|}'
      return '{' + (v as RObject).sortedKeys().map((k) => canonical(k) + ':' + canonical((v as RObject).get(k)!)).join(',') + '}'
  }
}

/**
 * A Rego object: any value may be a key. Iteration is in key order (OPA's total order), as in OPA,
 * so results and `concat` over keys are deterministic. Build with {@link RObject.set}; treat as
 * immutable once shared.
 */
export class RObject {
  readonly #map = new Map<string, [Value, Value]>()
  #sorted: Value[] | null = null

  static from(entries: Iterable<readonly [Value, Value]>): RObject {
    const o = new RObject()
    for (const [k, v] of entries) o.set(k, v)
    return o
  }

  get size(): number {
    return this.#map.size
  }

  get(key: Value): Value | undefined {
    const e = this.#map.get(hashKey(key))
    return e === undefined ? undefined : e[1]
  }

  /** Fast path for the common string key. */
  getString(key: string): Value | undefined {
    const e = this.#map.get(key.length > 0 && key.charCodeAt(0) === 1 ? '\u0001s' + key : key)
    return e === undefined ? undefined : e[1]
  }

  has(key: Value): boolean {
    return this.#map.has(hashKey(key))
  }

  /** Adds or replaces an entry. Only for objects that are still being built. */
  set(key: Value, value: Value): this {
    const h = hashKey(key)
    const e = this.#map.get(h)
    if (e === undefined) {
      this.#map.set(h, [key, value])
      this.#sorted = null
    } else e[1] = value
    return this
  }

  delete(key: Value): boolean {
    const ok = this.#map.delete(hashKey(key))
    if (ok) this.#sorted = null
    return ok
  }

  /** Keys in OPA's order. */
  sortedKeys(): readonly Value[] {
    if (this.#sorted === null) {
      const keys: Value[] = []
      for (const e of this.#map.values()) keys.push(e[0])
      keys.sort(compare)
      this.#sorted = keys
    }
    return this.#sorted
  }

  keys(): readonly Value[] {
    return this.sortedKeys()
  }

  /** Entries in key order. */
  *entries(): IterableIterator<[Value, Value]> {
    for (const k of this.sortedKeys()) yield [k, this.get(k)!]
  }

  values(): Value[] {
    return this.sortedKeys().map((k) => this.get(k)!)
  }

  /** Entries in insertion order: cheaper when order does not matter. */
  unorderedEntries(): IterableIterator<[Value, Value]> {
    return this.#map.values()
  }
}

/** A Rego set. Iteration is in OPA's order. */
export class RSet {
  readonly #map = new Map<string, Value>()
  #sorted: Value[] | null = null

  static from(values: Iterable<Value>): RSet {
    const s = new RSet()
    for (const v of values) s.add(v)
    return s
  }

  get size(): number {
    return this.#map.size
  }

  has(v: Value): boolean {
    return this.#map.has(hashKey(v))
  }

  /** Adds an element; returns false when it was already there. Only for sets still being built. */
  add(v: Value): boolean {
    const h = hashKey(v)
    if (this.#map.has(h)) return false
    this.#map.set(h, v)
    this.#sorted = null
    return true
  }

  delete(v: Value): boolean {
    const ok = this.#map.delete(hashKey(v))
    if (ok) this.#sorted = null
    return ok
  }

  /** Elements in OPA's order. */
  sortedValues(): readonly Value[] {
    if (this.#sorted === null) {
      this.#sorted = [...this.#map.values()].sort(compare)
    }
    return this.#sorted
  }

  values(): readonly Value[] {
    return this.sortedValues()
  }

  [Symbol.iterator](): Iterator<Value> {
    return this.sortedValues()[Symbol.iterator]()
  }

  /** Elements in insertion order: cheaper when order does not matter. */
  unorderedValues(): IterableIterator<Value> {
    return this.#map.values()
  }
}

const RANK: Record<TypeName, number> = { null: 0, boolean: 1, number: 2, string: 3, array: 4, object: 5, set: 6 }

/** OPA's total order: null < booleans < numbers < strings < arrays < objects < sets. */
export function compare(a: Value, b: Value): number {
  if (a === b) return 0
  const ta = typeName(a)
  const tb = typeName(b)
  if (ta !== tb) return RANK[ta] - RANK[tb]
  switch (ta) {
    case 'boolean':
      return a ? 1 : -1
    case 'number':
      return compareNumbers(a as number | bigint, b as number | bigint)
    case 'string':
      return compareStrings(a as string, b as string)
    case 'array': {
      const x = a as readonly Value[]
      const y = b as readonly Value[]
      const n = Math.min(x.length, y.length)
      for (let i = 0; i < n; i++) {
        const c = compare(x[i]!, y[i]!)
        if (c !== 0) return c
      }
      return x.length - y.length
    }
    case 'object': {
      const x = a as RObject
      const y = b as RObject
      const kx = x.sortedKeys()
      const ky = y.sortedKeys()
      const n = Math.min(kx.length, ky.length)
      for (let i = 0; i < n; i++) {
        const c = compare(kx[i]!, ky[i]!)
        if (c !== 0) return c
        const d = compare(x.get(kx[i]!)!, y.get(ky[i]!)!)
        if (d !== 0) return d
      }
      return kx.length - ky.length
    }
    case 'set': {
      const x = (a as RSet).sortedValues()
      const y = (b as RSet).sortedValues()
      const n = Math.min(x.length, y.length)
      for (let i = 0; i < n; i++) {
        const c = compare(x[i]!, y[i]!)
        if (c !== 0) return c
      }
      return x.length - y.length
    }
    default:
      return 0
  }
}

export function compareNumbers(a: number | bigint, b: number | bigint): number {
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0
  // Mixed or big: JavaScript compares bigint with number exactly.
  return a < b ? -1 : a > b ? 1 : 0
}

/** Go compares strings by UTF-8 bytes; UTF-16 order differs only around surrogates. */
export function compareStrings(a: string, b: string): number {
  const n = Math.min(a.length, b.length)
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i)
    const y = b.charCodeAt(i)
    if (x !== y) {
      const sx = x >= 0xd800 && x <= 0xdfff
      const sy = y >= 0xd800 && y <= 0xdfff
      if (sx !== sy) return sx ? 1 : -1 // a surrogate pair encodes a code point above any BMP one
      return x - y
    }
  }
  return a.length - b.length
}

/** Rego equality: structural, numbers by value. */
export function equal(a: Value, b: Value): boolean {
  if (a === b) return true
  switch (typeof a) {
    case 'number':
    case 'bigint':
      return (typeof b === 'number' || typeof b === 'bigint') && a == b
    case 'object': {
      if (a === null || b === null || typeof b !== 'object') return false
      if (Array.isArray(a)) {
        if (!Array.isArray(b) || a.length !== b.length) return false
        for (let i = 0; i < a.length; i++) if (!equal(a[i]!, (b as readonly Value[])[i]!)) return false
        return true
      }
      if (a instanceof RSet) {
        if (!(b instanceof RSet) || a.size !== b.size) return false
        for (const v of a.unorderedValues()) if (!b.has(v)) return false
        return true
      }
      if (!(b instanceof RObject) || (a as RObject).size !== b.size) return false
      for (const [k, v] of (a as RObject).unorderedEntries()) {
        const w = b.get(k)
        if (w === undefined || !equal(v, w)) return false
      }
      return true
    }
    default:
      return false
  }
}
