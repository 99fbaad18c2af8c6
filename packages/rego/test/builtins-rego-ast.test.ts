import { test } from 'node:test'
import assert from 'node:assert/strict'
import { BuiltinRegistry } from '../src/builtins/builtin.js'
import { register } from '../src/builtins/rego-ast.js'
import { fromJS, toJS } from '../src/value/json.js'
import { context } from './crypto-harness.js'

type Obj = Record<string, unknown>
const reg = new BuiltinRegistry()
register(reg)
const parse = (src: string): Obj => toJS(reg.get('rego.parse_module')!.impl([fromJS('x.rego'), fromJS(src)], context())!) as Obj
const v = (name: string): Obj => ({ type: 'var', value: name })
const s = (value: unknown): Obj => ({ type: typeof value === 'number' ? 'number' : typeof value === 'boolean' ? 'boolean' : 'string', value })

test('rego.parse_module: package, imports and a rule in OPA JSON', () => {
  const m = parse('package foo.bar\n\nimport data.a as b\n\np if { b = true; not q }\n')
  assert.deepEqual(m.package, { path: [v('data'), s('foo'), s('bar')] })
  assert.deepEqual(m.imports, [{ path: { type: 'ref', value: [v('data'), s('a')] }, alias: 'b' }])
  const [rule] = m.rules as Obj[]
  assert.deepEqual(rule!.head, { name: 'p', ref: [v('p')], value: s(true) })
  assert.deepEqual(rule!.body, [
    { index: 0, terms: [{ type: 'ref', value: [v('eq')] }, v('b'), s(true)] },
    { index: 1, terms: v('q'), negated: true },
  ])
})

test('rego.parse_module: functions, partial sets, default, else, comprehensions, every', () => {
  const m = parse(
    'package t\n\ndefault d := 1\nf(x) := y if { y := [z | some z in x] } else := 0\ns contains k if { every e in [1] { e > 0 }; k := {"a": {1}} }\n',
  )
  const [d, f, sc] = m.rules as Obj[]
  assert.equal(d!.default, true)
  assert.deepEqual(d!.head, { name: 'd', ref: [v('d')], value: s(1), assign: true })
  assert.deepEqual((f!.head as Obj).args, [v('x')])
  const assign = (f!.body as Obj[])[0]!.terms as Obj[]
  assert.deepEqual(assign[0], { type: 'ref', value: [v('assign')] })
  assert.equal((assign[2] as Obj).type, 'arraycomprehension')
  assert.deepEqual(((f!.else as Obj).head as Obj).value, s(0))
  assert.deepEqual((sc!.head as Obj).key, v('k'))
  const every = (sc!.body as Obj[])[0]!.terms as Obj
  assert.deepEqual(Object.keys(every).sort(), ['body', 'domain', 'value'])
  const obj = ((sc!.body as Obj[])[1]!.terms as Obj[])[2] as Obj
  assert.deepEqual(obj, { type: 'object', value: [[s('a'), { type: 'set', value: [s(1)] }]] })
})

test('rego.parse_module: parse errors are built-in errors with the parser message', () => {
  assert.throws(() => parse('package foo.'), /x\.rego:1:\d+: rego_parse_error: unexpected .*token: expected ident/i)
})

test('rego.metadata.* without metadata from the evaluator', () => {
  assert.deepEqual(toJS(reg.get('rego.metadata.rule')!.impl([], context())!), {})
  assert.deepEqual(toJS(reg.get('rego.metadata.chain')!.impl([], context())!), [])
})
