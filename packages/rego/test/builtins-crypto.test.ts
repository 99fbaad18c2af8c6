import { test } from 'node:test'
import assert from 'node:assert/strict'
import { X509Certificate, createHash, createHmac, generateKeyPairSync } from 'node:crypto'
import { call, callCtx, context, fixture } from './crypto-harness.js'
import { base64Decode, pemDecode } from '../src/builtins/crypto-pem.js'

type Obj = Record<string, unknown>

test('hashes are of the UTF-8 bytes, in hex', () => {
  const s = 'åäö\u{1F972}'
  assert.equal(call('crypto.md5', s), createHash('md5').update(Buffer.from(s, 'utf8')).digest('hex'))
  assert.equal(call('crypto.sha1', 'lorem ipsum'), 'bfb7759a67daeb65410490b4d98bb9da7d1ea2ce')
  assert.equal(call('crypto.sha256', ''), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855')
  assert.equal(call('crypto.hmac.sha512', 'foo', 'bar'), createHmac('sha512', 'bar').update('foo').digest('hex'))
  assert.equal(call('crypto.hmac.md5', 'foo', 'bar'), '31b6db9e5eb4addb42f1a6ca07367adc')
  assert.throws(() => call('crypto.sha256', 1), /operand 1 must be string but got number/)
  assert.throws(() => call('crypto.hmac.sha1', 'x', null), /operand 2 must be string but got null/)
})

test('crypto.hmac.equal compares whole strings', () => {
  assert.equal(call('crypto.hmac.equal', 'abc', 'abc'), true)
  assert.equal(call('crypto.hmac.equal', 'abc', 'abd'), false)
  assert.equal(call('crypto.hmac.equal', 'abc', 'ab'), false)
  assert.equal(call('crypto.hmac.equal', '', ''), true)
})

test("base64 decoding follows Go's StdEncoding, errors included", () => {
  assert.equal(base64Decode('Zm9vYg==').toString(), 'foob')
  assert.equal(base64Decode('Zm9v\r\nYg==').toString(), 'foob')
  assert.throws(() => base64Decode('foobar'), /illegal base64 data at input byte 4/)
  assert.throws(() => base64Decode('Zm9v*mFy'), /illegal base64 data at input byte 4/)
  assert.throws(() => base64Decode('Zm9vYg='), /illegal base64 data at input byte 7/)
  assert.throws(() => base64Decode('Zg==Zg=='), /illegal base64 data at input byte 4/)
  assert.equal(base64Decode('Zm9vYg', { pad: false }).toString(), 'foob')
  assert.equal(base64Decode('-_8', { url: true, pad: false }).toString('hex'), 'fbff')
})

test("pem.Decode finds blocks, skips junk and reports what follows", () => {
  const pem = fixture('root.pem')
  const [block, rest] = pemDecode('junk before\n' + pem + 'after')
  assert.equal(block?.type, 'CERTIFICATE')
  assert.equal(rest, 'after')
  assert.deepEqual(block.bytes, new X509Certificate(pem).raw)
  assert.equal(pemDecode('no pem here')[0], undefined)
  assert.equal(pemDecode('-----BEGIN X-----\nAAAA\n-----END Y-----\n')[0], undefined)
})

test('crypto.x509.parse_certificates gives Go x509.Certificate fields', () => {
  const leafPem = fixture('leaf.pem')
  const certs = call('crypto.x509.parse_certificates', leafPem + fixture('inter.pem')) as Obj[]
  assert.equal(certs.length, 2)
  const leaf = certs[0]!
  const node = new X509Certificate(leafPem)
  assert.equal((leaf.Subject as Obj).CommonName, 'svc.signoff.test')
  assert.deepEqual((leaf.Subject as Obj).Country, ['DE'])
  assert.deepEqual((leaf.Subject as Obj).Locality, ['Berlin'])
  assert.deepEqual((leaf.Subject as Obj).OrganizationalUnit, ['Ops'])
  assert.equal((leaf.Subject as Obj).Province, null)
  assert.deepEqual(((leaf.Subject as Obj).Names as Obj[])[0], { Type: [2, 5, 4, 6], Value: 'DE' })
  assert.equal((leaf.Issuer as Obj).CommonName, 'Signoff Test Intermediate')
  assert.deepEqual(leaf.DNSNames, ['svc.signoff.test', '*.apps.signoff.test'])
  assert.deepEqual(leaf.IPAddresses, ['10.1.2.3', '2001:db8::1'])
  assert.deepEqual(leaf.EmailAddresses, ['ops@signoff.test'])
  assert.deepEqual(leaf.URIStrings, ['spiffe://signoff.test/svc'])
  assert.equal(((leaf.URIs as Obj[])[0] as Obj).Host, 'signoff.test')
  assert.equal(((leaf.URIs as Obj[])[0] as Obj).Path, '/svc')
  assert.deepEqual(leaf.ExtKeyUsage, [1, 2])
  assert.equal(leaf.KeyUsage, 1) // digitalSignature
  assert.equal(leaf.BasicConstraintsValid, true)
  assert.equal(leaf.IsCA, false)
  assert.equal(leaf.MaxPathLen, -1)
  assert.deepEqual(leaf.CRLDistributionPoints, ['http://crl.signoff.test/root.crl'])
  assert.deepEqual(leaf.OCSPServer, ['http://ocsp.signoff.test'])
  assert.deepEqual(leaf.IssuingCertificateURL, ['http://ca.signoff.test/inter.crt'])
  assert.deepEqual(leaf.PolicyIdentifiers, [[1, 2, 3, 4, 5]])
  assert.deepEqual(leaf.Policies, ['1.2.3.4.5'])
  assert.equal(leaf.Version, 3)
  assert.equal(leaf.SerialNumber, 3)
  assert.equal(leaf.SignatureAlgorithm, 10) // ECDSAWithSHA256 (signed by the EC intermediate)
  assert.equal(leaf.PublicKeyAlgorithm, 1) // RSA
  const pub = node.publicKey.export({ format: 'jwk' })
  assert.equal((leaf.PublicKey as Obj).E, 65537)
  assert.equal((leaf.PublicKey as Obj).N, BigInt('0x' + Buffer.from(pub.n!, 'base64url').toString('hex')))
  assert.equal(leaf.Raw, node.raw.toString('base64'))
  assert.equal(leaf.NotBefore, new Date(node.validFrom).toISOString().replace('.000Z', 'Z'))
  assert.equal(leaf.AuthorityKeyId, (certs[1]!.SubjectKeyId as string))

  const inter = certs[1]!
  assert.equal(inter.IsCA, true)
  assert.equal(inter.MaxPathLen, 0)
  assert.equal(inter.MaxPathLenZero, true)
  assert.equal(inter.KeyUsage, 32 + 64) // certSign | crlSign
  assert.equal(inter.URIStrings, null)
  assert.equal(inter.PublicKeyAlgorithm, 3)
  assert.deepEqual(Object.keys(inter.PublicKey as Obj).sort(), ['Curve', 'X', 'Y'])
})

test('parse_certificates accepts base64 of PEM and of DER; rejects bad input like Go', () => {
  const pem = fixture('root.pem')
  const der = new X509Certificate(pem).raw
  const viaB64Pem = call('crypto.x509.parse_certificates', Buffer.from(pem).toString('base64')) as Obj[]
  const viaDer = call('crypto.x509.parse_certificates', der.toString('base64')) as Obj[]
  assert.equal((viaB64Pem[0]!.Subject as Obj).CommonName, 'Signoff Test Root')
  assert.deepEqual(viaDer, viaB64Pem)
  assert.throws(() => call('crypto.x509.parse_certificates', 'foobar'), /illegal base64 data at input byte 4/)
  assert.throws(() => call('crypto.x509.parse_certificates', 'YmFkc3RyaW5n'), /x509: malformed certificate/)
  assert.throws(() => call('crypto.x509.parse_certificates', pem + fixture('leaf.key')), /PEM block type is 'PRIVATE KEY', expected CERTIFICATE/)
  assert.deepEqual(call('crypto.x509.parse_certificates', ''), [])
  assert.throws(() => call('crypto.x509.parse_certificates', fixture('secp256k1.pem')), /x509: unsupported elliptic curve/)
})

test('parse_and_verify_certificates verifies root → intermediate → leaf', () => {
  const chain = fixture('root.pem') + fixture('inter.pem') + fixture('leaf.pem')
  const [ok, certs] = call('crypto.x509.parse_and_verify_certificates', chain) as [boolean, Obj[]]
  assert.equal(ok, true)
  assert.deepEqual(
    certs.map((c) => (c.Subject as Obj).CommonName),
    ['svc.signoff.test', 'Signoff Test Intermediate', 'Signoff Test Root'],
  )
  // Missing intermediate, wrong order, or a single certificate: not valid.
  assert.deepEqual(call('crypto.x509.parse_and_verify_certificates', fixture('root.pem') + fixture('leaf.pem')), [false, []])
  assert.deepEqual(call('crypto.x509.parse_and_verify_certificates', fixture('leaf.pem') + fixture('inter.pem')), [false, []])
  assert.deepEqual(call('crypto.x509.parse_and_verify_certificates', fixture('root.pem')), [false, []])
  assert.deepEqual(call('crypto.x509.parse_and_verify_certificates', 'not base64!'), [false, []])
  // Go's Verify refuses SHA-1 signatures (the chain is otherwise well-formed).
  assert.equal((call('crypto.x509.parse_certificates', fixture('sha1-leaf.pem')) as Obj[])[0]!.SignatureAlgorithm, 9)
  assert.deepEqual(call('crypto.x509.parse_and_verify_certificates', fixture('sha1-root.pem') + fixture('sha1-leaf.pem')), [false, []])
  // Before the certificates were issued.
  const early = context({ timeNs: 1_600_000_000_000_000_000n })
  assert.deepEqual(callCtx(early, 'crypto.x509.parse_and_verify_certificates', chain), [false, []])
})

test('parse_and_verify_certificates_with_options applies DNSName, CurrentTime and KeyUsages', () => {
  const chain = fixture('root.pem') + fixture('inter.pem') + fixture('leaf.pem')
  const verify = (opts: Obj): unknown => (call('crypto.x509.parse_and_verify_certificates_with_options', chain, opts) as unknown[])[0]
  assert.equal(verify({ DNSName: 'svc.signoff.test' }), true)
  assert.equal(verify({ DNSName: 'x.apps.signoff.test' }), true)
  assert.equal(verify({ DNSName: 'other.test' }), false)
  assert.equal(verify({ DNSName: '10.1.2.3' }), true)
  assert.equal(verify({ DNSName: '10.1.2.4' }), false)
  assert.equal(verify({ KeyUsages: ['KeyUsageClientAuth'] }), true)
  assert.equal(verify({ KeyUsages: ['KeyUsageCodeSigning'] }), false)
  assert.equal(verify({ KeyUsages: ['KeyUsageAny'] }), true)
  assert.equal(verify({ CurrentTime: 1_600_000_000_000_000_000 }), false)
  assert.equal(verify({ CurrentTime: 4_000_000_000_000_000_000n }), true)
  assert.throws(() => verify({ KeyUsages: ['Nope'] }), /invalid entries for 'KeyUsages' found: \[Nope\]/)
  assert.throws(() => verify({ DNSName: 1 }), /'DNSName' should be a string/)
  assert.throws(() => verify({ Bogus: 1 }), /invalid key option/)
})

test('parse_certificate_request reads PKCS #10 in PEM, base64 PEM and base64 DER', () => {
  const pem = fixture('leaf.csr')
  const csr = call('crypto.x509.parse_certificate_request', pem) as Obj
  assert.equal((csr.Subject as Obj).CommonName, 'svc.signoff.test')
  assert.deepEqual(csr.DNSNames, ['svc.signoff.test'])
  assert.equal(csr.PublicKeyAlgorithm, 1)
  assert.equal(csr.SignatureAlgorithm, 4) // SHA256WithRSA
  const b64 = call('crypto.x509.parse_certificate_request', Buffer.from(pem).toString('base64')) as Obj
  assert.deepEqual(b64, csr)
  const der = pemDecode(pem)[0]!.bytes
  assert.deepEqual(call('crypto.x509.parse_certificate_request', der.toString('base64')), csr)
  assert.throws(() => call('crypto.x509.parse_certificate_request', 'YmFkc3RyaW5n'), /asn1: structure error/)
  assert.throws(
    () => call('crypto.x509.parse_certificate_request', Buffer.from(fixture('root.pem')).toString('base64')),
    /invalid PEM-encoded certificate signing request/,
  )
})

test('parse_keypair returns tls.Certificate and checks the key matches', () => {
  const pair = call('crypto.x509.parse_keypair', fixture('leaf.pem'), fixture('leaf.key')) as Obj
  assert.deepEqual(pair.Certificate, [new X509Certificate(fixture('leaf.pem')).raw.toString('base64')])
  assert.equal(((pair.Leaf as Obj).Subject as Obj).CommonName, 'svc.signoff.test')
  assert.equal((pair.PrivateKey as Obj).E, 65537)
  const b64 = call('crypto.x509.parse_keypair', Buffer.from(fixture('leaf.pem')).toString('base64'), Buffer.from(fixture('leaf-pkcs1.key')).toString('base64'))
  assert.deepEqual(b64, pair)
  assert.throws(() => call('crypto.x509.parse_keypair', fixture('leaf.pem'), fixture('root.key')), /tls: private key type does not match public key type/)
  const otherRsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ format: 'pem', type: 'pkcs8' }) as string
  assert.throws(() => call('crypto.x509.parse_keypair', fixture('leaf.pem'), otherRsa), /tls: private key does not match public key/)
  assert.throws(() => call('crypto.x509.parse_keypair', fixture('leaf.key'), fixture('leaf.pem')), /PEM inputs may have been switched/)
  assert.throws(() => call('crypto.x509.parse_keypair', fixture('leaf.pem'), fixture('leaf.pem')), /tls: found a certificate rather than a key in the PEM for the private key/)
})

