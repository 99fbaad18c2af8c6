import { strict as assert } from 'node:assert'
import { describe, it } from 'node:test'
import {
  channelTarget,
  canTransition,
  canonicalJson,
  checkVote,
  inputDigest,
  isEligible,
  parseDuration,
  quorumReached,
  statusAfterVote,
  type ApprovalRecord,
  type ApprovalRequest,
} from '../src/domain/index.js'

const groups = { sre: ['alice@example.com', 'Bob@Example.com'] }

function pending(over: Partial<ApprovalRequest> = {}): ApprovalRequest {
  return {
    id: 'r1',
    status: 'pending',
    input: {},
    digest: 'd',
    requester: 'ci@example.com',
    reason: null,
    spec: { approvers: ['group:sre'], minApprovals: 2, channels: ['web'], timeoutMs: 1000, selfApproval: false, grantTtlMs: null },
    approvals: [],
    createdAt: 0,
    expiresAt: 1000,
    decidedAt: null,
    idempotencyKey: null,
    callbackUrl: null,
    policyRevision: 'p',
    result: null,
    version: 1,
    ...over,
  }
}

const vote = (approver: string, decision: 'approve' | 'reject' = 'approve'): ApprovalRecord => ({ approver, groups: [], decision, comment: null, at: 1, via: 'api' })

describe('canonical JSON (RFC 8785)', () => {
  it('sorts keys by UTF-16 code units and drops whitespace', () => {
    assert.equal(canonicalJson({ b: 1, a: [true, null, 'x'], '\u20ac': 1, '\r': 2, '1': 3 }), '{"\\r":2,"1":3,"a":[true,null,"x"],"b":1,"€":1}')
  })
  it('writes numbers in ECMAScript shortest form', () => {
    assert.equal(canonicalJson([1e21, 1e-7, -0, 0.1, 333333333.3333333, 4.5e-324]), '[1e+21,1e-7,0,0.1,333333333.3333333,5e-324]')
  })
  it('refuses values JSON cannot carry', () => {
    assert.throws(() => canonicalJson(NaN), TypeError)
    assert.throws(() => canonicalJson({ a: () => 1 }), TypeError)
  })
  it('gives the same digest for the same document in any key order', () => {
    assert.equal(inputDigest({ a: 1, b: { c: 2, d: 3 } }), inputDigest({ b: { d: 3, c: 2 }, a: 1 }))
    assert.notEqual(inputDigest({ a: 1 }), inputDigest({ a: 2 }))
    assert.match(inputDigest({}), /^[0-9a-f]{64}$/)
  })
})

describe('channel targets', () => {
  it('split a policy channels entry at its first colon', () => {
    assert.deepEqual(channelTarget('slack:#deploys'), { channel: 'slack', destination: '#deploys' })
    assert.deepEqual(channelTarget('teams-webhook:sec:ops'), { channel: 'teams-webhook', destination: 'sec:ops' })
    assert.deepEqual(channelTarget('web'), { channel: 'web', destination: null })
  })
})

describe('durations', () => {
  it('parses Go-style units and bare seconds', () => {
    assert.equal(parseDuration('1h'), 3_600_000)
    assert.equal(parseDuration('1h30m'), 5_400_000)
    assert.equal(parseDuration('250ms'), 250)
    assert.equal(parseDuration('2d'), 172_800_000)
    assert.equal(parseDuration('90'), 90_000)
    assert.equal(parseDuration('soon'), null)
    assert.equal(parseDuration('1y'), null)
  })
})

describe('eligibility', () => {
  it('matches users and config groups case-insensitively', () => {
    assert.equal(isEligible('bob@example.com', ['group:sre'], groups), true)
    assert.equal(isEligible('ALICE@example.com', ['user:alice@example.com'], groups), true)
    assert.equal(isEligible('mallory@example.com', ['group:sre', 'user:x@example.com'], groups), false)
    assert.equal(isEligible('anyone@example.com', [], groups), true)
  })
})

describe('lifecycle', () => {
  it('allows only pending → final transitions', () => {
    assert.equal(canTransition('pending', 'approved'), true)
    assert.equal(canTransition('approved', 'rejected'), false)
    assert.equal(canTransition('expired', 'approved'), false)
    assert.equal(canTransition('allowed', 'pending'), false)
  })
  it('refuses votes on final, expired, ineligible, self and repeated votes', () => {
    assert.equal(checkVote(pending({ status: 'approved' }), vote('alice@example.com'), groups, 0)?.code, 'SIGNOFF_ALREADY_DECIDED')
    assert.equal(checkVote(pending(), vote('alice@example.com'), groups, 1000)?.code, 'SIGNOFF_ALREADY_DECIDED')
    assert.equal(checkVote(pending(), vote('mallory@example.com'), groups, 0)?.code, 'SIGNOFF_NOT_ELIGIBLE')
    assert.equal(checkVote(pending({ requester: 'alice@example.com' }), vote('alice@example.com'), groups, 0)?.code, 'SIGNOFF_SELF_APPROVAL')
    const selfOk = pending({ requester: 'alice@example.com', spec: { ...pending().spec!, selfApproval: true } })
    assert.equal(checkVote(selfOk, vote('alice@example.com'), groups, 0), null)
    assert.equal(checkVote(pending({ approvals: [vote('alice@example.com')] }), vote('ALICE@example.com'), groups, 0)?.code, 'SIGNOFF_ALREADY_VOTED')
    assert.equal(checkVote(pending(), vote('bob@example.com'), groups, 999), null)
  })
  it('counts distinct eligible approvals toward the quorum', () => {
    const spec = pending().spec!
    assert.equal(quorumReached([vote('alice@example.com')], spec, groups), false)
    assert.equal(quorumReached([vote('alice@example.com'), vote('mallory@example.com')], spec, groups), false)
    assert.equal(quorumReached([vote('alice@example.com'), vote('bob@example.com', 'reject')], spec, groups), false)
    assert.equal(quorumReached([vote('alice@example.com'), vote('bob@example.com')], spec, groups), true)
  })
  it('maps the re-evaluated policy to the next status', () => {
    assert.equal(statusAfterVote(vote('a', 'reject'), 'allow'), 'rejected')
    assert.equal(statusAfterVote(vote('a'), 'allow'), 'approved')
    assert.equal(statusAfterVote(vote('a'), 'approval'), 'pending')
    assert.equal(statusAfterVote(vote('a'), 'deny'), 'rejected')
  })
})
