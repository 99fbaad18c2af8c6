import { strict as assert } from 'node:assert'
import { readFileSync, writeFileSync } from 'node:fs'
import { describe, it } from 'node:test'
import { renderApprovalPage } from '../src/channels/web/approval-page.js'
import { renderDashboard, renderLoginPage, renderRequestPage } from '../src/channels/web/dashboard-pages.js'
import { escapeHtml, html } from '../src/channels/web/html.js'
import { renderLinkRefusal } from '../src/channels/web/message-page.js'
import { CONTENT_SECURITY_POLICY, PAGE_STYLE, PAGE_STYLE_HASH } from '../src/channels/web/page-layout.js'
import type { RequestView } from '../src/channels/web/request-view.js'
import { createHash } from 'node:crypto'

const GOLDEN = new URL('./web-golden/', import.meta.url)

/** Compares with test/web-golden/<name>; UPDATE_GOLDEN=1 rewrites the file instead. */
function golden(name: string, actual: string): void {
  const file = new URL(name, GOLDEN)
  if (process.env.UPDATE_GOLDEN === '1') writeFileSync(file, actual)
  assert.equal(actual, readFileSync(file, 'utf8'), `golden ${name} differs (UPDATE_GOLDEN=1 to accept)`)
}

const pending: RequestView = {
  id: 'req_01HZX3',
  status: 'pending',
  requester: 'ci@example.com',
  reason: 'production deploys need two SREs',
  input: { resource: 'production', action: 'deploy', note: '<script>alert("x")</script>' },
  digest: 'a'.repeat(64),
  createdAt: '2026-01-02T03:04:05.000Z',
  expiresAt: '2026-01-02T04:04:05.000Z',
  decidedAt: null,
  minApprovals: 2,
  approvers: ['group:sre'],
  approvals: [
    { approver: 'alice@example.com', decision: 'approve', comment: 'looks fine & "tested"', at: '2026-01-02T03:10:00.000Z', via: 'web' },
  ],
  eligible: ['alice@example.com', 'bob@example.com'],
  selfApproval: false,
  detailsUrl: 'https://signoff.example.com/ui/requests/req_01HZX3',
}

const approved: RequestView = {
  ...pending,
  id: 'req_01HZX4',
  status: 'approved',
  decidedAt: '2026-01-02T03:12:00.000Z',
  approvals: [
    ...pending.approvals,
    { approver: 'bob@example.com', decision: 'approve', comment: null, at: '2026-01-02T03:12:00.000Z', via: 'slack' },
  ],
}

describe('web: html', () => {
  it('escapes every interpolated string and keeps Html values', () => {
    const evil = `<img src=x onerror="alert('1')">&\``
    assert.equal(escapeHtml(evil), '&lt;img src=x onerror=&quot;alert(&#39;1&#39;)&quot;&gt;&amp;&#96;')
    const inner = html`<b>${evil}</b>`
    assert.equal(html`<p>${inner}${[1, 'a<b', null, undefined, false]}</p>`.value, `<p><b>${escapeHtml(evil)}</b>1a&lt;b</p>`)
  })

  it('puts no user text into the page unescaped', () => {
    const page = renderApprovalPage({
      view: pending,
      approver: 'bob@example.com',
      canDecide: true,
      linkToken: 'tok"en',
      approveToken: 'A',
      rejectToken: 'R',
    })
    assert.ok(!page.includes('<script>'), 'the input document is escaped')
    assert.ok(page.includes('&lt;script&gt;alert(\\&quot;x\\&quot;)&lt;/script&gt;'))
    assert.ok(page.includes('value="tok&quot;en"'))
  })

  it('allows exactly the inline stylesheet by hash and nothing else', () => {
    assert.equal(PAGE_STYLE_HASH, `'sha256-${createHash('sha256').update(PAGE_STYLE).digest('base64')}'`)
    assert.match(CONTENT_SECURITY_POLICY, /default-src 'none'/)
    assert.match(CONTENT_SECURITY_POLICY, /form-action 'self'/)
    assert.match(CONTENT_SECURITY_POLICY, /frame-ancestors 'none'/)
    assert.ok(!CONTENT_SECURITY_POLICY.includes('unsafe-inline'))
    assert.ok(!CONTENT_SECURITY_POLICY.includes('script-src'), 'no script source at all (default-src none)')
  })
})

describe('web: golden pages', () => {
  it('approval page with forms', () => {
    golden(
      'approval-page.html',
      renderApprovalPage({ view: pending, approver: 'bob@example.com', canDecide: true, linkToken: 'LINK', approveToken: 'CSRF-A', rejectToken: 'CSRF-R' }),
    )
  })

  it('approval page after the decision', () => {
    golden(
      'approval-page-decided.html',
      renderApprovalPage({
        view: approved,
        approver: 'bob@example.com',
        canDecide: false,
        linkToken: 'LINK',
        approveToken: 'CSRF-A',
        rejectToken: 'CSRF-R',
        notice: { kind: 'ok', text: 'You approved. The request is now approved.' },
      }),
    )
  })

  it('link refusals', () => {
    const expired = renderLinkRefusal('expired')
    const forged = renderLinkRefusal('forged')
    const used = renderLinkRefusal('used')
    assert.deepEqual([expired.status, forged.status, used.status, renderLinkRefusal('wrong_request').status], [410, 403, 410, 403])
    golden('link-expired.html', expired.body)
    golden('link-forged.html', forged.body)
    golden('link-used.html', used.body)
  })

  it('login, dashboard and request timeline', () => {
    const session = { subject: 'admin', logoutToken: 'CSRF-L' }
    golden('login.html', renderLoginPage({ csrf: 'CSRF-IN', error: 'That token is not an admin token.' }))
    golden(
      'dashboard.html',
      renderDashboard({
        session,
        filters: { status: null, requester: 'ci@example.com', since: '2026-01-01', until: null },
        pending: [pending],
        past: [approved],
        nextPage: 'requester=ci%40example.com&cursor=abc',
      }),
    )
    const onlyApproved = renderDashboard({
      session,
      filters: { status: 'approved', requester: null, since: null, until: null },
      pending: [],
      past: [],
      nextPage: null,
    })
    assert.ok(!onlyApproved.includes('<h2>Pending</h2>'))
    assert.ok(onlyApproved.includes('<option value="approved" selected>'))
    golden(
      'request-timeline.html',
      renderRequestPage({
        session,
        view: approved,
        timeline: [
          { at: '2026-01-02T03:04:05.000Z', event: 'created', actor: 'ci@example.com', detail: 'pending: production deploys need two SREs' },
          { at: '2026-01-02T03:10:00.000Z', event: 'approval', actor: 'alice@example.com', detail: 'via web' },
          { at: '2026-01-02T03:12:00.000Z', event: 'approved', actor: 'bob@example.com', detail: null },
        ],
      }),
    )
  })
})
