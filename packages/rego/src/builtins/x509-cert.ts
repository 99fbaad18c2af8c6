/**
 * X.509 certificates and CSRs decoded into the JSON shape Go's `encoding/json` gives
 * `x509.Certificate` / `x509.CertificateRequest` (which is what OPA returns): field names as in
 * Go, `[]byte` as standard base64, `*big.Int` as exact numbers, OIDs as integer arrays, times as
 * RFC 3339. Unset slices are `null`, as in Go.
 */
import {
  DerError,
  TAG,
  children,
  derBits,
  derBool,
  derInt,
  derOID,
  derString,
  derTime,
  expect,
  goTime,
  isTag,
  oidString,
  parseDer,
  readDer,
  seq,
  type Der,
} from './x509-der.js'

type Json = null | boolean | number | bigint | string | Json[] | { [k: string]: Json }

const SIG_ALGS: Record<string, number> = {
  '1.2.840.113549.1.1.2': 1, // MD2WithRSA
  '1.2.840.113549.1.1.4': 2, // MD5WithRSA
  '1.2.840.113549.1.1.5': 3, // SHA1WithRSA
  '1.2.840.113549.1.1.11': 4, // SHA256WithRSA
  '1.2.840.113549.1.1.12': 5, // SHA384WithRSA
  '1.2.840.113549.1.1.13': 6, // SHA512WithRSA
  '1.2.840.10040.4.3': 7, // DSAWithSHA1
  '2.16.840.1.101.3.4.3.2': 8, // DSAWithSHA256
  '1.2.840.10045.4.1': 9, // ECDSAWithSHA1
  '1.2.840.10045.4.3.2': 10, // ECDSAWithSHA256
  '1.2.840.10045.4.3.3': 11, // ECDSAWithSHA384
  '1.2.840.10045.4.3.4': 12, // ECDSAWithSHA512
  '1.3.101.112': 16, // PureEd25519
}
const PSS_HASH: Record<string, number> = {
  '2.16.840.1.101.3.4.2.1': 13, // SHA256WithRSAPSS
  '2.16.840.1.101.3.4.2.2': 14,
  '2.16.840.1.101.3.4.2.3': 15,
}
const PK_ALGS: Record<string, number> = {
  '1.2.840.113549.1.1.1': 1, // RSA
  '1.2.840.10040.4.1': 2, // DSA
  '1.2.840.10045.2.1': 3, // ECDSA
  '1.3.101.112': 4, // Ed25519
}
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

/** Go's `x509.ExtKeyUsage` names, as `parse_and_verify_certificates_with_options` accepts them. */
export const KEY_USAGE_NAMES: Record<string, number> = {
  KeyUsageAny: 0,
  KeyUsageServerAuth: 1,
  KeyUsageClientAuth: 2,
  KeyUsageCodeSigning: 3,
  KeyUsageEmailProtection: 4,
  KeyUsageIPSECEndSystem: 5,
  KeyUsageIPSECTunnel: 6,
  KeyUsageIPSECUser: 7,
  KeyUsageTimeStamping: 8,
  KeyUsageOCSPSigning: 9,
  KeyUsageMicrosoftServerGatedCrypto: 10,
  KeyUsageNetscapeServerGatedCrypto: 11,
  KeyUsageMicrosoftCommercialCodeSigning: 12,
  KeyUsageMicrosoftKernelCodeSigning: 13,
}

const b64 = (b: Buffer): string => b.toString('base64')

function signatureAlgorithm(algId: Der): number {
  const parts = seq(algId)
  const oid = oidString(derOID(expect(parts[0], TAG.OID)))
  if (oid === '1.2.840.113549.1.1.10') {
    // RSASSA-PSS: the hash is in the parameters ([0] hashAlgorithm).
    const params = parts[1]
    if (params === undefined || !params.constructed) return 0
    for (const p of children(params)) {
      if (p.cls === 2 && p.tag === 0) {
        const h = oidString(derOID(expect(seq(children(p)[0])[0], TAG.OID)))
        return PSS_HASH[h] ?? 0
      }
    }
    return 0
  }
  return SIG_ALGS[oid] ?? 0
}

