import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { register } from '../src/builtins/json.js'
import { fromJS, toJS } from '../src/value/json.js'
import { caller } from './strings-harness.js'

const { call } = caller(register)
const js = (name: string, ...args: unknown[]): unknown => {
  const v = call(name, ...args)
  return v === undefined ? undefined : toJS(v)
}

describe('json encoding built-ins', () => {
  it('marshal sorts keys and escapes like Go', () => {
    assert.equal(call('json.marshal', { b: [1, 2.5], a: '<&>\u2028', c: new Set([3, 1]) }), '{"a":"\\u003c\\u0026\\u003e\\u2028","b":[1,2.5],"c":[1,3]}')
    assert.equal(call('json.marshal', 'x\ny\u0001\b'), '"x\\ny\\u0001\\b"')
    assert.equal(call('json.marshal', 12345678901234567890n), '12345678901234567890')
    assert.equal(call('json.marshal', fromJS(new Map<unknown, unknown>([[1, 'a'], ['b', 2]]))), '{"1":"a","b":2}')
  })

  it('marshal_with_options indents like MarshalIndent and prefixes the first line', () => {
    assert.equal(call('json.marshal_with_options', { a: [1], b: {} }, { pretty: true }), '{\n\t"a": [\n\t\t1\n\t],\n\t"b": {}\n}')
    assert.equal(call('json.marshal_with_options', [1], { indent: '  ', prefix: '>' }), '>[\n>  1\n>]')
    assert.equal(call('json.marshal_with_options', [1], { indent: '  ', pretty: false }), '[1]')
    assert.throws(() => call('json.marshal_with_options', [1], { foo: 1 }), { message: 'operand 2 object contained unknown key "foo"' })
    assert.throws(() => call('json.marshal_with_options', [1], { indent: 1 }), {
      message: 'operand 2 key "indent" failed cast to string: operand 0 must be string but got number',
    })
    assert.throws(() => call('json.marshal_with_options', [1], { pretty: 'yes' }), { message: 'operand 2 key "pretty" failed cast to bool' })
  })

  it('unmarshal keeps big integers exact and reports Go errors', () => {
    assert.deepEqual(js('json.unmarshal', '[{"foo":[1,2,3]}]'), [{ foo: [1, 2, 3] }])
    assert.equal(call('json.unmarshal', '123456789012345678901234567890'), 123456789012345678901234567890n)
    assert.equal(call('json.unmarshal', '"\\ud83d\\ude00 \\u00e9"'), '😀 é')
    assert.throws(() => call('json.unmarshal', 'plainstring'), { message: "invalid character 'p' looking for beginning of value" })
    assert.throws(() => call('json.unmarshal', '{'), { message: 'unexpected EOF' })
    assert.throws(() => call('json.unmarshal', '{"a" 1}'), { message: "invalid character '1' after object key" })
    assert.throws(() => call('json.unmarshal', '[1 2]'), { message: "invalid character '2' after array element" })
    assert.throws(() => call('json.unmarshal', '{} x'), { message: "invalid character 'x' looking for beginning of value" })
    assert.throws(() => call('json.unmarshal', '{} {}'), { message: "invalid character '{' after top-level value" })
    assert.throws(() => call('json.unmarshal', 'tru'), { message: 'unexpected EOF' })
    assert.throws(() => call('json.unmarshal', 'trux'), { message: "invalid character 'x' in literal true (expecting 'e')" })
    assert.throws(() => call('json.unmarshal', 1), { message: 'operand 1 must be string but got number' })
  })

  it('is_valid', () => {
    assert.equal(call('json.is_valid', '{"json": "ok"}'), true)
    assert.equal(call('json.is_valid', '{'), false)
    assert.equal(call('json.is_valid', 1), false)
  })
})

