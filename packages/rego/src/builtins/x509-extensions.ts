/**
 * The extension-derived fields of Go's `x509.Certificate` (Go's `processExtensions`): key usage,
 * basic constraints, subject alternative names, name constraints, CRL points, authority info,
 * policies. Values are in the JSON shape `encoding/json` gives them.
 */
import { formatIPv6Groups } from './ip-text.js'
import {
  DerError,
  TAG,
  children,
  derBits,
  derBool,
  derInt,
  derOID,
  expect,
  isTag,
  oidString,
  parseDer,
  seq,
  type Der,
} from './x509-der.js'

export type Json = null | boolean | number | bigint | string | Json[] | { [k: string]: Json }

const b64 = (b: Buffer): string => b.toString('base64')

const EXT_KEY_USAGE: Record<string, number> = {
  '2.5.29.37.0': 0,
  '1.3.6.1.5.5.7.3.1': 1,
  '1.3.6.1.5.5.7.3.2': 2,
  '1.3.6.1.5.5.7.3.3': 3,
  '1.3.6.1.5.5.7.3.4': 4,
  '1.3.6.1.5.5.7.3.5': 5,
  '1.3.6.1.5.5.7.3.6': 6,
  '1.3.6.1.5.5.7.3.7': 7,
  '1.3.6.1.5.5.7.3.8': 8,
  '1.3.6.1.5.5.7.3.9': 9,
  '1.3.6.1.4.1.311.10.3.3': 10,
  '2.16.840.1.113730.4.1': 11,
  '1.3.6.1.4.1.311.2.1.22': 12,
  '1.3.6.1.4.1.311.61.1.1': 13,
}

/** Go's `url.URL` struct for a URI SAN, and its `String()`. */
function urlJSON(uri: string): Json {
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):(.*)$/.exec(uri)
  let scheme = ''
  let rest = uri
  if (m !== null) {
    scheme = m[1]!.toLowerCase()
    rest = m[2]!
  }
  let fragment = ''
  const hashAt = rest.indexOf('#')
  if (hashAt >= 0) {
    fragment = rest.slice(hashAt + 1)
    rest = rest.slice(0, hashAt)
  }
  let rawQuery = ''
  const q = rest.indexOf('?')
  if (q >= 0) {
    rawQuery = rest.slice(q + 1)
    rest = rest.slice(0, q)
  }
  let host = ''
  let opaque = ''
  let user: Json = null
  let path = rest
  if (rest.startsWith('//')) {
    const slash = rest.indexOf('/', 2)
    let authority = slash < 0 ? rest.slice(2) : rest.slice(2, slash)
    path = slash < 0 ? '' : rest.slice(slash)
    const at = authority.lastIndexOf('@')
    if (at >= 0) {
      const [u, p] = authority.slice(0, at).split(':', 2)
      user = { username: u ?? '', password: p ?? '', passwordSet: p !== undefined }
      authority = authority.slice(at + 1)
    }
    host = authority
  } else if (scheme !== '' && !rest.startsWith('/')) {
    opaque = rest
    path = ''
  }
  return {
    Scheme: scheme,
    Opaque: opaque,
    User: user === null ? null : {},
    Host: host,
    Path: path,
    RawPath: '',
    OmitHost: false,
    ForceQuery: false,
    RawQuery: rawQuery,
    Fragment: fragment,
    RawFragment: '',
  }
}

function ipString(b: Buffer): string {
  if (b.length === 4) return [...b].join('.')
  if (b.length === 16) {
    if (b.subarray(0, 10).every((x) => x === 0) && b[10] === 0xff && b[11] === 0xff) return [...b.subarray(12)].join('.')
    const groups: number[] = []
    for (let i = 0; i < 16; i += 2) groups.push(b.readUInt16BE(i))
    return formatIPv6Groups(groups)
  }
  return '?' + b.toString('hex')
}

interface GeneralNames {
  dns: string[]
  email: string[]
  uri: string[]
  ip: string[]
}

