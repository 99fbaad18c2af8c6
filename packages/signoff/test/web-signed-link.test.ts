import { strict as assert } from 'node:assert'
import { describe, it } from 'node:test'
import { checkApprovalLink, mintApprovalLink } from '../src/channels/web/approval-link.js'
import { checkFormToken, formToken } from '../src/channels/web/form-token.js'
import { SignedToken } from '../src/channels/web/signed-token.js'

const SECRET = 'k'.repeat(32)

function clock(start: number): { now: () => number; advance: (ms: number) => void } {
  let t = start
  return { now: () => t, advance: (ms) => void (t += ms) }
}

describe('web: signed approval links', () => {
  it('round-trips the claims and builds the page URL', () => {
    const c = clock(1_000_000)
    const tokens = new SignedToken(SECRET, c.now)
    const link = mintApprovalLink(tokens, { publicUrl: 'http://127.0.0.1:8686/', requestId: 'req 1', approver: 'bob@example.com', expiresAt: 1_060_000, nonce: 'n1' })
    assert.equal(link.url, `http://127.0.0.1:8686/r/req%201?t=${link.token}`)
    assert.match(link.token, /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/, 'URL-safe without escaping')
    const check = checkApprovalLink(tokens, 'req 1', link.token)
    assert.deepEqual(check, { ok: true, claims: { requestId: 'req 1', approver: 'bob@example.com', nonce: 'n1' }, expiresAt: 1_060_000 })
  })

  it('refuses a link after its expiry, exactly at the boundary', () => {
    const c = clock(0)
    const tokens = new SignedToken(SECRET, c.now)
    const link = mintApprovalLink(tokens, { publicUrl: 'http://x', requestId: 'r', approver: 'a@x', expiresAt: 1000 })
    c.advance(999)
    assert.equal(checkApprovalLink(tokens, 'r', link.token).ok, true)
    c.advance(1)
    assert.deepEqual(checkApprovalLink(tokens, 'r', link.token), { ok: false, fault: 'expired' })
  })

  it('refuses forged, altered, foreign and misdirected links', () => {
    const tokens = new SignedToken(SECRET, () => 0)
    const other = new SignedToken('z'.repeat(32), () => 0)
    const link = mintApprovalLink(tokens, { publicUrl: 'http://x', requestId: 'r', approver: 'a@x', expiresAt: 1000 })
    const [body, mac] = link.token.split('.') as [string, string]
    const altered = Buffer.from(JSON.stringify({ p: 'approval-link', e: 1000, c: { r: 'r', a: 'mallory@x', n: 'n' } })).toString('base64url')
    assert.deepEqual(checkApprovalLink(tokens, 'r', `${altered}.${mac}`), { ok: false, fault: 'forged' })
    assert.deepEqual(checkApprovalLink(tokens, 'r', `${body}.${mac.slice(0, -2)}AA`), { ok: false, fault: 'forged' })
    assert.deepEqual(checkApprovalLink(other, 'r', link.token), { ok: false, fault: 'forged' })
    assert.deepEqual(checkApprovalLink(tokens, 'r2', link.token), { ok: false, fault: 'wrong_request' })
    assert.deepEqual(checkApprovalLink(tokens, 'r', 'garbage'), { ok: false, fault: 'malformed' })
    assert.deepEqual(checkApprovalLink(tokens, 'r', ''), { ok: false, fault: 'malformed' })
  })

  it('never opens a token minted for another purpose', () => {
    const tokens = new SignedToken(SECRET, () => 0)
    const session = tokens.seal('admin-session', { r: 'r', a: 'a@x', n: 'n' }, 1000)
    assert.deepEqual(checkApprovalLink(tokens, 'r', session), { ok: false, fault: 'forged' })
  })

  it('rejects a short secret', () => {
    assert.throws(() => new SignedToken('short'), RangeError)
  })
})

describe('web: form tokens', () => {
  it('bind a form to its scope and action', () => {
    const tokens = new SignedToken(SECRET, () => 0)
    const t = formToken(tokens, 'nonce-1', 'approve')
    assert.equal(checkFormToken(tokens, 'nonce-1', 'approve', t), true)
    assert.equal(checkFormToken(tokens, 'nonce-1', 'reject', t), false)
    assert.equal(checkFormToken(tokens, 'nonce-2', 'approve', t), false)
    assert.equal(checkFormToken(tokens, 'nonce-1', 'approve', undefined), false)
    assert.equal(checkFormToken(tokens, 'nonce-1', 'approve', t.slice(1)), false)
  })
})
