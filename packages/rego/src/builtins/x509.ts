/**
 * `crypto.x509.*` (OPA `topdown/crypto.go`): certificates, chains, CSRs and key pairs, returned in
 * the JSON shape of Go's `x509.Certificate`, `x509.CertificateRequest` and `tls.Certificate`.
 */
import { X509Certificate, createPublicKey } from 'node:crypto'
import { BuiltinError, type BuiltinContext, type BuiltinRegistry } from './builtin.js'
import { objectOperand, stringOperand } from './operands.js'
import { base64Decode, pemDecode, pemDecodeAll, toByteString, type PemBlock } from './crypto-pem.js'
import { privateKeyFromBlock, privateKeyJSON } from './crypto-keys.js'
import { KEY_USAGE_NAMES, parseCertificateRequest, parseCertificates, type ParsedCert } from './x509-cert.js'
import { DerError } from './x509-der.js'
import { pemOrBase64 } from './crypto.js'
import { fromJS } from '../value/json.js'
import { RSet, isInteger, type RObject, type Value } from '../value/value.js'

const S = 'string'
const crypto = ['crypto'] as const
const CERTS_ARG = {
  name: 'certs',
  type: S,
  description:
    'base64 encoded DER or PEM data containing two or more certificates where the first is a root CA, the last is a leaf certificate, and all others are intermediate CAs',
}
const VERIFY_RESULT = {
  name: 'output',
  type: 'array<boolean, array[object[string: any]]>',
  description:
    'array of `[valid, certs]`: if the input certificate chain could be verified then `valid` is `true` and `certs` is an array of X.509 certificates represented as objects; if the input certificate chain could not be verified then `valid` is `false` and `certs` is `[]`',
}

function malformed<T>(f: () => T, prefix: string): T {
  try {
    return f()
  } catch (e) {
    if (e instanceof DerError || e instanceof RangeError || e instanceof TypeError) throw new BuiltinError(`${prefix}${e.message}`)
    throw e
  }
}

/** OPA's `getX509CertsFromString`: PEM, base64 of PEM, or base64 of DER. */
export function certsFromString(input: string): ParsedCert[] {
  const bytes = pemOrBase64(input)
  if (bytes.startsWith('-----BEGIN')) {
    const blocks = pemDecodeAll(bytes)
    const other = blocks.find((b) => b.type !== 'CERTIFICATE')
    if (other !== undefined) throw new BuiltinError(`PEM block type is '${other.type}', expected CERTIFICATE`)
    return malformed(() => parseCertificates(Buffer.concat(blocks.map((b) => b.bytes))), 'x509: malformed certificate: ')
  }
  return malformed(() => parseCertificates(Buffer.from(bytes, 'latin1')), 'x509: malformed certificate: ')
}

/** The certificate JSON OPA returns (`extendedCert`: the Go struct plus `URIStrings`). */
function certValue(certs: readonly ParsedCert[]): Value {
  return fromJS(certs.map((c) => c.json))
}

interface VerifyOptions {
  dnsName?: string
  currentTime?: Date
  keyUsages?: number[]
}

/**
 * Go's `leaf.Verify` with the first certificate as the only root and the middle ones as
 * intermediates; returns the chain leaf first, or an error message.
 */
