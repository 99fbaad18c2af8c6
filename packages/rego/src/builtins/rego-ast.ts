/**
 * `rego.parse_module` and `rego.metadata.*` (OPA `topdown/parse.go`, `topdown/rego.go`). The
 * engine's AST is converted to the JSON OPA's `ast.Module` marshals to: terms as
 * `{"type", "value"}`, calls and infix operators as `[operator ref, args…]` expression terms, rule
 * heads with `name` / `ref` / `key` / `value`. Locations are left out, as in OPA's default JSON.
 */
import { BuiltinError, type BuiltinRegistry } from './builtin.js'
import { stringOperand } from './operands.js'
import { RegoError, RegoErrors } from '../ast/errors.js'
import type { Annotations, Body, Expr, Module, Rule, Term, With } from '../ast/nodes.js'
import { Parser } from '../parser/parser.js'
import { fromJS } from '../value/json.js'
import { RObject } from '../value/value.js'

type Json = null | boolean | number | bigint | string | Json[] | { [k: string]: Json }

const t = (type: string, value: Json): Json => ({ type, value })

function scalarType(v: null | boolean | number | bigint | string): string {
  if (v === null) return 'null'
  switch (typeof v) {
    case 'boolean':
      return 'boolean'
    case 'string':
      return 'string'
    default:
      return 'number'
  }
}

/** A call's operator as OPA writes it: a ref term (`eq` → `[var eq]`). */
function opRef(op: Term): Json {
  if (op.kind === 'Var') return t('ref', [t('var', op.name)])
  return termJSON(op)
}

export function termJSON(term: Term): Json {
  switch (term.kind) {
    case 'Scalar':
      return t(scalarType(term.value), term.value)
    case 'Var':
      return t('var', term.name)
    case 'Ref':
      return t('ref', [termJSON(term.head), ...term.path.map(termJSON)])
    case 'Array':
      return t('array', term.items.map(termJSON))
    case 'Set':
      return t('set', term.items.map(termJSON))
    case 'Object':
      return t(
        'object',
        term.entries.map(([k, v]) => [termJSON(k), termJSON(v)]),
      )
    case 'ArrayCompr':
      return t('arraycomprehension', { term: termJSON(term.term), body: bodyJSON(term.body) })
    case 'SetCompr':
      return t('setcomprehension', { term: termJSON(term.term), body: bodyJSON(term.body) })
    case 'ObjectCompr':
      return t('objectcomprehension', { key: termJSON(term.key), value: termJSON(term.value), body: bodyJSON(term.body) })
    case 'Call':
      return t('call', [opRef(term.op), ...term.args.map(termJSON)])
    case 'TemplateString':
      return t(
        'templatestring',
        term.parts.map((p) => (typeof p === 'string' ? t('string', p) : termJSON(p))),
      )
  }
}

function withJSON(w: With): Json {
  return { target: termJSON(w.target), value: termJSON(w.value) }
}

function exprJSON(e: Expr, index: number): Json {
  const out: { [k: string]: Json } = { index }
  const b = e.body
  switch (b.kind) {
    case 'Call':
      out.terms = [opRef(b.op), ...b.args.map(termJSON)]
      break
    case 'SomeDecl':
      out.terms = { symbols: b.symbols.map(termJSON) }
      break
    case 'Every': {
      const every: { [k: string]: Json } = {}
      if (b.key !== undefined) every.key = termJSON(b.key)
      every.value = termJSON(b.value)
      every.domain = termJSON(b.domain)
      every.body = bodyJSON(b.body)
      out.terms = every
      break
    }
    default:
      out.terms = termJSON(b)
  }
  if (e.negated) out.negated = true
  if (e.with.length > 0) out.with = e.with.map(withJSON)
  return out
}

function bodyJSON(body: Body): Json[] {
  return body.map(exprJSON)
}

function annotationsJSON(a: Annotations): Json {
  return { ...(fromJSONish(a.data) as { [k: string]: Json }), scope: a.scope }
}

function fromJSONish(x: unknown): Json {
  if (x === undefined) return null
  if (x === null || typeof x !== 'object') return x as Json
  if (Array.isArray(x)) return x.map(fromJSONish)
  return Object.fromEntries(Object.entries(x as Record<string, unknown>).map(([k, v]) => [k, fromJSONish(v)]))
}

