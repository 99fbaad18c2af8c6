/**
 * `strings.render_template`: Go's text/template over the variables object, as OPA does it (numbers
 * reach the template as json.Number text). Supported: text and `{{ }}` actions with `{{-`/`-}}`
 * trimming and comments; pipelines with `|`, variables (`$x := …`, `$x = …`, `$`), fields
 * (`.a.b`, `$x.a`), literals; `if`/`else if`/`else`, `range` (arrays, objects, integers; `break`,
 * `continue`), `with`, `define`/`template`/`block`; the built-in functions and, or, not, len,
 * index, slice, print, printf, println, eq, ne, lt, le, gt, ge, html, js, urlquery. A key missing
 * from the variables renders as `<undefined>`.
 */

import type { BuiltinRegistry } from './builtin.js'
import { objectOperand, stringOperand } from './operands.js'
import { RObject, RSet, compare, equal, type Value } from '../value/value.js'
import { formatNumber } from '../value/json.js'
import { goSprintf, type GoArg } from './sprintf.js'
import { queryEscape } from './encoding.js'
import { goQuote } from './strings-util.js'
import { MISSING, Parser, TNum, lex, templateError as fail, type Arg, type Node, type Pipe, type TV } from './template-parse.js'

// ---- evaluation ----

const truth = (v: TV): boolean => {
  if (v === MISSING || v === null || v === false) return false
  if (v instanceof TNum) return v.v !== 0
  if (typeof v === 'string') return v.length > 0
  if (Array.isArray(v)) return v.length > 0
  if (v instanceof RObject || v instanceof RSet) return v.size > 0
  return true
}

/** fmt's `%v` of a template value. */
function show(v: TV, top = true): string {
  if (v === MISSING) return '<undefined>'
  if (v instanceof TNum) return formatNumber(v.v)
  switch (typeof v) {
    case 'string':
      return v
    case 'number':
      return formatNumber(v)
    case 'bigint':
      return v.toString()
    case 'boolean':
      return String(v)
    default:
      if (v === null) return top ? '<no value>' : '<nil>'
      if (Array.isArray(v)) return '[' + v.map((x) => show(x, false)).join(' ') + ']'
      if (v instanceof RSet) return '[' + v.sortedValues().map((x) => show(x, false)).join(' ') + ']'
      return 'map[' + [...(v as RObject).entries()].map(([k, x]) => show(k, false) + ':' + show(x, false)).join(' ') + ']'
  }
}

const num = (v: TV): number | undefined => (v instanceof TNum ? v.v : typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : undefined)

/** Numbers from the variables are json.Number, a Go string type: they compare as their text. */
const asGo = (v: TV): TV => (typeof v === 'number' || typeof v === 'bigint' ? show(v) : v)

function cmp(a: TV, b: TV): number {
  const x = asGo(a)
  const y = asGo(b)
  if (x instanceof TNum && y instanceof TNum) return x.v < y.v ? -1 : x.v > y.v ? 1 : 0
  if (typeof x === 'string' && typeof y === 'string') return compare(x, y)
  throw fail('error calling compare: incompatible types for comparison')
}

const eq = (a: TV, b: TV): boolean => {
  const x = asGo(a)
  const y = asGo(b)
  if (x instanceof TNum && y instanceof TNum) return x.v === y.v
  if (x instanceof TNum || y instanceof TNum) {
    if (x === null || y === null || x === MISSING || y === MISSING) return false
    throw fail('error calling eq: incompatible types for comparison')
  }
  if (x === MISSING || y === MISSING) return x === y
  return equal(x, y)
}

function sprint(args: TV[], ln: boolean): string {
  let out = ''
  // fmt.Sprint spaces operands when neither is a string; json.Number data counts as a string.
  const isStr = (a: TV | undefined): boolean => typeof a === 'string' || typeof a === 'number' || typeof a === 'bigint'
  args.forEach((a, i) => {
    if (i > 0 && (ln || (!isStr(a) && !isStr(args[i - 1])))) out += ' '
    out += show(a, false)
  })
  return ln ? out + '\n' : out
}

const toValue = (v: TV): Value => (v instanceof TNum ? v.v : v === MISSING ? null : v)

