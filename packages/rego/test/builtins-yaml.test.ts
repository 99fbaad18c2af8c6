import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { register } from '../src/builtins/yaml.js'
import { toJS } from '../src/value/json.js'
import { caller } from './strings-harness.js'

const { call } = caller(register)

describe('yaml built-ins', () => {
  it('unmarshal reads YAML 1.1 like go-yaml v2, keys as strings', () => {
    assert.deepEqual(toJS(call('yaml.unmarshal', 'foo:\n - qux: bar\n - baz: 2\non: yes\n1: 2001-12-14\n')!), {
      foo: [{ qux: 'bar' }, { baz: 2 }],
      true: true,
      1: '2001-12-14',
    })
    assert.deepEqual(toJS(call('yaml.unmarshal', 'num: 123456789012345678901234')!), { num: 123456789012345678901234n })
    assert.deepEqual(toJS(call('yaml.unmarshal', '{"json": "ok"}')!), { json: 'ok' })
    assert.equal(call('yaml.unmarshal', ''), null)
  })

  it('unmarshal errors read like go-yaml', () => {
    assert.throws(() => call('yaml.unmarshal', '[1,2,3'), /^BuiltinError: yaml: line 1: did not find expected ',' or '\]'$/)
    assert.equal(call('yaml.is_valid', 'foo:\n - qux: bar\n - baz: {'), false)
    assert.throws(() => call('yaml.unmarshal', 'a:\n\t- 1'), { message: 'yaml: line 2: found character that cannot start any token' })
    assert.throws(() => call('yaml.unmarshal', 'key: value: x'), { message: 'yaml: line 1: mapping values are not allowed in this context' })
    assert.deepEqual(toJS(call('yaml.unmarshal', 'a: 1\na: 2')!), { a: 2 })
    assert.equal(call('yaml.is_valid', 'a: 1'), true)
    assert.equal(call('yaml.is_valid', 1), false)
  })

  it('marshal writes go-yaml layout and round-trips', () => {
    assert.equal(call('yaml.marshal', { foo: [1, 2.5, { b: 'true', a: 'x' }], a10: 1, a9: 2 }), 'a9: 2\na10: 1\nfoo:\n- 1\n- 2.5\n- a: x\n  b: "true"\n')
    assert.equal(call('yaml.marshal', 1234567.5), '1.2345675e+06\n')
    const v = [{ foo: new Set([1, 2, 3]) }]
    assert.deepEqual(toJS(call('yaml.unmarshal', call('yaml.marshal', v) as string)!), [{ foo: [1, 2, 3] }])
  })
})