/** The public key of a SubjectPublicKeyInfo as Go marshals the key value. */
export function publicKeyJSON(spki: Der): { algorithm: number; key: Json } {
  const [algId, bits] = seq(spki)
  const alg = seq(algId)
  const oid = oidString(derOID(expect(alg[0], TAG.OID)))
  const algorithm = PK_ALGS[oid] ?? 0
  const keyBytes = derBits(expect(bits, TAG.BIT_STRING)).bytes
  switch (algorithm) {
    case 1: {
      const [n, e] = seq(parseDer(keyBytes))
      return { algorithm, key: { N: big(derInt(n!)), E: Number(derInt(e!)) } }
    }
    case 3: {
      const len = (keyBytes.length - 1) / 2
      if (keyBytes[0] !== 4 || !Number.isInteger(len)) throw new DerError('unsupported elliptic curve point')
      const x = BigInt('0x' + keyBytes.subarray(1, 1 + len).toString('hex'))
      const y = BigInt('0x' + keyBytes.subarray(1 + len).toString('hex'))
      return { algorithm, key: { Curve: {}, X: big(x), Y: big(y) } }
    }
    case 4:
      return { algorithm, key: b64(keyBytes) }
    case 2: {
      const params = seq(alg[1])
      return {
        algorithm,
        key: { P: big(derInt(params[0]!)), Q: big(derInt(params[1]!)), G: big(derInt(params[2]!)), Y: big(derInt(parseDer(keyBytes))) },
      }
    }
    default:
      return { algorithm, key: null }
  }
}

function big(n: bigint): Json {
  return n >= -9007199254740991n && n <= 9007199254740991n ? Number(n) : n
}