function verifyChain(certs: readonly ParsedCert[], opts: VerifyOptions, now: Date): ParsedCert[] | string {
  if (certs.length < 2) return 'must supply at least two certificates to be able to verify'
  const root = certs[0]!
  const intermediates = certs.slice(1, -1)
  const leaf = certs[certs.length - 1]!
  const time = opts.currentTime ?? now
  const x509 = new Map<ParsedCert, X509Certificate>()
  const node = (c: ParsedCert): X509Certificate => {
    let x = x509.get(c)
    if (x === undefined) {
      x = new X509Certificate(c.der)
      x509.set(c, x)
    }
    return x
  }
  const inPeriod = (c: ParsedCert): boolean => time >= c.notBefore && time <= c.notAfter
  if (!inPeriod(leaf)) return 'x509: certificate has expired or is not yet valid'
  if (leaf.json.UnhandledCriticalExtensions !== null) return 'x509: unhandled critical extension'
  if (opts.dnsName !== undefined && opts.dnsName !== '') {
    const host = opts.dnsName.toLowerCase().replace(/\.$/, '')
    const ips = (leaf.json.IPAddresses as string[] | null) ?? []
    const ok = /^[\d.]+$|:/.test(host) ? ips.includes(host) : leaf.dnsNames.some((n) => matchHostname(n.toLowerCase(), host))
    if (!ok) return `x509: certificate is valid for ${leaf.dnsNames.join(', ')}, not ${opts.dnsName}`
  }
  const signedBy = (child: ParsedCert, parent: ParsedCert): boolean => {
    if (!child.rawIssuer.equals(parent.rawSubject)) return false
    // Go refuses MD2/MD5/SHA-1 signatures and DSA (InsecureAlgorithmError, unimplemented).
    if (!SECURE_SIGNATURES.has(child.json.SignatureAlgorithm as number)) return false
    try {
      return node(child).verify(node(parent).publicKey)
    } catch {
      return false
    }
  }
  const chains: ParsedCert[][] = []
  const build = (chain: ParsedCert[]): void => {
    if (chains.length > 0 || chain.length > 10) return
    const cur = chain[chain.length - 1]!
    if (cur.der.equals(root.der) || signedBy(cur, root)) {
      if (!cur.der.equals(root.der)) {
        if (caInvalid(root, chain.length, time, inPeriod)) return
        chains.push([...chain, root])
      } else chains.push(chain)
      return
    }
    for (const c of intermediates) {
      if (chain.includes(c) || !signedBy(cur, c)) continue
      if (caInvalid(c, chain.length, time, inPeriod) || !c.basicConstraintsValid || !c.isCA) continue
      build([...chain, c])
    }
  }
  build([leaf])
  const chain = chains[0]
  if (chain === undefined) return 'x509: certificate signed by unknown authority'
  const usages = opts.keyUsages ?? []
  const wanted = usages.length === 0 ? [1] : usages
  if (!wanted.includes(0)) {
    let remaining = [...wanted]
    for (const c of chain) {
      if (c.extKeyUsage.length === 0 && c.unknownExtKeyUsage === 0) continue
      if (c.extKeyUsage.includes(0)) continue
      remaining = remaining.filter((u) => c.extKeyUsage.includes(u))
    }
    if (remaining.length === 0) return 'x509: certificate specifies an incompatible key usage'
  }
  return chain
}

/** SHA256/384/512 with RSA, ECDSA or RSA-PSS, and Ed25519: what Go's Verify accepts. */
const SECURE_SIGNATURES = new Set([4, 5, 6, 10, 11, 12, 13, 14, 15, 16])

function caInvalid(c: ParsedCert, numBelow: number, _time: Date, inPeriod: (c: ParsedCert) => boolean): boolean {
  if (!inPeriod(c)) return true
  if (c.basicConstraintsValid && c.maxPathLen >= 0 && numBelow - 1 > c.maxPathLen) return true
  return false
}

function matchHostname(pattern: string, host: string): boolean {
  if (pattern === host) return true
  if (pattern.startsWith('*.')) {
    const dot = host.indexOf('.')
    return dot > 0 && host.slice(dot) === pattern.slice(1)
  }
  return false
}

/** OPA's `extractVerifyOpts`. */
function verifyOptions(o: RObject): VerifyOptions {
  const out: VerifyOptions = {}
  for (const [k, v] of o.entries()) {
    switch (k) {
      case 'DNSName':
        if (typeof v !== 'string') throw new BuiltinError("'DNSName' should be a string")
        out.dnsName = v.replace(/^"+|"+$/g, '')
        break
      case 'CurrentTime':
        if (typeof v !== 'number' && typeof v !== 'bigint') throw new BuiltinError("'CurrentTime' should be a number")
        if (!isInteger(v) || BigInt(v) > 9223372036854775807n || BigInt(v) < -9223372036854775808n)
          throw new BuiltinError("'CurrentTime' should be a valid int64 number")
        out.currentTime = new Date(Number(BigInt(v) / 1000000n))
        break
      case 'MaxConstraintComparisons':
        if (typeof v !== 'number' && typeof v !== 'bigint') throw new BuiltinError("'MaxConstraintComparisons' should be a number")
        if (!isInteger(v)) throw new BuiltinError("'MaxConstraintComparisons' should be a valid number")
        break
      case 'KeyUsages': {
        if (!Array.isArray(v) && !(v instanceof RSet)) throw new BuiltinError("'KeyUsages' should be an Array or Set")
        const items = Array.isArray(v) ? v : (v as RSet).sortedValues()
        const invalid: string[] = []
        out.keyUsages = []
        for (const u of items) {
          if (typeof u !== 'string') continue
          const name = u.replace(/^"+|"+$/g, '')
          const ku = KEY_USAGE_NAMES[name]
          if (ku === undefined) invalid.push(name)
          else out.keyUsages.push(ku)
        }
        if (invalid.length > 0) throw new BuiltinError(`invalid entries for 'KeyUsages' found: [${invalid.join(' ')}]`)
        break
      }
      default:
        throw new BuiltinError('invalid key option')
    }
  }
  return out
}

