import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { register } from '../src/builtins/template.js'
import { caller } from './strings-harness.js'

const { call } = caller(register)
const render = (t: string, vars: unknown): unknown => call('strings.render_template', t, vars)

describe('strings.render_template (Go text/template)', () => {
  it('substitutes fields, numbers as their JSON text, and marks missing keys', () => {
    assert.equal(render('{{.test}}', { test: 'hello world' }), 'hello world')
    assert.equal(render('{{.test}}', { test: 2023 }), '2023')
    assert.equal(render('{{.a.b}} {{.a}}', { a: { b: 1.5 } }), '1.5 map[b:1.5]')
    assert.equal(render('test {{.foo}} {{.bar}} {{.baz}}', { baz: 1 }), 'test <undefined> <undefined> 1')
    assert.equal(render('{{.xs}}', { xs: ['a', 1, true] }), '[a 1 true]')
  })

  it('ranges with index and value, and branches with if/else', () => {
    assert.equal(render('{{range $i, $name := .hellonames}}{{if $i}},{{end}}hello {{$name}}{{end}}', { hellonames: ['rohan', 'john doe'] }), 'hello rohan,hello john doe')
    assert.equal(render('{{range .xs}}[{{.}}]{{else}}none{{end}}', { xs: [] }), 'none')
    assert.equal(render('{{range $k, $v := .m}}{{$k}}={{$v}};{{end}}', { m: { b: 2, a: 1 } }), 'a=1;b=2;')
    assert.equal(render('{{if eq .x "a"}}A{{else if eq .x "b"}}B{{else}}C{{end}}', { x: 'b' }), 'B')
    assert.equal(render('{{if eq .x "a"}}A{{else if eq .x "b"}}B{{else}}C{{end}}', { x: 'z' }), 'C')
    assert.equal(render('{{with .a}}{{.b}}{{end}}|{{with .none}}x{{else}}y{{end}}', { a: { b: 'in' } }), 'in|y')
    assert.equal(render('{{range $i, $e := .xs}}{{if eq $i 2}}{{break}}{{end}}{{$e}}{{end}}', { xs: ['a', 'b', 'c', 'd'] }), 'ab')
  })

  it('supports variables, pipelines, functions, trimming and comments', () => {
    assert.equal(render('{{$x := .a}}{{$x}}-{{$x = "z"}}{{$x}}', { a: 'q' }), 'q-z')
    assert.equal(render('{{.a | printf "%s!"}} {{len .xs}} {{index .xs 1}}', { a: 'hi', xs: ['p', 'q'] }), 'hi! 2 q')
    assert.equal(render('a  {{- /* note */ -}}  b {{- " c" }}', {}), 'ab c')
    assert.equal(render('{{and .t .f}} {{or .f "dflt"}} {{not .t}}', { t: true, f: false }), 'false dflt false')
    assert.equal(render('{{html .s}} {{urlquery .s}}', { s: '<a&b>' }), '&lt;a&amp;b&gt; %3Ca%26b%3E')
    assert.equal(render('{{define "T"}}[{{.}}]{{end}}{{template "T" .v}}', { v: 'x' }), '[x]')
    // Numbers arrive as json.Number, a string type: they compare with strings, not with integers.
    assert.equal(render('{{if eq .n "5"}}yes{{end}} {{len .n}} {{index .m "nope"}}', { n: 5, m: {} }), 'yes 1 <no value>')
    assert.equal(render('{{printf "%d|%v|%T" .n .n .n}} {{printf "%d" 5}} {{print .n .n}} {{print 1 2}}', { n: 5 }), '%!d(json.Number=5)|5|json.Number 5 55 1 2')
  })

  it('reports template errors', () => {
    assert.throws(() => render('{{.a', {}), /unclosed action/)
    assert.throws(() => render('{{nofunc 1}}', {}), /function "nofunc" not defined/)
    assert.throws(() => render('{{if .a}}x', {}), /unexpected EOF/)
    assert.throws(() => render('x', 'notobject'), { message: 'operand 2 must be object but got string' })
    assert.throws(() => render('{{if eq .n 5}}x{{end}}', { n: 5 }), /incompatible types for comparison/)
  })
})

describe('strings.render_template errors', () => {
  it('name the line like text/template', () => {
    assert.throws(() => render('a\nb {{nofunc 1}}', {}), { message: 'template: template:2: function "nofunc" not defined' })
    assert.throws(() => render('line1\n{{.a', {}), { message: 'template: template:2: unclosed action' })
  })
})
