/**
 * A small DER reader: enough ASN.1 to walk X.509 certificates, CSRs and PKCS #1/#8 keys.
 * Malformed input raises {@link DerError}; callers turn it into the message Go would give.
 */

export class DerError extends Error {
  override readonly name = 'DerError'
}

/** One TLV element. `bytes` is the whole element (header and content), `content` its value. */
export interface Der {
  /** 0 universal, 1 application, 2 context-specific, 3 private. */
  readonly cls: number
  /** Whether the element holds other elements. */
  readonly constructed: boolean
  /** Tag number within its class. */
  readonly tag: number
  /** The whole element, header included. */
  readonly bytes: Buffer
  /** The element's value. */
  readonly content: Buffer
}

export const TAG = {
  BOOLEAN: 1,
  INTEGER: 2,
  BIT_STRING: 3,
  OCTET_STRING: 4,
  NULL: 5,
  OID: 6,
  UTF8: 12,
  SEQUENCE: 16,
  SET: 17,
  PRINTABLE: 19,
  T61: 20,
  IA5: 22,
  UTC_TIME: 23,
  GENERALIZED_TIME: 24,
  UNIVERSAL: 28,
  BMP: 30,
} as const

/** Reads the element at `offset`; returns it and the offset after it. */
export function readDer(buf: Buffer, offset = 0): [Der, number] {
  if (offset + 2 > buf.length) throw new DerError('truncated tag or length')
  const b0 = buf[offset]!
  let tag = b0 & 0x1f
  let p = offset + 1
  if (tag === 0x1f) {
    tag = 0
    for (;;) {
      if (p >= buf.length) throw new DerError('truncated tag')
      const b = buf[p++]!
      tag = tag * 128 + (b & 0x7f)
      if ((b & 0x80) === 0) break
    }
  }
  if (p >= buf.length) throw new DerError('truncated length')
  let len = buf[p++]!
  if (len & 0x80) {
    const n = len & 0x7f
    if (n === 0 || n > 4) throw new DerError('indefinite or too long length')
    len = 0
    for (let i = 0; i < n; i++) {
      if (p >= buf.length) throw new DerError('truncated length')
      len = len * 256 + buf[p++]!
    }
  }
  const end = p + len
  if (end > buf.length) throw new DerError('data truncated')
  return [
    { cls: b0 >> 6, constructed: (b0 & 0x20) !== 0, tag, bytes: buf.subarray(offset, end), content: buf.subarray(p, end) },
    end,
  ]
}

/** Parses a buffer holding exactly one element (trailing data is an error). */
export function parseDer(buf: Buffer): Der {
  const [d, end] = readDer(buf, 0)
  if (end !== buf.length) throw new DerError('trailing data')
  return d
}

/** The children of a constructed element. */
export function children(d: Der): Der[] {
  if (!d.constructed) throw new DerError('expected a constructed element')
  const out: Der[] = []
  let p = 0
  while (p < d.content.length) {
    const [c, next] = readDer(d.content, p)
    out.push(c)
    p = next
  }
  return out
}

export function expect(d: Der | undefined, tag: number, cls = 0): Der {
  if (d === undefined) throw new DerError('sequence truncated')
  if (d.tag !== tag || d.cls !== cls) throw new DerError(`tags don't match (${tag} vs {class:${d.cls} tag:${d.tag}})`)
  return d
}

export function seq(d: Der | undefined): Der[] {
  return children(expect(d, TAG.SEQUENCE))
}

export function isTag(d: Der | undefined, tag: number, cls = 0): d is Der {
  return d !== undefined && d.tag === tag && d.cls === cls
}

/** An INTEGER as a bigint (two's complement). */
export function derInt(d: Der): bigint {
  const c = d.content
  if (c.length === 0) throw new DerError('empty integer')
  let v = BigInt('0x' + c.toString('hex'))
  if (c[0]! & 0x80) v -= 1n << BigInt(c.length * 8)
  return v
}

export function derBool(d: Der): boolean {
  return d.content.length > 0 && d.content[0] !== 0
}

/** OID arcs, e.g. [2, 5, 4, 3]. */
export function derOID(d: Der): number[] {
  const c = d.content
  const arcs: number[] = []
  let v = 0
  for (let i = 0; i < c.length; i++) {
    v = v * 128 + (c[i]! & 0x7f)
    if ((c[i]! & 0x80) === 0) {
      if (arcs.length === 0) {
        const first = v < 40 ? 0 : v < 80 ? 1 : 2
        arcs.push(first, v - first * 40)
      } else arcs.push(v)
      v = 0
    }
  }
  return arcs
}

export function oidString(arcs: readonly number[]): string {
  return arcs.join('.')
}

/** The bytes of a BIT STRING (the unused-bits count dropped) and its bit length. */
export function derBits(d: Der): { bytes: Buffer; bitLength: number } {
  const unused = d.content[0] ?? 0
  const bytes = d.content.subarray(1)
  return { bytes, bitLength: bytes.length * 8 - unused }
}

/** A string-typed element's text. */
export function derString(d: Der): string {
  switch (d.tag) {
    case TAG.BMP: {
      let s = ''
      for (let i = 0; i + 1 < d.content.length; i += 2) s += String.fromCharCode(d.content.readUInt16BE(i))
      return s
    }
    case TAG.T61:
      return d.content.toString('latin1')
    case TAG.UNIVERSAL: {
      let s = ''
      for (let i = 0; i + 3 < d.content.length; i += 4) s += String.fromCodePoint(d.content.readUInt32BE(i))
      return s
    }
    default:
      return d.content.toString('utf8')
  }
}

/** UTCTime or GeneralizedTime as a Date. */
export function derTime(d: Der): Date {
  const s = d.content.toString('latin1')
  let m: RegExpExecArray | null
  if (d.tag === TAG.UTC_TIME) {
    m = /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?Z$/.exec(s)
    if (m === null) throw new DerError(`invalid UTCTime ${s}`)
    const yy = Number(m[1])
    const year = yy >= 50 ? 1900 + yy : 2000 + yy
    return new Date(Date.UTC(year, Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0)))
  }
  m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(?:\.(\d+))?Z$/.exec(s)
  if (m === null) throw new DerError(`invalid GeneralizedTime ${s}`)
  const ms = m[7] === undefined ? 0 : Number(('0.' + m[7]).slice(0, 5)) * 1000
  const dt = new Date(0)
  dt.setUTCFullYear(Number(m[1]), Number(m[2]) - 1, Number(m[3]))
  dt.setUTCHours(Number(m[4]), Number(m[5]), Number(m[6]), ms)
  return dt
}

/** Time as Go's `time.Time` marshals to JSON (RFC 3339 with trimmed fractional seconds). */
export function goTime(d: Date): string {
  const iso = d.toISOString() // 2021-07-01T17:41:53.000Z
  const [main, frac] = iso.slice(0, -1).split('.')
  const f = (frac ?? '').replace(/0+$/, '')
  return main! + (f === '' ? '' : '.' + f) + 'Z'
}
