import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { register } from '../src/builtins/sprintf.js'
import { caller } from './strings-harness.js'

const { call } = caller(register)
const sp = (f: string, ...args: unknown[]): unknown => call('sprintf', f, args)

describe('sprintf', () => {
  it('formats Go verbs with widths and precision', () => {
    assert.equal(sp('hi %.2f', 3.1415), 'hi 3.14')
    assert.equal(sp('hi %02d', 5), 'hi 05')
    assert.equal(sp('%5.1f|', -2.25), ' -2.2|')
    assert.equal(sp('%-5d|', 3), '3    |')
    assert.equal(sp('%+d %x %#x %X %o %b', 3, 255, 255, 255, 8, 5), '+3 ff 0xff FF 10 101')
    assert.equal(sp('%e', 1234.5678), '1.234568e+03')
    assert.equal(sp('%.3s|%5s|%-4s|', 'abcdef', 'ab', 'c'), 'abc|   ab|c   |')
    assert.equal(sp('%x %q', 'hi', 'a"b\n'), '6869 "a\\"b\\n"')
    assert.equal(sp('%c %U', 65, 0x1f600), 'A U+1F600')
    assert.equal(sp('%*d|%[2]d', 4, 2), '   2|2')
    assert.equal(sp('%T %T %T %T', 1, 'a', 1.5, 2n ** 70n), 'int string float64 *big.Int')
    assert.equal(sp('%#v', 'a"b'), '"a\\"b"')
  })

  it('prints floats as Go does for %v and %g', () => {
    assert.equal(sp('%v', 1e21), '1e+21')
    assert.equal(sp('%v', 123456789.5), '1.234567895e+08')
    assert.equal(sp('%v', 0.000012), '1.2e-05')
    assert.equal(sp('%v', 100000.5), '100000.5')
    assert.equal(sp('%g', 1e-7), '1e-07')
    assert.equal(sp('%.3g', 1234.5), '1.23e+03')
    assert.equal(sp('%f', 1e22), '10000000000000000000000.000000')
    assert.equal(sp('%x %X %x %.1x', 1.5, 255.5, -0.1, 1.96875), '0x1.8p+00 0X1.FFP+07 -0x1.999999999999ap-04 0x1.0p+01')
    assert.equal(sp('%b', 1.5), '6755399441055744p-52')
  })

  it('rounds exact halves to even like strconv', () => {
    assert.equal(sp('%.0f %.0f %.0f', 0.5, 1.5, 2.5), '0 2 2')
    assert.equal(sp('%.1f', 0.25), '0.2')
    assert.equal(sp('%.2f', 1.005), '1.00')
  })

  it('prints composite values as Rego terms and big integers exactly', () => {
    assert.equal(sp('hi %v', ['there', 5, 3.14]), 'hi ["there", 5, 3.14]')
    assert.equal(sp('%v', { a: [1, 'x'] }), '{"a": [1, "x"]}')
    assert.equal(sp('%v %v', new Set(), new Set([2, 1])), 'set() {1, 2}')
    assert.equal(sp('%s', 123456789123456789123n), '123456789123456789123')
    assert.equal(sp('%x', 123456789123456789123n), '6b14e9f9b0df36a83')
    assert.equal(sp('%v %s', null, true), 'null true')
  })

  it('writes Go error texts', () => {
    assert.equal(sp('%d', 'x'), '%!d(string=x)')
    assert.equal(sp('%t', true), '%!t(string=true)')
    assert.equal(sp('%d %d', 1), '1 %!d(MISSING)')
    assert.equal(sp('%d', 1, 'a'), '1%!(EXTRA string=a)')
    assert.equal(sp('%'), '%!(NOVERB)')
    assert.equal(sp('%5t', 1), '%!t(int=    1)')
    assert.equal(sp('%d', 1.5), '%!d(float64=1.5)')
    assert.equal(sp('%e', 12n ** 30n), '%!e(big.Int=237376313799769806328950291431424)')
    assert.equal(sp('100%%'), '100%')
  })

  it('checks operands', () => {
    assert.throws(() => call('sprintf', '%d', 1), { message: 'operand 2 must be array but got number' })
    assert.throws(() => call('sprintf', 1, []), { message: 'operand 1 must be string but got number' })
  })
})
