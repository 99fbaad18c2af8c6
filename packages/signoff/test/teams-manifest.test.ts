import assert from 'node:assert/strict'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { crc32, inflateRawSync, inflateSync } from 'node:zlib'
import { runCli } from './cli-fake-io.js'
import { tempDir } from './fixtures.js'

const APP_ID = '6f1c2c5e-8a1b-4f0e-9d7a-3b2c1d0e9f8a'

/** Reads a ZIP back through its central directory, checking each entry's CRC-32. */
function readZip(zip: Buffer): Map<string, Buffer> {
  const end = zip.length - 22
  assert.equal(zip.readUInt32LE(end), 0x06054b50, 'end of central directory record')
  const count = zip.readUInt16LE(end + 10)
  let at = zip.readUInt32LE(end + 16)
  const files = new Map<string, Buffer>()
  for (let i = 0; i < count; i++) {
    assert.equal(zip.readUInt32LE(at), 0x02014b50, 'central directory header')
    const method = zip.readUInt16LE(at + 10)
    const crc = zip.readUInt32LE(at + 16)
    const size = zip.readUInt32LE(at + 20)
    const nameLength = zip.readUInt16LE(at + 28)
    const extra = zip.readUInt16LE(at + 30)
    const comment = zip.readUInt16LE(at + 32)
    const local = zip.readUInt32LE(at + 42)
    const name = zip.subarray(at + 46, at + 46 + nameLength).toString('utf8')
    assert.equal(zip.readUInt32LE(local), 0x04034b50, 'local file header')
    const dataAt = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28)
    const packed = zip.subarray(dataAt, dataAt + size)
    const data = method === 8 ? inflateRawSync(packed) : packed
    assert.equal(crc32(data), crc, `CRC of ${name}`)
    assert.equal(data.length, zip.readUInt32LE(at + 24))
    files.set(name, data)
    at += 46 + nameLength + extra + comment
  }
  return files
}

/** Decodes an 8-bit RGBA, non-interlaced PNG whose scanlines use filter 0, checking chunk CRCs. */
function readPng(png: Buffer): { width: number; height: number; pixel(x: number, y: number): number[] } {
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
  let at = 8
  let width = 0
  let height = 0
  const idat: Buffer[] = []
  for (;;) {
    const length = png.readUInt32BE(at)
    const type = png.subarray(at + 4, at + 8).toString('latin1')
    const data = png.subarray(at + 8, at + 8 + length)
    assert.equal(png.readUInt32BE(at + 8 + length), crc32(png.subarray(at + 4, at + 8 + length)), `CRC of ${type}`)
    if (type === 'IHDR') {
      width = data.readUInt32BE(0)
      height = data.readUInt32BE(4)
      assert.deepEqual([...data.subarray(8)], [8, 6, 0, 0, 0], 'RGBA, 8 bits, no interlace')
    }
    if (type === 'IDAT') idat.push(data)
    at += 12 + length
    if (type === 'IEND') break
  }
  const raw = inflateSync(Buffer.concat(idat))
  assert.equal(raw.length, (width * 4 + 1) * height)
  return {
    width,
    height,
    pixel: (x, y) => {
      const row = y * (width * 4 + 1)
      assert.equal(raw[row], 0, 'filter type 0')
      return [...raw.subarray(row + 1 + x * 4, row + 1 + x * 4 + 4)]
    },
  }
}

describe('signoff teams manifest', () => {
  it('writes a Teams app package: manifest for the configured bot and two icons, readable back', async () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'signoff.yaml'), `public_url: https://signoff.example.com\nteams:\n  app_id: ${APP_ID}\n  tenant_id: tenant-1\n`)
    const r = await runCli(['teams', 'manifest', '--config', join(dir, 'signoff.yaml'), '--out', 'app.zip'], { cwd: dir, env: { SIGNOFF_TEAMS_APP_PASSWORD: 'pw-from-env' } })
    assert.equal(r.code, 0, r.stderr)
    assert.equal(r.stderr, '')
    assert.match(r.stdout, /wrote .*app\.zip/)
    const zip = readFileSync(join(dir, 'app.zip'))
    assert.ok(!zip.includes('pw-from-env'), 'the secret is not in the package')
    const files = readZip(zip)
    assert.deepEqual([...files.keys()], ['manifest.json', 'color.png', 'outline.png'])
    type Manifest = { id: string; manifestVersion: string; version: string; bots: unknown; validDomains: unknown; icons: unknown; developer: { websiteUrl: string } }
    const manifest = JSON.parse(files.get('manifest.json')!.toString('utf8')) as Manifest
    assert.equal(manifest.id, APP_ID)
    assert.equal(manifest.manifestVersion, '1.17')
    assert.match(manifest.version, /^\d+\.\d+\.\d+$/)
    assert.deepEqual(manifest.bots, [{ botId: APP_ID, scopes: ['personal', 'team', 'groupChat'], supportsFiles: false, isNotificationOnly: false }])
    assert.deepEqual(manifest.validDomains, ['signoff.example.com'])
    assert.deepEqual(manifest.icons, { color: 'color.png', outline: 'outline.png' })
    assert.equal(manifest.developer.websiteUrl, 'https://signoff.example.com')

    const color = readPng(files.get('color.png')!)
    assert.deepEqual([color.width, color.height], [192, 192])
    assert.deepEqual(color.pixel(0, 0), [0x2e, 0x6b, 0x4f, 255], 'accent background')
    const outline = readPng(files.get('outline.png')!)
    assert.deepEqual([outline.width, outline.height], [32, 32])
    let white = 0
    for (let y = 0; y < 32; y++) {
      for (let x = 0; x < 32; x++) {
        const [rr, g, b, a] = outline.pixel(x, y)
        assert.ok(a === 0 || (rr === 255 && g === 255 && b === 255 && a === 255), `outline pixel ${x},${y} is white or transparent`)
        if (a === 255) white++
      }
    }
    assert.ok(white > 30 && white < 32 * 32 / 2, `a check mark, not a blank or a block (${white} white pixels)`)
  })

  it('warns about what Teams will refuse, and refuses without a teams section', async () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'signoff.yaml'), 'public_url: http://127.0.0.1:8686\nteams:\n  app_id: app-123\n  app_password: pw\n  tenant_id: t\n')
    const r = await runCli(['teams', 'manifest', '-c', join(dir, 'signoff.yaml')], { cwd: dir })
    assert.equal(r.code, 0)
    assert.match(r.stderr, /app-123" is not a GUID/)
    assert.match(r.stderr, /not https/)
    assert.ok(readZip(readFileSync(join(dir, 'signoff-teams.zip'))).has('manifest.json'))

    writeFileSync(join(dir, 'bare.yaml'), 'port: 0\n')
    const none = await runCli(['teams', 'manifest', '-c', join(dir, 'bare.yaml')], { cwd: dir })
    assert.equal(none.code, 3)
    assert.match(none.stderr, /teams is not configured/)
  })
})
