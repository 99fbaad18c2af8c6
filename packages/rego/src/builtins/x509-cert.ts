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
import { extensionsJSON, type Json } from './x509-extensions.js'
import { BuiltinError } from './builtin.js'

const orNull = <T>(xs: T[]): T[] | null => (xs.length === 0 ? null : xs)

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

/** The named curves Go's x509 parses: P-224, P-256, P-384, P-521. */
const GO_CURVES = new Set(['1.3.132.0.33', '1.2.840.10045.3.1.7', '1.3.132.0.34', '1.3.132.0.35'])

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
      const curve = isTag(alg[1], TAG.OID) ? oidString(derOID(alg[1])) : ''
      if (!GO_CURVES.has(curve)) throw new BuiltinError('x509: unsupported elliptic curve')
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

/** The parsed certificate in Go's JSON shape, plus what verification needs. */
export interface ParsedCert {
  /** The certificate as OPA returns it (with `URIStrings`). */
  readonly json: { [k: string]: Json }
  /** The rest is what chain verification needs. */
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
