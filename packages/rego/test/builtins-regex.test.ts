import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { register } from '../src/builtins/regex.js'
import { BuiltinError } from '../src/builtins/builtin.js'
import { toJS } from '../src/value/json.js'
import { caller } from './strings-harness.js'

const { call } = caller(register)
const js = (name: string, ...args: unknown[]): unknown => toJS(call(name, ...args)!)

describe('regex built-ins (RE2 semantics)', () => {
  it('match is an unanchored RE2 search, with Go parse errors', () => {
    assert.equal(js('regex.match', '^[a-z]+\\[[0-9]+\\]$', 'foo[1]'), true)
    assert.equal(js('re_match', 'b.*', 'abc'), true)
    assert.equal(js('regex.match', '(?i)ABC', 'xabcx'), true)
    assert.throws(() => call('regex.match', '[', 'x'), { message: 'error parsing regexp: missing closing ]: `[`' })
    // RE2 has no backreferences or lookahead, unlike JavaScript.
    assert.throws(() => call('regex.match', '(a)\\1', 'aa'), BuiltinError)
    assert.throws(() => call('regex.match', 'a(?=b)', 'ab'), BuiltinError)
  })

  it('is_valid is false for bad patterns and non-strings', () => {
    assert.equal(js('regex.is_valid', '.*'), true)
    assert.equal(js('regex.is_valid', '(abc'), false)
    assert.equal(js('regex.is_valid', 1), false)
  })

  it('find_n and find_all_string_submatch_n follow Go', () => {
    assert.deepEqual(js('regex.find_n', 'a.', 'paranormal', -1), ['ar', 'an', 'al'])
    assert.deepEqual(js('regex.find_n', 'a.', 'paranormal', 2), ['ar', 'an'])
    assert.deepEqual(js('regex.find_n', 'a.', 'paranormal', 0), [])
    assert.deepEqual(js('regex.find_n', 'x*', 'axxb', -1), ['', 'xx', ''])
    assert.deepEqual(js('regex.find_all_string_submatch_n', 'a(x*)(y)?b', '-ab-axxb-', -1), [
      ['ab', '', ''],
      ['axxb', 'xx', ''],
    ])
    assert.throws(() => call('regex.find_n', 'a', 'a', 1.5), { message: 'operand 3 must be integer number but got floating-point number' })
    // Operands are checked before the pattern is compiled.
    assert.throws(() => call('regex.find_n', '(', 1, 1), { message: 'operand 2 must be string but got number' })
    assert.throws(() => call('regex.match', '(', 1), { message: 'operand 2 must be string but got number' })
  })

  it('split and replace follow Go', () => {
    assert.deepEqual(js('regex.split', 'a', 'banana'), ['b', 'n', 'n', ''])
    assert.deepEqual(js('regex.split', '', 'abc'), ['a', 'b', 'c'])
    assert.deepEqual(js('regex.split', 'x', ''), [''])
    assert.equal(js('regex.replace', '-ab-axxb-', 'a(x*)b', 'T'), '-T-T-')
    assert.equal(js('regex.replace', '-ab-axxb-', 'a(x*)b', '$1'), '--xx-')
    assert.equal(js('regex.replace', '-ab-axxb-', 'a(x*)b', '$1W'), '---')
    assert.equal(js('regex.replace', '-ab-axxb-', 'a(x*)b', '${1}W'), '-W-xxW-')
    assert.equal(js('regex.replace', '-ab-axxb-', 'a(?P<x>x*)b', '[$x]$$'), '-[]$-[xx]$-')
    assert.equal(js('regex.replace', 'é😀é', '😀', '-'), 'é-é')
  })

  it('template_match builds an anchored pattern from delimited parts', () => {
    assert.equal(js('regex.template_match', 'urn:foo:{.*}', 'urn:foo:bar:baz', '{', '}'), true)
    assert.equal(js('regex.template_match', 'urn:foo.bar.com:{.*}', 'urn:foo.bar.com:bar:baz', '{', '}'), true)
    assert.equal(js('regex.template_match', 'urn:foo.bar.com:{.*}', 'urn:fooXbarXcom:bar:baz', '{', '}'), false)
    assert.equal(js('regex.template_match', 'urn:foo:<[0-9]+>', 'urn:foo:1x', '<', '>'), false)
    assert.throws(() => call('regex.template_match', 'a{b', 'x', '{', '}'), { message: 'unbalanced braces in "a{b"' })
    assert.throws(() => call('regex.template_match', 'a', 'x', '{{', '}'), {
      message: 'start delimiter has to be exactly one character long but is 2 long',
    })
  })

  it('globs_match decides whether two globs share a non-empty string', () => {
    assert.equal(js('regex.globs_match', 'a.a.[0-9]+z', '.b.b2359825792*594823z'), true)
    assert.equal(js('regex.globs_match', '[a-z]+', '[0-9]*'), false)
    assert.equal(js('regex.globs_match', '[a-z]+\\[[0-9]+\\]', 'foo\\[1\\]'), true)
    assert.equal(js('regex.globs_match', '[a-z]+\\[[0-9]+\\]', 'foo["bar"]'), false)
    assert.equal(js('regex.globs_match', 'a*', 'b*'), false)
    assert.equal(js('regex.globs_match', 'ab*c', 'a.+'), true)
    assert.throws(() => call('regex.globs_match', 'pqrs]', '[a-b]+'), {
      message: "input:pqrs], pos:5, set-close ']' with no preceding '[': the input provided is invalid",
    })
  })
})