function nowOf(ctx: BuiltinContext): Date {
  return new Date(Number(ctx.timeNs / 1000000n))
}

/** OPA's order: unparsable certificates make the result invalid before the options are read. */
function parseAndVerify(input: string, options: () => VerifyOptions, ctx: BuiltinContext): Value {
  const invalid = Object.freeze([false, Object.freeze([])]) as Value
  let certs: ParsedCert[]
  try {
    certs = certsFromString(input)
  } catch {
    return invalid
  }
  const chain = verifyChain(certs, options(), nowOf(ctx))
  if (typeof chain === 'string') return invalid
  return Object.freeze([true, certValue(chain)])
}

export function register(reg: BuiltinRegistry): void {
  reg.register({
    name: 'crypto.x509.parse_certificates',
    args: [
      {
        name: 'certs',
        type: S,
        description: 'base64 encoded DER or PEM data containing one or more certificates or a PEM string of one or more certificates',
      },
    ],
    result: { name: 'output', type: 'array[object[string: any]]', description: 'parsed X.509 certificates represented as objects' },
    description:
      'Returns zero or more certificates from the given encoded string containing\nDER certificate data.\n\n' +
      'If the input is empty, the function will return null. The input string should be a list of one or more\n' +
      'concatenated PEM blocks. The whole input of concatenated PEM blocks can optionally be Base64 encoded.',
    categories: crypto,
    impl([x]) {
      // No certificates give an empty array (OPA marshals the slice it builds for URIStrings).
      return certValue(certsFromString(stringOperand(x!, 1)))
    },
  })

  reg.register({
    name: 'crypto.x509.parse_and_verify_certificates',
    args: [CERTS_ARG],
    result: VERIFY_RESULT,
    description:
      'Returns one or more certificates from the given string containing PEM\nor base64 encoded DER certificates after verifying the supplied certificates form a complete\ncertificate chain back to a trusted root.\n\nThe first certificate is treated as the root and the last is treated as the leaf,\nwith all others being treated as intermediates.',
    categories: crypto,
    impl: ([x], ctx) => parseAndVerify(stringOperand(x!, 1), () => ({}), ctx),
  })

  reg.register({
    name: 'crypto.x509.parse_and_verify_certificates_with_options',
    args: [
      CERTS_ARG,
      {
        name: 'options',
        type: 'object[string: any]',
        description:
          'object containing extra configs to verify the validity of certificates: `DNSName`, `CurrentTime` (nanoseconds since the Unix Epoch), `MaxConstraintComparisons` and `KeyUsages`',
      },
    ],
    result: VERIFY_RESULT,
    description:
      'Returns one or more certificates from the given string containing PEM\nor base64 encoded DER certificates after verifying the supplied certificates form a complete\ncertificate chain back to a trusted root. A config option passed as the second argument can\nbe used to configure the validation options used.\n\nThe first certificate is treated as the root and the last is treated as the leaf,\nwith all others being treated as intermediates.',
    categories: crypto,
    impl([x, o], ctx) {
      const input = stringOperand(x!, 1)
      const o2 = objectOperand(o!, 2)
      return parseAndVerify(input, () => verifyOptions(o2), ctx)
    },
  })

  reg.register({
    name: 'crypto.x509.parse_certificate_request',
    args: [
      {
        name: 'csr',
        type: S,
        description: 'base64 string containing either a PEM encoded or DER CSR or a string containing a PEM CSR',
      },
    ],
    result: { name: 'output', type: 'object[string: any]', description: 'X.509 CSR represented as an object' },
    description:
      'Returns a PKCS #10 certificate signing request from the given PEM-encoded PKCS#10 certificate signing request.',
    categories: crypto,
    impl([x]) {
      const input = stringOperand(x!, 1)
      let bytes = input.startsWith('-----BEGIN CERTIFICATE REQUEST-----') ? toByteString(input) : base64Decode(input).toString('latin1')
      const [block] = pemDecode(bytes)
      if (block !== undefined && block.type !== 'CERTIFICATE REQUEST') {
        throw new BuiltinError('invalid PEM-encoded certificate signing request')
      }
      if (block !== undefined) bytes = block.bytes.toString('latin1')
      return fromJS(malformed(() => parseCertificateRequest(Buffer.from(bytes, 'latin1')), 'asn1: structure error: '))
    },
  })

  reg.register({
    name: 'crypto.x509.parse_keypair',
    args: [
      { name: 'cert', type: S, description: 'string containing PEM or base64 encoded DER certificates' },
      { name: 'pem', type: S, description: 'string containing PEM or base64 encoded DER keys' },
    ],
    result: {
      name: 'output',
      type: 'object[string: any]',
      description:
        'if key pair is valid, returns the tls.certificate(https://pkg.go.dev/crypto/tls#Certificate) as an object. If the key pair is invalid, nil and an error are returned.',
    },
    description: 'Returns a valid key pair',
    categories: crypto,
    impl([c, k]) {
      const certIn = stringOperand(c!, 1)
      const keyIn = stringOperand(k!, 2)
      return keyPair(certIn, keyIn)
    },
  })
}