function generalNames(d: Der, into: GeneralNames): void {
  for (const gn of seq(d)) {
    if (gn.cls !== 2) continue
    const text = gn.content.toString('latin1')
    if (gn.tag === 1) into.email.push(text)
    else if (gn.tag === 2) into.dns.push(text)
    else if (gn.tag === 6) into.uri.push(text)
    else if (gn.tag === 7) {
      if (gn.content.length !== 4 && gn.content.length !== 16) throw new DerError('invalid IP length')
      into.ip.push(ipString(gn.content))
    }
  }
}

const orNull = <T>(xs: T[]): T[] | null => (xs.length === 0 ? null : xs)

/** Go's `processExtensions`, producing the extension-derived fields of `x509.Certificate`. */
export function extensionsJSON(extsD: Der | undefined): { fields: { [k: string]: Json } } {
  const exts: Json[] = []
  const unhandled: Json[] = []
  const names: GeneralNames = { dns: [], email: [], uri: [], ip: [] }
  let keyUsage = 0
  let bcValid = false
  let isCA = false
  let maxPathLen = 0
  let skid: string | null = null
  let akid: string | null = null
  const eku: number[] = []
  const unknownEku: Json[] = []
  const ocsp: string[] = []
  const issuingURL: string[] = []
  const crl: string[] = []
  const policyIds: Json[] = []
  const policies: string[] = []
  const permitted: GeneralNames = { dns: [], email: [], uri: [], ip: [] }
  const excluded: GeneralNames = { dns: [], email: [], uri: [], ip: [] }
  const permittedIP: Json[] = []
  const excludedIP: Json[] = []
  let ncCritical = false
  let inhibitAny = 0
  let inhibitMapping = 0
  let requireExplicit = 0
  let inhibitAnySet = false
  let inhibitMappingSet = false
  let requireExplicitSet = false
  const mappings: Json[] = []

  for (const e of extsD === undefined ? [] : seq(extsD)) {
    const parts = seq(e)
    const id = derOID(expect(parts[0], TAG.OID))
    let critical = false
    let k = 1
    if (isTag(parts[1], TAG.BOOLEAN)) {
      critical = derBool(parts[1])
      k++
    }
    const value = expect(parts[k], TAG.OCTET_STRING).content
    exts.push({ Id: id, Critical: critical, Value: b64(value) })
    const oid = oidString(id)
    let handled = true
    switch (oid) {
      case '2.5.29.15': {
        const { bytes, bitLength } = derBits(parseDer(value))
        for (let b = 0; b < bitLength && b < 32; b++) if (bytes[b >> 3]! & (0x80 >> (b & 7))) keyUsage |= 1 << b
        break
      }
      case '2.5.29.19': {
        const bc = seq(parseDer(value))
        bcValid = true
        maxPathLen = -1
        for (const x of bc) {
          if (isTag(x, TAG.BOOLEAN)) isCA = derBool(x)
          else if (isTag(x, TAG.INTEGER)) maxPathLen = Number(derInt(x))
        }
        break
      }
      case '2.5.29.17':
        generalNames(parseDer(value), names)
        break
      case '2.5.29.14':
        skid = b64(expect(parseDer(value), TAG.OCTET_STRING).content)
        break
      case '2.5.29.35':
        for (const x of seq(parseDer(value))) if (x.cls === 2 && x.tag === 0) akid = b64(x.content)
        break
      case '2.5.29.37':
        for (const x of seq(parseDer(value))) {
          const u = derOID(expect(x, TAG.OID))
          const known = EXT_KEY_USAGE[oidString(u)]
          if (known === undefined) unknownEku.push(u)
          else eku.push(known)
        }
        break
      case '2.5.29.31':
        for (const dp of seq(parseDer(value))) {
          for (const f of seq(dp)) {
            if (f.cls !== 2 || f.tag !== 0) continue
            for (const n of children(f)) {
              if (n.cls !== 2 || n.tag !== 0) continue
              for (const gn of children(n)) if (gn.cls === 2 && gn.tag === 6) crl.push(gn.content.toString('latin1'))
            }
          }
        }
        break
      case '1.3.6.1.5.5.7.1.1':
        for (const ad of seq(parseDer(value))) {
          const [m, loc] = seq(ad)
          const method = oidString(derOID(m!))
          if (loc === undefined || loc.cls !== 2 || loc.tag !== 6) continue
          const uri = loc.content.toString('latin1')
          if (method === '1.3.6.1.5.5.7.48.1') ocsp.push(uri)
          else if (method === '1.3.6.1.5.5.7.48.2') issuingURL.push(uri)
        }
        break
      case '2.5.29.32':
        for (const pi of seq(parseDer(value))) {
          const p = derOID(expect(seq(pi)[0], TAG.OID))
          policyIds.push(p)
          policies.push(oidString(p))
        }
        break
      case '2.5.29.30': {
        ncCritical = critical
        for (const sub of seq(parseDer(value))) {
          if (sub.cls !== 2) continue
          const target = sub.tag === 0 ? permitted : excluded
          const ipTarget = sub.tag === 0 ? permittedIP : excludedIP
          for (const gs of children(sub)) {
            const base = seq(gs)[0]
            if (base === undefined || base.cls !== 2) continue
            if (base.tag === 7) {
              const half = base.content.length / 2
              ipTarget.push({ IP: ipString(base.content.subarray(0, half)), Mask: b64(base.content.subarray(half)) })
            } else if (base.tag === 1) target.email.push(base.content.toString('latin1'))
            else if (base.tag === 2) target.dns.push(base.content.toString('latin1'))
            else if (base.tag === 6) target.uri.push(base.content.toString('latin1'))
          }
        }
        break
      }
      case '2.5.29.54':
        inhibitAny = Number(derInt(parseDer(value)))
        inhibitAnySet = true
        break
      case '2.5.29.36':
        for (const x of seq(parseDer(value))) {
          const n = Number(BigInt('0x' + (x.content.toString('hex') || '0')))
          if (x.cls === 2 && x.tag === 0) {
            requireExplicit = n
            requireExplicitSet = true
          } else if (x.cls === 2 && x.tag === 1) {
            inhibitMapping = n
            inhibitMappingSet = true
          }
        }
        break
      case '2.5.29.33':
        for (const m of seq(parseDer(value))) {
          const [a, b] = seq(m)
          mappings.push({ IssuerDomainPolicy: oidString(derOID(a!)), SubjectDomainPolicy: oidString(derOID(b!)) })
        }
        break
      default:
        handled = false
    }
    if (!handled && critical) unhandled.push(id)
  }
  return {
    fields: {
      KeyUsage: keyUsage,
      Extensions: orNull(exts),
      ExtraExtensions: null,
      UnhandledCriticalExtensions: orNull(unhandled),
      ExtKeyUsage: orNull(eku),
      UnknownExtKeyUsage: orNull(unknownEku),
      BasicConstraintsValid: bcValid,
      IsCA: isCA,
      MaxPathLen: maxPathLen,
      MaxPathLenZero: bcValid && maxPathLen === 0,
      SubjectKeyId: skid,
      AuthorityKeyId: akid,
      OCSPServer: orNull(ocsp),
      IssuingCertificateURL: orNull(issuingURL),
      DNSNames: orNull(names.dns),
      EmailAddresses: orNull(names.email),
      IPAddresses: orNull(names.ip),
      URIs: names.uri.length === 0 ? null : names.uri.map(urlJSON),
      PermittedDNSDomainsCritical: ncCritical,
      PermittedDNSDomains: orNull(permitted.dns),
      ExcludedDNSDomains: orNull(excluded.dns),
      PermittedIPRanges: orNull(permittedIP),
      ExcludedIPRanges: orNull(excludedIP),
      PermittedEmailAddresses: orNull(permitted.email),
      ExcludedEmailAddresses: orNull(excluded.email),
      PermittedURIDomains: orNull(permitted.uri),
      ExcludedURIDomains: orNull(excluded.uri),
      CRLDistributionPoints: orNull(crl),
      PolicyIdentifiers: orNull(policyIds),
      Policies: orNull(policies),
      InhibitAnyPolicy: inhibitAny,
      InhibitAnyPolicyZero: inhibitAnySet && inhibitAny === 0,
      InhibitPolicyMapping: inhibitMapping,
      InhibitPolicyMappingZero: inhibitMappingSet && inhibitMapping === 0,
      RequireExplicitPolicy: requireExplicit,
      RequireExplicitPolicyZero: requireExplicitSet && requireExplicit === 0,
      PolicyMappings: orNull(mappings),
      URIStrings: names.uri.length === 0 ? null : names.uri,
    },
  }
}

