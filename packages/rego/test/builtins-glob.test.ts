import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { register } from '../src/builtins/glob.js'
import { caller } from './strings-harness.js'

const { call } = caller(register)

describe('glob built-ins (gobwas semantics)', () => {
  const table: [string, string[] | null, string, boolean][] = [
    ['*.github.com', [], 'api.github.com', true],
    ['*.github.com', [], 'api.cdn.github.com', false],
    ['*hub.com', null, 'api.cdn.github.com', true],
    ['*:github:com', [':'], 'api:github:com', true],
    ['api.**.com', [], 'api.github.com', true],
    ['api.**.com', [], 'api.cdn.github.com', true],
    ['?at', [], 'cat', true],
    ['?at', [], 'at', false],
    ['?at', ['f'], 'fat', false],
    ['[abc]at', [], 'bat', true],
    ['[abc]at', [], 'lat', false],
    ['[!abc]at', [], 'cat', false],
    ['[!abc]at', [], 'lat', true],
    ['[a-c]at', [], 'cat', true],
    ['[!a-c]at', [], 'lat', true],
    ['{cat,bat,[fr]at}', [], 'rat', true],
    ['{cat,bat,[fr]at}', [], 'at', false],
    ['{a,b{c,d}}x', [], 'bdx', true],
    ['*', [], 'foo.bar', false],
    ['*', null, 'foo.bar', true],
    ['a\\*b', [], 'a*b', true],
    ['a\\*b', [], 'axb', false],
    ['a+b(c)', [], 'a+b(c)', true],
  ]
  for (const [pattern, delims, match, want] of table) {
    it(`glob.match(${JSON.stringify(pattern)}, ${JSON.stringify(delims)}, ${JSON.stringify(match)}) = ${want}`, () => {
      assert.equal(call('glob.match', pattern, delims, match), want)
    })
  }

  it('checks delimiters', () => {
    assert.throws(() => call('glob.match', '*', 'x', 'a'), { message: 'operand 2 must be one of {array, null} but got string' })
    assert.throws(() => call('glob.match', '*', ['ab'], 'a'), { message: 'operand 2 must be array of runes but got array containing string' })
    assert.throws(() => call('glob.match', '[a', [], 'a'), /unexpected end of input/)
  })

  it('quote_meta escapes glob metacharacters', () => {
    assert.equal(call('glob.quote_meta', '*.github.com'), '\\*.github.com')
    assert.equal(call('glob.quote_meta', '[a]{b,c}?\\'), '\\[a\\]\\{b,c\\}\\?\\\\')
    const q = call('glob.quote_meta', '{x}*[?]') as string
    assert.equal(call('glob.match', q, [], '{x}*[?]'), true)
  })
})