function index(v: TV, k: TV): TV {
  if (v instanceof RObject) return v.get(toValue(k)) ?? null
  if (Array.isArray(v) || typeof v === 'string') {
    const i = num(k)
    if (i === undefined || !Number.isInteger(i) || i < 0 || i >= v.length) throw fail(`error calling index: index out of range: ${show(k)}`)
    return typeof v === 'string' ? new TNum(Buffer.from(v)[i]!) : v[i]!
  }
  throw fail(`error calling index: can't index item of type ${typeof v}`)
}

const FUNCS: Record<string, (args: TV[]) => TV> = {
  not: ([a]) => !truth(a!),
  len: ([a]) => {
    if (typeof a === 'string' || typeof a === 'number' || typeof a === 'bigint') return new TNum(Buffer.byteLength(show(a)))
    if (Array.isArray(a)) return new TNum(a.length)
    if (a instanceof RObject || a instanceof RSet) return new TNum(a.size)
    throw fail(`error calling len: len of type ${typeof a}`)
  },
  index: ([v, ...ks]) => ks.reduce<TV>((acc, k) => index(acc, k), v!),
  slice: ([v, ...ix]) => {
    const [i = 0, j] = ix.map((x) => num(x) ?? 0)
    if (typeof v === 'string') return v.slice(i, j)
    if (Array.isArray(v)) return Object.freeze(v.slice(i, j))
    throw fail('error calling slice: can\'t slice item')
  },
  print: (args) => sprint(args, false),
  println: (args) => sprint(args, true),
  printf: ([f, ...args]) =>
    goSprintf(
      typeof f === 'string' ? f : show(f!),
      args.map((a): GoArg => {
        if (a instanceof TNum) return Number.isInteger(a.v) ? { t: 'int', v: BigInt(a.v) } : { t: 'float', v: a.v }
        if (typeof a === 'number' || typeof a === 'bigint') return { t: 'jsonnum', v: show(a) }
        return { t: 'string', v: show(a, false) }
      }),
    ),
  eq: ([a, ...bs]) => bs.some((b) => eq(a!, b)),
  ne: ([a, b]) => !eq(a!, b!),
  lt: ([a, b]) => cmp(a!, b!) < 0,
  le: ([a, b]) => cmp(a!, b!) <= 0,
  gt: ([a, b]) => cmp(a!, b!) > 0,
  ge: ([a, b]) => cmp(a!, b!) >= 0,
  html: (args) =>
    sprint(args, false).replace(/[&'<>"\0]/g, (c) => ({ '&': '&amp;', "'": '&#39;', '<': '&lt;', '>': '&gt;', '"': '&#34;', '\0': '\uFFFD' })[c]!),
  js: (args) => goQuote(sprint(args, false)).slice(1, -1).replace(/'/g, "\\'").replace(/</g, '\\u003C').replace(/>/g, '\\u003E').replace(/&/g, '\\u0026').replace(/=/g, '\\u003D'),
  urlquery: (args) => queryEscape(sprint(args, false)),
}

class Exec {
  out = ''
  vars: [string, TV][] = []
  constructor(
    readonly defs: Map<string, Node[]>,
    readonly root: TV,
  ) {
    this.vars.push(['$', root])
  }

  lookup(name: string): TV {
    for (let i = this.vars.length - 1; i >= 0; i--) if (this.vars[i]![0] === name) return this.vars[i]![1]
    throw fail(`undefined variable: ${name}`)
  }

  field(v: TV, path: readonly string[]): TV {
    let cur = v
    for (const p of path) {
      if (cur instanceof RObject) cur = cur.get(p) ?? MISSING
      else if (cur === MISSING || cur === null) return MISSING
      else throw fail(`can't evaluate field ${p} in type ${typeof cur}`)
    }
    return cur
  }

  arg(a: Arg, dot: TV): TV {
    switch (a.k) {
      case 'dot':
        return dot
      case 'lit':
        return a.v
      case 'field':
        return this.field(dot, a.path)
      case 'var':
        return this.field(this.lookup(a.name), a.path)
      case 'pipe':
        return this.field(this.pipe(a.pipe, dot), a.path)
      case 'fn':
        return this.call(a.name, [], dot)
    }
  }

  call(name: string, args: Arg[], dot: TV, final?: TV): TV {
    if (name === 'and' || name === 'or') {
      const all = final === undefined ? args : [...args, { k: 'lit', v: final } as Arg]
      let v: TV = false
      for (const a of all) {
        v = this.arg(a, dot)
        if (truth(v) !== (name === 'and')) return v
      }
      return v
    }
    const vals = args.map((a) => this.arg(a, dot))
    if (final !== undefined) vals.push(final)
    return FUNCS[name]!(vals)
  }

  pipe(p: Pipe, dot: TV): TV {
    let v: TV | undefined
    for (const cmd of p.cmds) {
      const [head, ...rest] = cmd
      if (head!.k === 'fn') v = this.call(head!.name, rest, dot, v)
      else {
        if (rest.length > 0 || v !== undefined) throw fail(`can't give argument to non-function ${show(this.arg(head!, dot))}`)
        v = this.arg(head!, dot)
      }
    }
    for (const name of p.decl) {
      if (p.assign) {
        let found = false
        for (let i = this.vars.length - 1; i >= 0; i--) {
          if (this.vars[i]![0] === name) {
            this.vars[i]![1] = v!
            found = true
            break
          }
        }
        if (!found) throw fail(`undefined variable: ${name}`)
      } else this.vars.push([name, v!])
    }
    return v!
  }

  /** Runs nodes; returns 'break' / 'continue' when one escapes a range body. */
  run(nodes: readonly Node[], dot: TV): 'break' | 'continue' | undefined {
    const mark = this.vars.length
    try {
      for (const n of nodes) {
        switch (n.k) {
          case 'text':
            this.out += n.v
            break
          case 'action': {
            const v = this.pipe(n.pipe, dot)
            if (n.pipe.decl.length === 0) this.out += show(v)
            break
          }
          case 'if':
          case 'with': {
            const m = this.vars.length
            const v = this.pipe(n.pipe, dot)
            const r = truth(v) ? this.run(n.body, n.k === 'with' ? v : dot) : this.run(n.els, dot)
            this.vars.length = m
            if (r !== undefined) return r
            break
          }
          case 'range': {
            const m = this.vars.length
            const v = this.pipe({ ...n.pipe, decl: [] }, dot)
            this.vars.length = m
            const items: [TV, TV][] = []
            if (Array.isArray(v)) v.forEach((x, i) => items.push([new TNum(i), x]))
            else if (v instanceof RObject) for (const [k, x] of v.entries()) items.push([k, x])
            else if (v instanceof RSet) v.sortedValues().forEach((x, i) => items.push([new TNum(i), x]))
            else if (v instanceof TNum && Number.isInteger(v.v)) for (let i = 0; i < v.v; i++) items.push([new TNum(i), new TNum(i)])
            else if (v !== null && v !== MISSING) throw fail(`range can't iterate over ${show(v)}`)
            if (items.length === 0) {
              const r = this.run(n.els, dot)
              if (r !== undefined) return r
              break
            }
            for (const [k, x] of items) {
              const d = n.pipe.decl
              if (d.length === 1) this.vars.push([d[0]!, x])
              else if (d.length === 2) this.vars.push([d[0]!, k], [d[1]!, x])
              const r = this.run(n.body, x)
              this.vars.length = m
              if (r === 'break') break
            }
            break
          }
          case 'template': {
            const body = this.defs.get(n.name)
            if (body === undefined) throw fail(`no such template "${n.name}"`)
            const sub = new Exec(this.defs, n.pipe === null ? null : this.pipe(n.pipe, dot))
            sub.run(body, sub.root)
            this.out += sub.out
            break
          }
          case 'break':
          case 'continue':
            return n.k
        }
      }
      return undefined
    } finally {
      this.vars.length = mark
    }
  }
}

/** Renders a Go text/template with the given variables. */
export function renderTemplate(src: string, vars: RObject): string {
  const p = new Parser(lex(src))
  const [nodes] = p.list(true)
  const ex = new Exec(p.defs, vars)
  ex.run(nodes, vars)
  return ex.out
}

export function register(reg: BuiltinRegistry): void {
  reg.register({
    name: 'strings.render_template',
    args: [
      { name: 'value', type: 'string', description: 'a templated string' },
      { name: 'vars', type: 'object[string: any]', description: 'a mapping of template variable keys to values' },
    ],
    result: { name: 'result', type: 'string', description: 'rendered template with template variables injected' },
    description:
      'Renders a templated string with given template variables injected. For a given templated string and key/value mapping, values will be injected into the template where they are referenced by key.\n\tFor examples of templating syntax, see https://pkg.go.dev/text/template',
    categories: ['strings'],
    impl: ([t, v]) => renderTemplate(stringOperand(t!, 1), objectOperand(v!, 2)),
  })
}