describe('json.filter, json.remove, json.patch', () => {
  it('filter keeps the named paths', () => {
    assert.deepEqual(js('json.filter', { a: { b: 'x', c: 'y' }, d: 1 }, ['a/b']), { a: { b: 'x' } })
    assert.deepEqual(js('json.filter', { a: [{ b: 1, c: 2 }, 3] }, ['a/0/c']), { a: [{ c: 2 }] })
    assert.deepEqual(js('json.filter', { a: { b: 1 } }, new Set([['a', 'b'], 'a'])), { a: { b: 1 } })
    assert.deepEqual(js('json.filter', { 'a/b': 1 }, ['a~1b']), { 'a/b': 1 })
    assert.throws(() => call('json.filter', { a: 1 }, 'a'), { message: 'operand 2 must be one of {set, array} but got string' })
  })

  it('remove drops the named paths, shifting arrays', () => {
    assert.deepEqual(js('json.remove', { a: { b: 'x', c: 'y' } }, ['a/b']), { a: { c: 'y' } })
    assert.deepEqual(js('json.remove', { a: [1, 2, 3] }, ['a/1', 'a/0']), { a: [3] })
    assert.throws(() => call('json.remove', { a: 1 }, [{}]), {
      message: 'operand 2 must be one of {set, array} containing string paths or array of path segments but got object',
    })
    assert.throws(() => call('json.remove', [1], []), { message: 'operand 1 must be object but got array' })
  })

  it('patch applies RFC 6902 operations atomically', () => {
    const doc = { foo: ['bar', 'baz'], q: { x: 1 } }
    assert.deepEqual(js('json.patch', doc, [{ op: 'add', path: '/foo/1', value: 'qux' }]), { foo: ['bar', 'qux', 'baz'], q: { x: 1 } })
    assert.deepEqual(js('json.patch', doc, [{ op: 'add', path: '/foo/-', value: 'end' }]), { foo: ['bar', 'baz', 'end'], q: { x: 1 } })
    assert.deepEqual(js('json.patch', doc, [{ op: 'remove', path: '/q/x' }]), { foo: ['bar', 'baz'], q: {} })
    assert.deepEqual(js('json.patch', doc, [{ op: 'replace', path: '/foo/0', value: 1 }]), { foo: [1, 'baz'], q: { x: 1 } })
    assert.deepEqual(js('json.patch', doc, [{ op: 'move', from: '/q/x', path: '/y' }]), { foo: ['bar', 'baz'], q: {}, y: 1 })
    assert.deepEqual(js('json.patch', doc, [{ op: 'copy', from: '/q', path: '/r' }]), { foo: ['bar', 'baz'], q: { x: 1 }, r: { x: 1 } })
    assert.deepEqual(js('json.patch', doc, [{ op: 'test', path: '/q', value: { x: 1 } }]), doc)
    assert.deepEqual(js('json.patch', doc, [{ op: 'add', path: '', value: [] }]), [])
    assert.deepEqual(js('json.patch', { foo: new Set(['a']) }, [{ op: 'add', path: 'foo/b', value: 'b' }]), { foo: ['a', 'b'] })
    for (const bad of [
      { op: 'test', path: '/q/x', value: 2 },
      { op: 'add', path: '/a/b', value: 1 },
      { op: 'add', path: '/foo/3', value: 1 },
      { op: 'add', path: '/foo/01', value: 1 },
      { op: 'remove', path: '/foo/1e0' },
      { op: 'replace', path: '/nope', value: 1 },
      { op: 'move', from: '/q', path: '/q/x/y' },
      { op: 'add', path: 'foo/b', value: 'c', _set: true },
    ]) {
      const target = '_set' in bad ? { foo: new Set(['a']) } : doc
      assert.equal(call('json.patch', target, [bad]), undefined, JSON.stringify(bad))
    }
    assert.throws(() => call('json.patch', doc, [{ op: 'spam', path: '/x' }]), { message: "unrecognized op 'spam'" })
    assert.throws(() => call('json.patch', doc, [{ path: '/x' }]), { message: "operand 2 patch is missing 'op' attribute" })
    assert.throws(() => call('json.patch', doc, [1]), { message: 'operand 2 must be an array of JSON-Patch objects, but at least one element is not an object' })
  })
})
