import assert from 'node:assert/strict'
import { test } from 'node:test'
import { Engine, RegoErrors, parseTerm, RSet } from '../src/index.js'

const SEED_V0 = `package approvals
allow { input.resource == "production"; input.approved == true }
deny  { input.resource == "production"; not input.approved }
`

test('evalRule returns the JSON value of a rule, or undefined', () => {
  const e = new Engine()
  e.addPolicy('seed.rego', SEED_V0, { regoVersion: 0 })
  assert.equal(e.evalRule('data.approvals.allow', { resource: 'production', approved: true }), true)
  assert.equal(e.evalRule('data.approvals.allow', { resource: 'production', approved: false }), undefined)
  assert.equal(e.evalRule('data.approvals.deny', { resource: 'production', approved: false }), true)
})

test('prepare(query).eval gives one row per solution, sets as arrays', () => {
  const e = new Engine()
  e.addPolicy('p.rego', 'package t\nadmins contains u if some u in input.users\n')
  const q = e.prepare('data.t.admins = x')
  assert.deepEqual(q.eval({ input: { users: ['bob', 'alice', 'bob'] } }), [{ x: ['alice', 'bob'] }])
  const rows = e.prepare('some i; input.xs[i] = v').eval({ input: { xs: ['a', 'b'] } })
  assert.deepEqual(rows, [{ i: 0, v: 'a' }, { i: 1, v: 'b' }])
})

test('data spans packages and data = x returns the whole tree', () => {
  const e = new Engine()
  e.addPolicy('a.rego', 'package a.b\nx := 1\n')
  e.addPolicy('c.rego', 'package c\ny := data.a.b.x\n')
  e.setData({ base: { k: 'v' } })
  assert.deepEqual(e.prepare('data = d').eval(), [{ d: { a: { b: { x: 1 } }, base: { k: 'v' }, c: { y: 1 } } }])
})

test('parse errors name file:row:col with rego_parse_error', () => {
  const e = new Engine()
  assert.throws(
    () => e.addPolicy('bad.rego', 'package x\n\np if {\n  input.a ==\n}\n'),
    (err: unknown) => err instanceof RegoErrors && err.code === 'rego_parse_error' && /^bad\.rego:5:1: rego_parse_error: /.test(err.message),
  )
  assert.throws(() => e.addPolicy('v1.rego', 'package x\np { true }\n'), /v1\.rego:2:3: rego_parse_error: `if` keyword is required before rule body/)
})

test('compile errors: unsafe variables, recursion, unknown functions, reassignment', () => {
  const cases: [string, RegExp][] = [
    ['package x\np if { x > 1 }\n', /rego_unsafe_var_error: var x is unsafe/],
    ['package x\np if q\nq if p\n', /rego_recursion_error: rule data\.x\.(p|q) is recursive/],
    ['package x\np := nope(1)\n', /rego_type_error: undefined function nope/],
    ['package x\np if { a := 1; a := 2 }\n', /rego_compile_error: var a assigned above/],
    ['package x\np if { input := 1 }\n', /rego_compile_error: variables must not shadow input/],
  ]
  for (const [src, re] of cases) {
    const e = new Engine()
    e.addPolicy('m.rego', src)
    assert.throws(() => e.compile(), re, src)
  }
})

test('v1 rejects deprecated built-ins that v0 accepts', () => {
  const e = new Engine()
  e.addPolicy('m.rego', 'package x\np if re_match("a", "a")\n')
  assert.throws(() => e.compile(), /undefined function re_match/)
})

test('numbers stay exact: big integers and 3 == 3.0', () => {
  const e = new Engine()
  e.addPolicy('m.rego', 'package x\nbig := 123456789012345678901234567890\nsame if 3 == 3.0\n')
  assert.equal(e.evalRule('data.x.big'), 123456789012345678901234567890n)
  assert.equal(e.evalRule('data.x.same'), true)
})

test('parseTerm reads Rego terms with sets', () => {
  const v = parseTerm('{"a": {1, 2}, "b": [null, true]}')
  assert.ok(v && typeof v === 'object' && !Array.isArray(v))
  const a = (v as { get(k: string): unknown }).get('a')
  assert.ok(a instanceof RSet && a.size === 2)
})

test('conflicting complete rules raise eval_conflict_error', () => {
  const e = new Engine()
  e.addPolicy('m.rego', 'package x\np := 1 if true\np := 2 if true\n')
  assert.throws(() => e.evalRule('data.x.p'), /eval_conflict_error: complete rules must not produce multiple outputs/)
})

test('rule index: only the rules matching the input constant are evaluated', () => {
  const printed: string[] = []
  const e = new Engine({ print: (m) => printed.push(m) })
  const rules = Array.from({ length: 50 }, (_, i) => `allow if {\n  print("rule ${i}")\n  input.user = "u${i}"\n}`)
  e.addPolicy('m.rego', `package x\ndefault allow := false\n${rules.join('\n')}\nallow if { print("unindexed"); input.admin = true }\n`)
  const q = e.prepare('data.x.allow = a')
  assert.deepEqual(q.eval({ input: { user: 'u7' } }), [{ a: true }])
  // The unindexed rule has the same constant value as the result so far: it cannot change it.
  assert.deepEqual(printed, ['rule 7'])
  printed.length = 0
  assert.deepEqual(q.eval({ input: { user: 'nobody' } }), [{ a: false }])
  assert.deepEqual(printed, ['unindexed'])
  assert.deepEqual(q.eval({ input: { admin: true } }), [{ a: true }])
})

test('non-deterministic built-in results are recorded per evaluation', () => {
  const e = new Engine()
  e.addPolicy('m.rego', 'package x\nid := uuid.rfc4122("a")\n')
  const { rows, ndBuiltinCache } = e.prepare('x := data.x.id').evalValues({ seed: 7 })
  assert.equal(rows.length, 1)
  assert.equal(ndBuiltinCache.get('uuid.rfc4122(["a"])'), rows[0]!.get('x'))
  // The same seed reproduces the same value.
  assert.deepEqual(e.prepare('x := data.x.id').eval({ seed: 7 }), [{ x: rows[0]!.get('x') }])
})

test('rules of one package resolve across files', () => {
  const e = new Engine()
  e.addPolicy('a.rego', 'package approvals\nallow if input.ok\n')
  e.addPolicy('a_test.rego', 'package approvals\ntest_allow if allow with input as {"ok": true}\nf(x) := x + 1\n')
  e.addPolicy('b.rego', 'package approvals\ntwo := f(1)\n')
  assert.equal(e.evalRule('data.approvals.test_allow'), true)
  assert.equal(e.evalRule('data.approvals.two'), 2)
})

test('rule index follows with input and never hides else branches or defaults', () => {
  const e = new Engine()
  const rules = Array.from({ length: 10 }, (_, i) => `role := "r${i}" if input.user == "u${i}"`).join('\n')
  e.addPolicy('m.rego', `package x\ndefault role := "none"\n${rules}\ntier := "gold" if input.user == "u1" else := "basic"\nt1 := r if r := role with input as {"user": "u3"}\n`)
  assert.equal(e.evalRule('data.x.role', { user: 'u7' }), 'r7')
  assert.equal(e.evalRule('data.x.role', { user: 'zz' }), 'none')
  assert.equal(e.evalRule('data.x.tier', { user: 'u2' }), 'basic')
  assert.equal(e.evalRule('data.x.t1', { user: 'u5' }), 'r3')
})