function ruleJSON(r: Rule): Json {
  const h = r.head
  const head: { [k: string]: Json } = {}
  const first = h.ref[0]
  if (first?.kind === 'Var' && h.ref.length === 1) head.name = first.name
  head.ref = h.ref.map((x, i) => (i === 0 && x.kind === 'Var' ? t('var', x.name) : termJSON(x)))
  if (h.args !== undefined) head.args = h.args.map(termJSON)
  if (h.key !== undefined) head.key = termJSON(h.key)
  if (h.value !== undefined) head.value = termJSON(h.value)
  else if (h.key === undefined) head.value = t('boolean', true)
  if (h.assign) head.assign = true
  const out: { [k: string]: Json } = {}
  if (r.default) out.default = true
  out.head = head
  out.body = r.body.length === 0 ? [{ index: 0, terms: t('boolean', true) }] : bodyJSON(r.body)
  if (r.annotations !== undefined) out.annotations = [annotationsJSON(r.annotations)]
  if (r.else !== undefined) out.else = ruleJSON(r.else)
  return out
}

/** The module as OPA's `json.Marshal(ast.Module)` writes it. */
export function moduleJSON(m: Module): Json {
  const out: { [k: string]: Json } = {
    package: { path: [t('var', 'data'), ...m.package.path.map((p) => t('string', p))] },
  }
  if (m.imports.length > 0) {
    out.imports = m.imports.map((i) => {
      const imp: { [k: string]: Json } = { path: termJSON(i.path) }
      if (i.alias !== undefined) imp.alias = i.alias
      return imp
    })
  }
  if (m.annotations.length > 0) out.annotations = m.annotations.map(annotationsJSON)
  if (m.rules.length > 0) out.rules = m.rules.map(ruleJSON)
  return out
}

export function register(reg: BuiltinRegistry): void {
  reg.register({
    name: 'rego.parse_module',
    args: [
      { name: 'filename', type: 'string', description: "file name to attach to AST nodes' locations" },
      { name: 'rego', type: 'string', description: 'Rego module' },
    ],
    result: { name: 'output', type: 'object[string: any]', description: 'AST object for the Rego module' },
    description: 'Parses the input Rego string and returns an object representation of the AST.',
    categories: ['rego'],
    impl([f, src]) {
      const filename = stringOperand(f!, 1)
      const text = stringOperand(src!, 2)
      let m: Module
      try {
        m = new Parser(filename, text, { regoVersion: 1 }).parseModule()
      } catch (e) {
        if (e instanceof RegoError || e instanceof RegoErrors) throw new BuiltinError(e.message)
        throw e
      }
      return fromJS(moduleJSON(m))
    },
  })

  reg.register({
    name: 'rego.metadata.chain',
    args: [],
    result: {
      name: 'chain',
      type: 'array[any]',
      description: 'each array entry represents a node in the path ancestry (chain) of the active rule that also has declared annotations',
    },
    description:
      'Returns the chain of metadata for the active rule.\nOrdered starting at the active rule, going outward to the most distant node in its package ancestry.\nA chain entry is a JSON document with two members: "path", an array representing the path of the node; and "annotations", a JSON document containing the annotations declared for the node.\nThe first entry in the chain always points to the active rule, even if it has no declared annotations (in which case the "annotations" member is not present).',
    categories: ['rego'],
    impl: (_args, ctx) => ctx.metadata?.chain() ?? Object.freeze([]),
  })

  reg.register({
    name: 'rego.metadata.rule',
    args: [],
    result: { name: 'output', type: 'any', description: '"rule" scope annotations for this rule; empty object if no annotations exist' },
    description: 'Returns annotations declared for the active rule and using the _rule_ scope.',
    categories: ['rego'],
    impl: (_args, ctx) => ctx.metadata?.rule() ?? new RObject(),
  })
}

/**
 * The `rego.metadata.chain()` value for a rule, for the evaluator to hand out through
 * `ctx.metadata`: the rule's own entry first (annotations only when it has some), then the
 * document, package and subpackage annotations outward, each as `{path, annotations}` with the
 * path below `data`.
 */
export function metadataChain(entries: readonly { path: readonly string[]; annotations: Annotations | undefined }[]): Json[] {
  return entries.map((e) => {
    const out: { [k: string]: Json } = { path: [...e.path] }
    if (e.annotations !== undefined) out.annotations = annotationsJSON(e.annotations)
    return out
  })
}