/** Go's `pkix.Name` after `FillFromRDNSequence`. */
export function nameJSON(name: Der): { [k: string]: Json } {
  const lists: Record<string, string[] | null> = {
    Country: null,
    Organization: null,
    OrganizationalUnit: null,
    Locality: null,
    Province: null,
    StreetAddress: null,
    PostalCode: null,
  }
  const byArc: Record<number, string> = {
    6: 'Country',
    7: 'Locality',
    8: 'Province',
    9: 'StreetAddress',
    10: 'Organization',
    11: 'OrganizationalUnit',
    17: 'PostalCode',
  }
  let serial = ''
  let cn = ''
  const names: Json[] = []
  for (const rdn of seq(name)) {
    for (const atv of children(expect(rdn, TAG.SET))) {
      const [t, v] = seq(atv)
      const type = derOID(expect(t, TAG.OID))
      const value = derString(v!)
      names.push({ Type: type, Value: value })
      if (type.length === 4 && type[0] === 2 && type[1] === 5 && type[2] === 4) {
        const arc = type[3]!
        if (arc === 3) cn = value
        else if (arc === 5) serial = value
        else {
          const field = byArc[arc]
          if (field !== undefined) (lists[field] ??= []).push(value)
        }
      }
    }
  }
  return {
    ...lists,
    SerialNumber: serial,
    CommonName: cn,
    Names: names.length === 0 ? null : names,
    ExtraNames: null,
  }
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
    // Longest run of zero groups (length >= 2) becomes "::", as Go prints it.
    let bestAt = -1
    let bestLen = 1
    for (let i = 0; i < 8; ) {
      if (groups[i] !== 0) {
        i++
        continue
      }
      let j = i
      while (j < 8 && groups[j] === 0) j++
      if (j - i > bestLen) {
        bestAt = i
        bestLen = j - i
      }
      i = j
    }
    const hex = groups.map((g) => g.toString(16))
    if (bestAt < 0) return hex.join(':')
    return hex.slice(0, bestAt).join(':') + '::' + hex.slice(bestAt + bestLen).join(':')
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

/** The parsed certificate in Go's JSON shape, plus what verification needs. */
export interface ParsedCert {
  readonly json: { [k: string]: Json }
  readonly der: Buffer
  readonly rawSubject: Buffer
  readonly rawIssuer: Buffer
  readonly notBefore: Date
  readonly notAfter: Date
  readonly basicConstraintsValid: boolean
  readonly isCA: boolean
  readonly maxPathLen: number
  readonly extKeyUsage: readonly number[]
  readonly unknownExtKeyUsage: number
  readonly dnsNames: readonly string[]
}

/** Parses one DER certificate (Go's `x509.ParseCertificate`). */
export function parseCertificate(der: Buffer): ParsedCert {
  const [tbsD, sigAlgD, sigD] = seq(parseDer(der))
  const tbs = seq(tbsD)
  let i = 0
  let version = 0
  if (isTag(tbs[0], 0, 2)) {
    version = Number(derInt(expect(children(tbs[0])[0], TAG.INTEGER)))
    i++
  }
  const serial = derInt(expect(tbs[i++], TAG.INTEGER))
  i++ // inner signature algorithm
  const issuer = expect(tbs[i++], TAG.SEQUENCE)
  const [nb, na] = seq(tbs[i++])
  const subject = expect(tbs[i++], TAG.SEQUENCE)
  const spki = expect(tbs[i++], TAG.SEQUENCE)
  let extsD: Der | undefined
  for (; i < tbs.length; i++) if (isTag(tbs[i], 3, 2)) extsD = children(tbs[i]!)[0]
  const pk = publicKeyJSON(spki)
  const notBefore = derTime(nb!)
  const notAfter = derTime(na!)

  const out = extensionsJSON(extsD)
  const sig = derBits(expect(sigD, TAG.BIT_STRING)).bytes
  const json: { [k: string]: Json } = {
    Raw: b64(der),
    RawTBSCertificate: b64(tbsD!.bytes),
    RawSubjectPublicKeyInfo: b64(spki.bytes),
    RawSubject: b64(subject.bytes),
    RawIssuer: b64(issuer.bytes),
    Signature: b64(sig),
    SignatureAlgorithm: signatureAlgorithm(sigAlgD!),
    PublicKeyAlgorithm: pk.algorithm,
    PublicKey: pk.key,
    Version: version + 1,
    SerialNumber: big(serial),
    Issuer: nameJSON(issuer),
    Subject: nameJSON(subject),
    NotBefore: goTime(notBefore),
    NotAfter: goTime(notAfter),
    ...out.fields,
  }
  const f = out.fields
  return {
    json,
    der,
    rawSubject: subject.bytes,
    rawIssuer: issuer.bytes,
    notBefore,
    notAfter,
    basicConstraintsValid: f.BasicConstraintsValid as boolean,
    isCA: f.IsCA as boolean,
    maxPathLen: f.MaxPathLen as number,
    extKeyUsage: (f.ExtKeyUsage as number[] | null) ?? [],
    unknownExtKeyUsage: ((f.UnknownExtKeyUsage as Json[] | null) ?? []).length,
    dnsNames: (f.DNSNames as string[] | null) ?? [],
  }
}

/** Go's `processExtensions`, producing the extension-derived fields of `x509.Certificate`. */
function extensionsJSON(extsD: Der | undefined): { fields: { [k: string]: Json } } {
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

/** Every certificate in a DER byte string (Go's `x509.ParseCertificates`). */
export function parseCertificates(der: Buffer): ParsedCert[] {
  const out: ParsedCert[] = []
  let p = 0
  while (p < der.length) {
    const [d, next] = readDer(der, p)
    out.push(parseCertificate(d.bytes))
    p = next
  }
  return out
}

/** Parses a PKCS #10 request (Go's `x509.ParseCertificateRequest`). */
export function parseCertificateRequest(der: Buffer): { [k: string]: Json } {
  const [infoD, sigAlgD, sigD] = seq(parseDer(der))
  const info = seq(infoD)
  const version = Number(derInt(expect(info[0], TAG.INTEGER)))
  const subject = expect(info[1], TAG.SEQUENCE)
  const spki = expect(info[2], TAG.SEQUENCE)
  const pk = publicKeyJSON(spki)
  const attributes: Json[] = []
  let extsD: Der | undefined
  const attrs = info[3]
  if (attrs !== undefined && attrs.cls === 2 && attrs.tag === 0) {
    for (const a of children(attrs)) {
      const [t, vals] = seq(a)
      const type = derOID(expect(t, TAG.OID))
      if (oidString(type) === '1.2.840.113549.1.9.14') {
        extsD = children(expect(vals, TAG.SET))[0]
        const inner: Json[] = []
        for (const ext of seq(extsD)) {
          const parts = seq(ext)
          const v = parts[parts.length - 1]!
          inner.push({ Type: derOID(parts[0]!), Value: b64(v.content) })
        }
        attributes.push({ Type: type, Value: [inner] })
      }
    }
  }
  const ext = extensionsJSON(extsD).fields
  return {
    Raw: b64(der),
    RawTBSCertificateRequest: b64(infoD!.bytes),
    RawSubjectPublicKeyInfo: b64(spki.bytes),
    RawSubject: b64(subject.bytes),
    Version: version,
    Signature: b64(derBits(expect(sigD, TAG.BIT_STRING)).bytes),
    SignatureAlgorithm: signatureAlgorithm(sigAlgD!),
    PublicKeyAlgorithm: pk.algorithm,
    PublicKey: pk.key,
    Subject: nameJSON(subject),
    Attributes: orNull(attributes),
    Extensions: ext.Extensions!,
    ExtraExtensions: null,
    DNSNames: ext.DNSNames!,
    EmailAddresses: ext.EmailAddresses!,
    IPAddresses: ext.IPAddresses!,
    URIs: ext.URIs!,
  }
}
