import assert from 'node:assert/strict'
import { test } from 'node:test'
import { parseModule, parseTerm, RegoErrors, toJS } from '../src/index.js'
import type { Expr, Rule } from '../src/ast/nodes.js'

/** Modules that must parse, with what their rules look like. */
const PARSES: [name: string, version: 0 | 1, src: string, check: (rules: readonly Rule[]) => void][] = [
  ['v1 rule forms', 1, 'package p\nimport rego.v1\na := 1\nb contains x if some x in [1]\nc[k] := v if some k, v in {"a": 1}\nf(x) := y if y := x\ndefault d := false\nd if true\n', (r) => {
    assert.deepEqual(r.map((x) => (x.head.ref[0] as { name: string }).name), ['a', 'b', 'c', 'f', 'd', 'd'])
    assert.ok(r[1]!.head.key, 'contains gives a key')
    assert.equal(r[3]!.head.args?.length, 1)
    assert.ok(r[4]!.default)
  }],
  ['v0 partial set and else chain', 0, 'package p\nq[x] { x := 1 }\nr = 1 { false } else = 2 { true } else = 3\n', (r) => {
    assert.ok(r[0]!.head.key, 'p[x] { } is a partial set in v0')
    assert.ok(r[1]!.else?.else, 'two else branches')
  }],
  ['keywords as ref heads and calls', 1, 'package p\nevery.foo := 1\nx if { every.foo == 1; contains("abc", "b") }\n', (r) => {
    assert.equal(r.length, 2)
  }],
  ['ref heads with brackets and dots', 1, 'package p\na.b[c].d := 1 if c := "x"\n', (r) => {
    assert.equal(r[0]!.head.ref.length, 4)
  }],
  ['template and raw strings', 1, 'package p\ns := $"a {1 + 2} \\{literal}"\nr := `raw\\n`\n', (r) => {
    const t = r[0]!.head.value!
    assert.equal(t.kind, 'TemplateString')
    const raw = r[1]!.head.value!
    assert.deepEqual(raw.kind === 'Scalar' && raw.value, 'raw\\n')
  }],
  ['a statement per line, and [ on a new line starts one', 1, 'package p\nx if {\n  y := input.a\n  [b, c] := y\n  b == c\n}\n', (r) => {
    assert.equal(r[0]!.body.length, 3)
  }],
  ['annotations attach to the next rule', 1, '# METADATA\n# title: pkg\npackage p\n\n# METADATA\n# title: rule\nx := 1\n', (r) => {
    assert.equal(r[0]!.annotations?.data['title'], 'rule')
    assert.equal(r[0]!.module.annotations[0]?.scope, 'package')
  }],
]

for (const [name, version, src, check] of PARSES) {
  test(`parses: ${name}`, () => check(parseModule('m.rego', src, version).rules))
}

/** Sources that must not parse, with the location and message of the error. */
const FAILS: [name: string, version: 0 | 1, src: string, error: RegExp][] = [
  ['v1 requires if', 1, 'package p\nx { true }\n', /^m\.rego:2:3: rego_parse_error: `if` keyword is required before rule body/],
  ['unterminated string', 1, 'package p\nx := "abc\n', /^m\.rego:2:\d+: rego_parse_error: non-terminated string/],
  ['missing package', 1, 'x := 1\n', /^m\.rego:1:1: rego_parse_error: unexpected x token: expected package/],
  ['dangling operator at the end', 1, 'package p\nx := 1 +\n', /^m\.rego:\d+:\d+: rego_parse_error: unexpected eof token/],
  ['empty body', 1, 'package p\nx if {}\n', /rego_parse_error: found empty body/],
  ['numbers beyond double range', 1, 'package p\nx := 2e308\n', /^m\.rego:2:6: rego_parse_error: number 2e308 is out of range/],
  ['default needs a value', 1, 'package p\ndefault x\n', /rego_parse_error: default rules must have a value/],
]

for (const [name, version, src, error] of FAILS) {
  test(`refuses: ${name}`, () => {
    assert.throws(
      () => parseModule('m.rego', src, version),
      (e: unknown) => e instanceof RegoErrors && e.code === 'rego_parse_error' && error.test(e.message),
    )
  })
}

test('every node has a location', () => {
  const m = parseModule('loc.rego', 'package p\nx if {\n  input.a[0] == "b"\n}\n')
  const e = m.rules[0]!.body[0] as Expr
  assert.deepEqual([e.location.file, e.location.row, e.location.col], ['loc.rego', 3, 3])
})

test('parseTerm reads ground Rego terms, sets included', () => {
  assert.deepEqual(toJS(parseTerm('{"a": [1, 2.5, {3}], "b": set(), "c": null}')), { a: [1, 2.5, [3]], b: [], c: null })
  assert.throws(() => parseTerm('{"a": x}'), /term is not a ground value/)
})
