import { encodePng } from './png-image.js'
import { zipArchive } from './zip-archive.js'

/** What the Teams app package is built from. */
export interface TeamsManifestOptions {
  /** The bot's Entra app id (also used as the Teams app id). */
  readonly appId: string
  /** signoff's public URL: developer links and the valid domain. */
  readonly publicUrl: string
  /** signoff's version, as `x.y.z`. */
  readonly version: string
}

/** The accent colour: background of the colour icon and `accentColor`. */
const ACCENT: readonly [number, number, number] = [0x2e, 0x6b, 0x4f]
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** The app manifest (schema 1.17): one bot in personal, team and group-chat scopes. */
export function teamsManifest(o: TeamsManifestOptions): Record<string, unknown> {
  const hex = `#${ACCENT.map((c) => c.toString(16).padStart(2, '0')).join('').toUpperCase()}`
  return {
    $schema: 'https://developer.microsoft.com/en-us/json-schemas/teams/v1.17/MicrosoftTeams.schema.json',
    manifestVersion: '1.17',
    version: o.version,
    id: o.appId,
    developer: { name: 'signoff', websiteUrl: o.publicUrl, privacyUrl: o.publicUrl, termsOfUseUrl: o.publicUrl },
    name: { short: 'signoff', full: 'signoff approvals' },
    description: {
      short: 'Approve or reject policy-gated requests in Teams.',
      full: 'signoff asks the approvers an Open Policy Agent policy names, in a Teams channel or a personal chat, and records each Approve or Reject in its tamper-evident decision log.',
    },
    icons: { color: 'color.png', outline: 'outline.png' },
    accentColor: hex,
    bots: [{ botId: o.appId, scopes: ['personal', 'team', 'groupChat'], supportsFiles: false, isNotificationOnly: false }],
    permissions: ['identity', 'messageTeamMembers'],
    validDomains: [new URL(o.publicUrl).hostname],
  }
}

/** What Teams will refuse at upload, said before the operator tries. */
export function teamsManifestWarnings(o: TeamsManifestOptions): string[] {
  const out: string[] = []
  if (!GUID.test(o.appId)) out.push(`teams.app_id "${o.appId}" is not a GUID; Teams requires the app id to be the bot's Entra application (client) id`)
  if (!o.publicUrl.startsWith('https://')) out.push(`public_url ${o.publicUrl} is not https; Teams requires https developer URLs`)
  return out
}

/** The app package: `manifest.json`, `color.png` (192×192) and `outline.png` (32×32), zipped. */
export function teamsAppPackage(o: TeamsManifestOptions): Buffer {
  return zipArchive([
    { name: 'manifest.json', data: Buffer.from(JSON.stringify(teamsManifest(o), null, 2) + '\n') },
    { name: 'color.png', data: checkIcon(192, { background: ACCENT }) },
    { name: 'outline.png', data: checkIcon(32, { background: null }) },
  ])
}

/**
 * A white check mark: on the accent colour for the colour icon, on transparency for the
 * outline icon (Teams wants that one white-on-transparent only).
 */
function checkIcon(size: number, o: { background: readonly [number, number, number] | null }): Buffer {
  const a = { x: 0.26 * size, y: 0.52 * size }
  const b = { x: 0.43 * size, y: 0.69 * size }
  const c = { x: 0.76 * size, y: 0.33 * size }
  const half = 0.07 * size
  const rgba = new Uint8Array(size * size * 4)
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const p = { x: x + 0.5, y: y + 0.5 }
      const mark = Math.min(distance(p, a, b), distance(p, b, c)) <= half
      const i = (y * size + x) * 4
      if (mark) rgba.set([255, 255, 255, 255], i)
      else if (o.background) rgba.set([...o.background, 255], i)
      // else: transparent black, as initialised
    }
  }
  return encodePng(size, size, rgba)
}

type Point = { readonly x: number; readonly y: number }

/** Distance from `p` to the segment `a`–`b`. */
function distance(p: Point, a: Point, b: Point): number {
  const dx = b.x - a.x
  const dy = b.y - a.y
  const t = Math.max(0, Math.min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / (dx * dx + dy * dy)))
  return Math.hypot(p.x - (a.x + t * dx), p.y - (a.y + t * dy))
}
