import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { register as units } from '../src/builtins/units.js'
import { register as semver } from '../src/builtins/semver.js'
import { register as uuid } from '../src/builtins/uuid.js'
import { toJS } from '../src/value/json.js'
import { caller, makeContext } from './strings-harness.js'

const { call, callWith } = caller(units, semver, uuid)

describe('units', () => {
  it('parse handles SI/IEC suffixes, exponents and milli', () => {
    assert.equal(call('units.parse', '1.1Ki'), 1126.4)
    assert.equal(call('units.parse', '10E'), 10000000000000000000n)
    assert.equal(call('units.parse', '5E'), 5000000000000000000n)
    assert.equal(call('units.parse', '1e10'), 10000000000)
    assert.equal(call('units.parse', '2.5e3K'), 2500000)
    assert.equal(call('units.parse', '-3.5E2m'), -0.35)
    assert.equal(call('units.parse', '100m'), 0.1)
    assert.equal(call('units.parse', '"100TI"'), 109951162777600)
    assert.equal(call('units.parse', '.0'), 0)
  })
  it('parse errors', () => {
    assert.throws(() => call('units.parse', 'G'), { message: 'no amount provided' })
    assert.throws(() => call('units.parse', '0.0.0'), { message: 'could not parse amount to a number' })
    assert.throws(() => call('units.parse', '100 k'), { message: 'spaces not allowed in resource strings' })
    assert.throws(() => call('units.parse', '1x'), { message: 'unit x not recognized' })
  })
  it('parse_bytes truncates to whole bytes and is case-insensitive', () => {
    assert.equal(call('units.parse_bytes', '1.1KiB'), 1126)
    assert.equal(call('units.parse_bytes', '10eib'), 11529215046068469760n)
    assert.equal(call('units.parse_bytes', '1e-2KB'), 10)
    assert.equal(call('units.parse_bytes', '3.2E2MiB'), 335544320)
    assert.equal(call('units.parse_bytes', '200MB'), 200000000)
    assert.throws(() => call('units.parse_bytes', 'GB'), { message: 'no byte amount provided' })
    assert.throws(() => call('units.parse_bytes', '.5.2'), { message: 'could not parse byte amount to a number' })
    assert.throws(() => call('units.parse_bytes', '5xb'), { message: 'byte unit xb not recognized' })
  })
})

describe('semver', () => {
  it('compares with pre-release precedence', () => {
    assert.equal(call('semver.compare', '2.0.0', '1.0.0'), 1)
    assert.equal(call('semver.compare', '1.0.0', '1.0.0+build'), 0)
    assert.equal(call('semver.compare', '1.0.0-alpha', '1.0.0'), -1)
    assert.equal(call('semver.compare', '1.0.0-alpha.2', '1.0.0-alpha.10'), -1)
    assert.equal(call('semver.compare', '1.0.0-alpha.beta', '1.0.0-alpha.1'), 1)
    assert.equal(call('semver.compare', '1.0.0-rc.1', '1.0.0-rc.1.1'), -1)
    assert.throws(() => call('semver.compare', '1', '1.0.0'), { message: 'operand 1: string "1" is not a valid SemVer' })
  })
  it('is_valid', () => {
    assert.equal(call('semver.is_valid', '1.0.0'), true)
    assert.equal(call('semver.is_valid', '1.0.0-rc.1+meta.2'), true)
    assert.equal(call('semver.is_valid', '1'), false)
    assert.equal(call('semver.is_valid', '1.0.0-'), true)
    assert.equal(call('semver.is_valid', '1.0.0-a..b'), false)
    assert.equal(call('semver.is_valid', '1.0.x'), false)
    assert.equal(call('semver.is_valid', 1), false)
  })
})

describe('uuid', () => {
  it('rfc4122 is a v4 UUID, stable per argument within an evaluation', () => {
    const ctx = makeContext(7)
    const a = callWith(ctx, 'uuid.rfc4122', 'key') as string
    assert.match(a, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    assert.equal(callWith(ctx, 'uuid.rfc4122', 'key'), a)
    assert.notEqual(callWith(ctx, 'uuid.rfc4122', 'other'), a)
    assert.notEqual(callWith(makeContext(8), 'uuid.rfc4122', 'key'), a)
  })
  it('parse reads all google/uuid forms and v1/v2 fields', () => {
    assert.deepEqual(toJS(call('uuid.parse', '{00000000-0000-4000-8000-000000000000}')!), { variant: 'RFC4122', version: 4 })
    assert.deepEqual(toJS(call('uuid.parse', '6bea8ef2d3d33cd184e09bab06a52ece')!), { variant: 'RFC4122', version: 3 })
    assert.deepEqual(toJS(call('uuid.parse', 'urn:uuid:000003e8-48b9-21ee-b200-325096b39f47')!), {
      clocksequence: 12800,
      domain: 'Person',
      id: 1000,
      macvariables: 'local:unicast',
      nodeid: '32-50-96-b3-9f-47',
      time: 1693566990121469600n,
      variant: 'RFC4122',
      version: 2,
    })
    assert.equal(call('uuid.parse', 'not-a-uuid'), undefined)
    assert.equal(call('uuid.parse', '00000000-0000-4000-8000-00000000000g'), undefined)
  })
})
