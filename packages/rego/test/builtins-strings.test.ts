import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { register } from '../src/builtins/strings.js'
import { BuiltinError, OperandError } from '../src/builtins/builtin.js'
import { toJS } from '../src/value/json.js'
import { caller } from './strings-harness.js'

const { call } = caller(register)
const js = (name: string, ...args: unknown[]): unknown => {
  const v = call(name, ...args)
  return v === undefined ? undefined : toJS(v)
}

describe('strings built-ins', () => {
  it('concat joins arrays and sets, and names bad elements', () => {
    assert.equal(js('concat', '/', ['a', 'b']), 'a/b')
    assert.equal(js('concat', ',', new Set(['b', 'a'])), 'a,b')
    assert.throws(() => call('concat', ',', ['a', 1]), { message: 'operand 2 must be array of strings but got array containing number' })
    assert.throws(() => call('concat', ',', 'x'), { message: 'operand 2 must be one of {set, array} but got string' })
    assert.throws(() => call('concat', 1, []), OperandError)
  })

  it('format_int truncates and checks the base', () => {
    assert.equal(js('format_int', 15.9, 16), 'f')
    assert.equal(js('format_int', -5, 2), '-101')
    assert.equal(js('format_int', 8, 8), '10')
    assert.equal(js('format_int', -1.9, 10), '-1')
    assert.throws(() => call('format_int', 1, 3), { message: 'operand 2 must be one of {2, 8, 10, 16}' })
  })

  it('indexof and indexof_n count runes', () => {
    assert.equal(js('indexof', 'abcdefgh', 'cde'), 2)
    assert.equal(js('indexof', 'aåäöb', 'b'), 4)
    assert.equal(js('indexof', '😀x', 'x'), 1)
    assert.equal(js('indexof', 'abc', 'z'), -1)
    assert.throws(() => call('indexof', 'abc', ''), BuiltinError)
    assert.deepEqual(js('indexof_n', 'aaa', 'aa'), [0, 1])
    assert.deepEqual(js('indexof_n', 'ä😀ä', 'ä'), [0, 2])
    assert.deepEqual(js('indexof_n', 'abc', 'x'), [])
  })

  it('substring works on runes and rejects negative offsets', () => {
    assert.equal(js('substring', 'abcdef', 1, 3), 'bcd')
    assert.equal(js('substring', 'abcdef', 2, -1), 'cdef')
    assert.equal(js('substring', 'åäö😀x', 3, 1), '😀')
    assert.equal(js('substring', 'abc', 10, 1), '')
    assert.throws(() => call('substring', 'abc', -1, 1), { message: 'negative offset' })
    assert.throws(() => call('substring', 'abc', 1.5, 1), { message: 'operand 2 must be integer number but got floating-point number' })
  })

  it('case, replace, split follow Go', () => {
    assert.equal(js('lower', 'AbÇ'), 'abç')
    assert.equal(js('upper', 'straße'), 'STRAßE')
    assert.equal(js('replace', 'aXbX', 'X', '-'), 'a-b-')
    assert.equal(js('replace', 'ab', '', '-'), '-a-b-')
    assert.deepEqual(js('split', 'a.b.c', '.'), ['a', 'b', 'c'])
    assert.deepEqual(js('split', 'a😀', ''), ['a', '😀'])
    assert.deepEqual(js('split', '', ','), [''])
  })

  it('trim family', () => {
    assert.equal(js('trim', '  xx  ', ' '), 'xx')
    assert.equal(js('trim_left', 'aabca', 'a'), 'bca')
    assert.equal(js('trim_right', 'aabca', 'ca'), 'aab')
    assert.equal(js('trim_prefix', 'foo.bar', 'foo.'), 'bar')
    assert.equal(js('trim_prefix', 'foo.bar', 'x'), 'foo.bar')
    assert.equal(js('trim_suffix', 'foo.bar', '.bar'), 'foo')
    assert.equal(js('trim_space', '\t\n x y \u00a0\u3000'), 'x y')
    assert.equal(js('trim_space', '\ufeffx'), '\ufeffx')
  })

  it('any_prefix_match and any_suffix_match take strings, arrays and sets', () => {
    assert.equal(js('strings.any_prefix_match', ['a/b', 'c/d'], 'c/'), true)
    assert.equal(js('strings.any_prefix_match', 'x', new Set(['y', 'x'])), true)
    assert.equal(js('strings.any_suffix_match', ['a/b'], ['/c']), false)
    assert.throws(() => call('strings.any_suffix_match', [1], ['x']), { message: 'operand 1 must be array of strings but got array containing number' })
    assert.throws(() => call('strings.any_suffix_match', ['x'], 1), { message: 'operand 2 must be one of {string, set, array} but got number' })
    assert.throws(() => call('strings.any_prefix_match', ['x'], new Set([1])), { message: 'operand 2 must be set of strings but got set containing number' })
  })

  it('count, reverse, replace_n', () => {
    assert.equal(js('strings.count', 'cheese', 'e'), 3)
    assert.equal(js('strings.count', 'five', ''), 5)
    assert.equal(js('strings.count', 'aaaa', 'aa'), 2)
    assert.equal(js('strings.reverse', 'a😀b'), 'b😀a')
    assert.equal(js('strings.replace_n', { a: '1', ab: '2' }, 'abab'), '1b1b')
    assert.equal(js('strings.replace_n', { '<': '&lt;', '>': '&gt;' }, '<i>'), '&lt;i&gt;')
    assert.equal(js('strings.replace_n', { '': '-' }, 'ab'), '-a-b-')
    assert.throws(() => call('strings.replace_n', { a: 1 }, 'x'), { message: 'operand 1 non-string value found in pattern object' })
    assert.throws(() => call('strings.replace_n', { a: 'b' }, 1), { message: 'operand 2 must be string but got number' })
  })

  it('contains, startswith, endswith', () => {
    assert.equal(js('contains', 'abc', 'bc'), true)
    assert.equal(js('startswith', 'abc', 'ab'), true)
    assert.equal(js('endswith', 'abc', 'ab'), false)
    assert.throws(() => call('contains', 1, 'a'), { message: 'operand 1 must be string but got number' })
  })
})
