import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { register } from '../src/builtins/encoding.js'
import { toJS } from '../src/value/json.js'
import { caller } from './strings-harness.js'

const { call } = caller(register)
const js = (name: string, ...args: unknown[]): unknown => toJS(call(name, ...args)!)

describe('encoding built-ins', () => {
  it('base64 encodes and decodes with Go errors', () => {
    assert.equal(call('base64.encode', 'subjects?_d'), 'c3ViamVjdHM/X2Q=')
    assert.equal(call('base64.decode', 'c3ViamVjdHM/X2Q='), 'subjects?_d')
    assert.equal(call('base64.decode', 'aGVs\nbG8='), 'hello')
    assert.throws(() => call('base64.decode', 'aGVsbG8'), { message: 'illegal base64 data at input byte 4' })
    assert.throws(() => call('base64.decode', 'aGV$'), { message: 'illegal base64 data at input byte 3' })
    assert.throws(() => call('base64.decode', 'aGVsbG8=x'), { message: 'illegal base64 data at input byte 8' })
    assert.equal(call('base64.is_valid', 'aGVsbG8='), true)
    assert.equal(call('base64.is_valid', 'aGVsbG8'), false)
    assert.equal(call('base64.is_valid', ''), true)
  })

  it('base64url pads or not', () => {
    assert.equal(call('base64url.encode', 'subjects?_d'), 'c3ViamVjdHM_X2Q=')
    assert.equal(call('base64url.encode_no_pad', 'subjects?_d'), 'c3ViamVjdHM_X2Q')
    assert.equal(call('base64url.decode', 'c3ViamVjdHM_X2Q='), 'subjects?_d')
    assert.equal(call('base64url.decode', 'c3ViamVjdHM_X2Q'), 'subjects?_d')
    assert.throws(() => call('base64url.decode', 'c3ViamVjdHM/X2Q='), { message: 'illegal base64 data at input byte 11' })
    assert.throws(() => call('base64url.decode', 'abcde'), { message: 'illegal base64url string: abcde' })
    assert.equal(call('base64url.decode', 'YQ'), 'a')
  })

  it('hex', () => {
    assert.equal(call('hex.encode', 'lorem ipsum'), '6c6f72656d20697073756d')
    assert.equal(call('hex.decode', '6C6f72656d'), 'lorem')
    assert.throws(() => call('hex.decode', '6c6g'), { message: "encoding/hex: invalid byte: U+0067 'g'" })
    assert.throws(() => call('hex.decode', '6c6'), { message: 'encoding/hex: odd length hex string' })
  })

  it('urlquery', () => {
    assert.equal(call('urlquery.encode', 'a=b+1 ü~'), 'a%3Db%2B1+%C3%BC~')
    assert.equal(call('urlquery.decode', 'a%3Db%2B1+%C3%BC'), 'a=b+1 ü')
    assert.throws(() => call('urlquery.decode', 'a%zzb'), { message: 'invalid URL escape "%zz"' })
    assert.throws(() => call('urlquery.decode', 'a%2'), { message: 'invalid URL escape "%2"' })
    assert.equal(call('urlquery.encode_object', { c: 'd', a: ['c=b+1', 'x'], b: new Set(['z']) }), 'a=c%3Db%2B1&a=x&b=z&c=d')
    assert.equal(call('urlquery.encode_object', {}), '')
    assert.deepEqual(js('urlquery.decode_object', 'a=value_a1&b&a=value_a2'), { a: ['value_a1', 'value_a2'], b: [''] })
    assert.deepEqual(js('urlquery.decode_object', ''), {})
  })
})