/** OPA's `getTLSx509KeyPairFromString` and Go's `tls.X509KeyPair`. */
function keyPair(certIn: string, keyIn: string): Value {
  const certBytes = pemOrBase64(certIn)
  const keyBytes = pemOrBase64(keyIn)
  // DER input is treated as one CERTIFICATE / PRIVATE KEY block, as OPA wraps it into PEM.
  const certBlocks: PemBlock[] = certBytes.startsWith('-----BEGIN') ? pemDecodeAll(certBytes) : [derBlock('CERTIFICATE', certBytes)]
  const keyBlocks: PemBlock[] = keyBytes.startsWith('-----BEGIN') ? pemDecodeAll(keyBytes) : [derBlock('PRIVATE KEY', keyBytes)]

  // Go's tls.X509KeyPair, messages included.
  const certDers = certBlocks.filter((b) => b.type === 'CERTIFICATE').map((b) => b.bytes)
  if (certDers.length === 0) {
    const skipped = certBlocks.map((b) => b.type)
    if (skipped.length === 0) throw new BuiltinError('tls: failed to find any PEM data in certificate input')
    if (skipped.length === 1 && skipped[0]!.endsWith('PRIVATE KEY')) {
      throw new BuiltinError('tls: failed to find certificate PEM data in certificate input, but did find a private key; PEM inputs may have been switched')
    }
    throw new BuiltinError(`tls: failed to find "CERTIFICATE" PEM block in certificate input after skipping PEM blocks of the following types: [${skipped.join(' ')}]`)
  }
  const isKey = (b: PemBlock): boolean => b.type === 'PRIVATE KEY' || b.type.endsWith(' PRIVATE KEY')
  const keyAt = keyBlocks.findIndex(isKey)
  if (keyAt < 0) {
    const skipped = keyBlocks.map((b) => b.type)
    if (skipped.length === 0) throw new BuiltinError('tls: failed to find any PEM data in key input')
    if (skipped.length === 1 && skipped[0] === 'CERTIFICATE') {
      throw new BuiltinError('tls: found a certificate rather than a key in the PEM for the private key')
    }
    throw new BuiltinError(`tls: failed to find PEM block with type ending in "PRIVATE KEY" in key input after skipping PEM blocks of the following types: [${skipped.join(' ')}]`)
  }
  const leaf = malformed(() => parseCertificates(certDers[0]!)[0]!, 'x509: malformed certificate: ')
  const key = privateKeyFromBlock(keyBlocks[keyAt]!)
  const certKey = new X509Certificate(leaf.der).publicKey
  if (certKey.asymmetricKeyType !== key.asymmetricKeyType) throw new BuiltinError('tls: private key type does not match public key type')
  const pub = createPublicKey(key).export({ format: 'der', type: 'spki' })
  if (!pub.equals(certKey.export({ format: 'der', type: 'spki' }))) throw new BuiltinError('tls: private key does not match public key')
  const leafJSON: Record<string, unknown> = { ...leaf.json }
  delete leafJSON.URIStrings // Leaf is a plain x509.Certificate
  return fromJS({
    Certificate: certDers.map((d) => d.toString('base64')),
    PrivateKey: privateKeyJSON(key),
    SupportedSignatureAlgorithms: null,
    OCSPStaple: null,
    SignedCertificateTimestamps: null,
    Leaf: leafJSON,
  })
}

function derBlock(type: string, bytes: string): PemBlock {
  return { type, headers: new Map(), bytes: Buffer.from(bytes, 'latin1') }
}