test('parse_rsa_private_key returns a JWK; parse_private_keys returns Go key structs', () => {
  const jwk = call('crypto.x509.parse_rsa_private_key', fixture('leaf-pkcs1.key')) as Obj
  assert.equal(jwk.kty, 'RSA')
  assert.equal(jwk.e, 'AQAB')
  assert.deepEqual(Object.keys(jwk).sort(), ['d', 'dp', 'dq', 'e', 'kty', 'n', 'p', 'q', 'qi'])
  assert.throws(() => call('crypto.x509.parse_rsa_private_key', 'invalid'), /illegal base64/)
  assert.deepEqual(call('crypto.x509.parse_rsa_private_key', fixture('leaf.key')), jwk) // PKCS #8 of the same key
  assert.equal((call('crypto.x509.parse_rsa_private_key', fixture('ed.key')) as Obj).kty, 'OKP')
  assert.throws(() => call('crypto.x509.parse_rsa_private_key', fixture('root.key')), /PEM block type is 'EC PRIVATE KEY', expected RSA PRIVATE KEY/)
  assert.throws(() => call('crypto.x509.parse_rsa_private_key', Buffer.from('no pem').toString('base64')), /failed to parse PEM block containing the key/)

  const keys = call('crypto.parse_private_keys', fixture('leaf.key') + fixture('root.pem') + fixture('root.key') + fixture('ed.key')) as Obj[]
  assert.equal(keys.length, 3)
  assert.deepEqual(Object.keys(keys[0]!).sort(), ['D', 'E', 'N', 'Precomputed', 'Primes'])
  assert.deepEqual(Object.keys(keys[1]!).sort(), ['Curve', 'D', 'X', 'Y'])
  assert.equal(Buffer.from(keys[2] as unknown as string, 'base64').length, 64)
  assert.equal(call('crypto.parse_private_keys', ''), null)
  assert.deepEqual(call('crypto.parse_private_keys', 'nope'), [])
})
