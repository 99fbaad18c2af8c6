import { gunzipSync } from 'node:zlib'

/** One regular file from a tar archive. */
export interface TarEntry {
  /** Path inside the archive, without a leading `./` or `/`. */
  readonly path: string
  readonly content: Buffer
}

/**
 * Reads the regular files of a gzip-compressed tar archive (ustar, GNU long names and pax
 * `path` records), as OPA bundles are packed. Throws on a truncated or corrupt archive.
 */
export function readTarGz(gz: Buffer): TarEntry[] {
  const tar = gunzipSync(gz)
  const out: TarEntry[] = []
  let offset = 0
  let longName: string | null = null
  while (offset + 512 <= tar.length) {
    const header = tar.subarray(offset, offset + 512)
    if (header.every((b) => b === 0)) break
    const size = parseInt(text(header, 124, 12).trim() || '0', 8)
    if (!Number.isFinite(size) || size < 0) throw new Error(`corrupt tar header at byte ${offset}`)
    const type = String.fromCharCode(header[156]!)
    const start = offset + 512
    if (start + size > tar.length) throw new Error('truncated tar archive')
    const body = tar.subarray(start, start + size)
    const prefix = text(header, 345, 155)
    let name = longName ?? (prefix ? `${prefix}/${text(header, 0, 100)}` : text(header, 0, 100))
    longName = null
    if (type === 'L') longName = body.toString('utf8').replace(/\0+$/, '')
    else if (type === 'x') {
      const m = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(body.toString('utf8'))
      if (m) longName = m[1]!
    } else if (type === '0' || type === '\0') {
      name = name.replace(/^\.?\/+/, '')
      out.push({ path: name, content: Buffer.from(body) })
    }
    offset = start + Math.ceil(size / 512) * 512
  }
  return out
}

function text(buf: Buffer, start: number, len: number): string {
  const s = buf.subarray(start, start + len)
  const nul = s.indexOf(0)
  return s.subarray(0, nul < 0 ? s.length : nul).toString('utf8')
}
