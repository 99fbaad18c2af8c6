import { parse as parseYaml } from 'yaml'
import { call, ref, scalar, varTerm } from '../ast/builders.js'
import { RegoError } from '../ast/errors.js'
import type { Location } from '../ast/location.js'
import type {
  Annotations,
  Body,
  Every,
  Expr,
  Import,
  Module,
  Package,
  Ref,
  Rule,
  RuleHead,
  SomeDecl,
  Term,
  Var,
  With,
} from '../ast/nodes.js'
import { Lexer } from '../lexer/lexer.js'
import type { Token } from '../lexer/token.js'

export type RegoVersion = 0 | 1

/** The variable a template-string part binds its value to (see #parseTemplate). */
const TEMPLATE_VAR = '__template_value__'

/** Keywords that Rego v0 enables only through `import future.keywords…` or `import rego.v1`. */
const FUTURE_KEYWORDS = ['in', 'every', 'if', 'contains'] as const

const RELATION_OPS: Record<string, string> = { '==': 'equal', '!=': 'neq', '<': 'lt', '>': 'gt', '<=': 'lte', '>=': 'gte' }
const ARITH_OPS: Record<string, string> = { '+': 'plus', '-': 'minus' }
const FACTOR_OPS: Record<string, string> = { '*': 'mul', '/': 'div', '%': 'rem' }

/** Reserved words that are never variable names. */
const ALWAYS_KEYWORDS = new Set(['not', 'package', 'import', 'as', 'default', 'else', 'with', 'some', 'true', 'false', 'null'])

interface ParserOptions {
  readonly regoVersion: RegoVersion
  /** Keywords already enabled (template expressions inherit the module's). */
  readonly keywords?: ReadonlySet<string>
}

/**
 * A recursive-descent parser for Rego v0 and v1 (OPA's `policy-language.md`). Expressions end
 * where the grammar cannot continue, as in OPA; a ref continues (`.x`, `[x]`, `(args)`) only when
 * no whitespace precedes the bracket, so `x := y` followed by a line `[a, b] := z` is two
 * statements.
 */
export class Parser {
  readonly #file: string
  readonly #src: string
  readonly #version: RegoVersion
  readonly #toks: Token[]
  readonly #comments: Lexer['comments']
  #i = 0
  readonly #keywords: Set<string>

  constructor(file: string, src: string, opts: ParserOptions, lexer?: Lexer) {
    this.#file = file
    this.#src = src
    this.#version = opts.regoVersion
    const lx = lexer ?? new Lexer(file, src)
    this.#toks = lx.run()
    this.#comments = lx.comments
    this.#keywords = new Set(opts.keywords ?? (opts.regoVersion === 1 ? FUTURE_KEYWORDS : []))
  }

  // ---- token helpers -------------------------------------------------------------------------

  get #tok(): Token {
    return this.#toks[this.#i]!
  }

  #peek(n = 1): Token {
    return this.#toks[Math.min(this.#i + n, this.#toks.length - 1)]!
  }

  #next(): Token {
    const t = this.#tok
    if (t.kind !== 'eof') this.#i++
    return t
  }

  #isPunct(p: string, t: Token = this.#tok): boolean {
    return t.kind === 'punct' && t.text === p
  }

  /** The current token is the identifier `text` (a method, so TypeScript does not narrow across #next()). */
  /** A keyword directly followed by `.` is a ref head (`every.foo`, `null.x`), not a keyword. */
  #dotAfter(t: Token = this.#tok): boolean {
    const n = this.#toks[this.#toks.indexOf(t) + 1]
    return n !== undefined && n.kind === 'punct' && n.text === '.' && n.offset === t.end
  }

  #atEof(): boolean {
    return this.#tok.kind === 'eof'
  }

  #atIdent(text: string): boolean {
    const t = this.#tok
    return t.kind === 'ident' && t.text === text
  }

  #isKeyword(k: string, t: Token = this.#tok): boolean {
    return t.kind === 'ident' && t.text === k && (ALWAYS_KEYWORDS.has(k) || this.#keywords.has(k)) && !this.#dotAfter(t)
  }

  /** True when the current token follows the previous one with no whitespace in between. */
  #adjacent(): boolean {
    return this.#i > 0 && this.#toks[this.#i - 1]!.end === this.#tok.offset
  }

  #loc(t: Token, end?: Token): Location {
    const stop = end ? end.end : t.end
    return { file: this.#file, row: t.row, col: t.col, offset: t.offset, length: Math.max(1, stop - t.offset) }
  }

  #locFrom(start: Token): Location {
    const prev = this.#toks[Math.max(0, this.#i - 1)]!
    return this.#loc(start, prev.end >= start.offset ? prev : start)
  }

  #error(msg: string, t: Token = this.#tok): RegoError {
    return new RegoError('rego_parse_error', msg, this.#loc(t))
  }

  #describe(t: Token): string {
    if (t.kind === 'eof') return 'eof'
    if (t.kind === 'string') return 'string'
    if (t.kind === 'number') return 'number'
    return t.text
  }

  #expect(p: string): Token {
    if (!this.#isPunct(p)) throw this.#error(`unexpected ${this.#describe(this.#tok)} token: expected ${p}`)
    return this.#next()
  }

  // ---- module ---------------------------------------------------------------------------------

  parseModule(): Module {
    const annotations: Annotations[] = []
    const pkgTok = this.#tok
    if (!(pkgTok.kind === 'ident' && pkgTok.text === 'package')) {
      throw this.#error(pkgTok.kind === 'eof' ? 'empty module' : `unexpected ${this.#describe(pkgTok)} token: expected package`)
    }
    this.#next()
    const pathTerm = this.#parseRefOnly()
    const pkgPath = this.#refToStrings(pathTerm, 'package')
    const pkg: Package = { kind: 'Package', path: pkgPath, location: this.#locFrom(pkgTok) }
    const module: Module = {
      kind: 'Module',
      file: this.#file,
      regoVersion: this.#version,
      package: pkg,
      imports: [],
      rules: [],
      annotations,
      source: this.#src,
    }
    const imports = module.imports as Import[]
    while (this.#tok.kind === 'ident' && this.#tok.text === 'import' && !this.#dotAfter()) {
      imports.push(this.#parseImport())
    }
    const metadata = this.#collectAnnotations()
    for (const a of metadata.values()) if (a.scope === 'package' || a.scope === 'subpackages') annotations.push(a)
    while (this.#tok.kind !== 'eof') {
      if (this.#tok.kind === 'ident' && this.#tok.text === 'import' && !this.#dotAfter()) {
        throw this.#error('imports must appear before rules')
      }
      const start = this.#tok
      // A `# METADATA` block annotates the rule that starts on the next line.
      const ann = metadata.get(start.row)
      for (const r of this.#parseRules(module, ann)) module.rules.push(r)
      if (this.#isPunct(';')) this.#next()
    }
    return module
  }

  /** Rows of `# METADATA` blocks, keyed by the row right after the block. */
  #collectAnnotations(): Map<number, Annotations> {
    const out = new Map<number, Annotations>()
    const cs = this.#comments
    for (let i = 0; i < cs.length; i++) {
      if (cs[i]!.text.trim() !== 'METADATA') continue
      const start = cs[i]!
      const lines: string[] = []
      let j = i + 1
      let row = start.row + 1
      while (j < cs.length && cs[j]!.row === row) {
        lines.push(cs[j]!.text.startsWith(' ') ? cs[j]!.text.slice(1) : cs[j]!.text)
        j++
        row++
      }
      let data: Record<string, unknown>
      try {
        data = (parseYaml(lines.join('\n')) ?? {}) as Record<string, unknown>
      } catch (e) {
        throw new RegoError('rego_parse_error', `yaml: ${(e as Error).message.split('\n')[0]}`, {
          file: this.#file,
          row: start.row,
          col: start.col,
          offset: start.offset,
          length: 1,
        })
      }
      const scope = typeof data['scope'] === 'string' ? (data['scope'] as string) : row <= (this.#pkgRow() ?? 0) ? 'package' : 'rule'
      out.set(row, { scope, data, location: { file: this.#file, row: start.row, col: start.col, offset: start.offset, length: 1 } })
      i = j - 1
    }
    return out
  }

  #pkgRow(): number | undefined {
    const t = this.#toks.find((x) => x.kind === 'ident' && x.text === 'package')
    return t?.row
  }

  #refToStrings(t: Term, what: string): string[] {
    if (t.kind === 'Var') return [t.name]
    if (t.kind !== 'Ref' || t.head.kind !== 'Var') throw new RegoError('rego_parse_error', `invalid ${what} path`, t.location)
    const out = [t.head.name]
    for (const p of t.path) {
      if (p.kind !== 'Scalar' || typeof p.value !== 'string') throw new RegoError('rego_parse_error', `invalid ${what} path`, p.location)
      out.push(p.value)
    }
    return out
  }

  #parseImport(): Import {
    const start = this.#next()
    const path = this.#parseRefOnly()
    if (path.kind !== 'Var' && path.kind !== 'Ref') throw this.#error('invalid import path')
    const parts = this.#refToStrings(path, 'import')
    const head = parts[0]!
    if (head === 'future') {
      if (parts[1] !== 'keywords') throw new RegoError('rego_parse_error', 'invalid import, must be `future.keywords`', path.location)
      if (parts.length === 2) for (const k of FUTURE_KEYWORDS) this.#keywords.add(k)
      else if (parts.length === 3 && (FUTURE_KEYWORDS as readonly string[]).includes(parts[2]!)) {
        this.#keywords.add(parts[2]!)
        if (parts[2] === 'every') this.#keywords.add('in') // `every x in xs` needs `in`
      }
      else throw new RegoError('rego_parse_error', `unexpected keyword, must be one of [${FUTURE_KEYWORDS.join(' ')}]`, path.location)
    } else if (head === 'rego') {
      if (parts.length !== 2 || parts[1] !== 'v1') throw new RegoError('rego_parse_error', 'invalid import `rego`, must be `rego.v1`', path.location)
      for (const k of FUTURE_KEYWORDS) this.#keywords.add(k)
    } else if (head !== 'data' && head !== 'input') {
      throw new RegoError('rego_parse_error', `invalid import ${parts.join('.')}: must begin with one of: {data, future, input, rego}`, path.location)
    }
    let alias: string | undefined
    if (this.#tok.kind === 'ident' && this.#tok.text === 'as') {
      this.#next()
      const a = this.#next()
      if (a.kind !== 'ident') throw this.#error('unexpected token: expected alias name', a)
      if (head === 'future' || head === 'rego') throw this.#error('`future` and `rego` imports cannot be aliased', a)
      alias = a.text
    }
    return { kind: 'Import', path, alias, location: this.#locFrom(start) }
  }

  /** A plain dotted/bracketed ref with no calls (package and import paths, rule heads). */
  #parseRefOnly(): Var | Ref {
    const t = this.#next()
    if (t.kind !== 'ident') throw this.#error(`unexpected ${this.#describe(t)} token: expected ident`, t)
    const head = varTerm(t.text, this.#loc(t))
    const path: Term[] = []
    for (;;) {
      if (this.#isPunct('.') && this.#adjacent()) {
        this.#next()
        const id = this.#next()
        if (id.kind !== 'ident') throw this.#error(`unexpected ${this.#describe(id)} token: expected ident`, id)
        path.push(scalar(id.text, this.#loc(id)))
      } else if (this.#isPunct('[') && this.#adjacent()) {
        this.#next()
        path.push(this.#parseTermInfix())
        this.#expect(']')
      } else break
    }
    return path.length === 0 ? head : ref(head, path, this.#locFrom(t))
  }

  // ---- rules ----------------------------------------------------------------------------------

  #parseRules(module: Module, annotations: Annotations | undefined): Rule[] {
    const start = this.#tok
    let isDefault = false
    if (start.kind === 'ident' && start.text === 'default' && !this.#dotAfter()) {
      isDefault = true
      this.#next()
    }
    const headTok = this.#tok
    if (headTok.kind !== 'ident') throw this.#error(`unexpected ${this.#describe(headTok)} token`)
    if (ALWAYS_KEYWORDS.has(headTok.text) && !this.#dotAfter(headTok)) {
      throw this.#error(`unexpected ${headTok.text} keyword`)
    }
    const headRef = this.#parseRefOnly()
    let refTerms: Term[] = headRef.kind === 'Var' ? [headRef] : [headRef.head, ...headRef.path]
    let args: Term[] | undefined
    if (this.#isPunct('(') && this.#adjacent()) {
      this.#next()
      args = this.#parseTermList(')')
    }
    let key: Term | undefined
    let value: Term | undefined
    let assign = false
    if (this.#isKeyword('contains')) {
      this.#next()
      key = this.#parseTermInfix()
    }
    if (this.#isPunct(':=') || this.#isPunct('=')) {
      assign = this.#next().text === ':='
      value = this.#parseTermInfix()
    }
    // Rego v0: `p[x] { … }` with no value (and no `if`) defines a partial set.
    const usesIf = this.#isKeyword('if')
    if (this.#version === 0 && !usesIf && key === undefined && value === undefined && args === undefined && refTerms.length === 2) {
      const last = refTerms[refTerms.length - 1]!
      const bracketed = !(last.kind === 'Scalar' && typeof last.value === 'string' && this.#wasDotted(headRef, refTerms.length - 2))
      if (bracketed) {
        key = last
        refTerms = refTerms.slice(0, -1)
      }
    }
    if (isDefault) {
      if (value === undefined) throw this.#error('default rules must have a value', headTok)
      if (key !== undefined) throw new RegoError('rego_parse_error', 'default rules must not be multi-value rules', this.#loc(headTok))
    }
    const head: RuleHead = { ref: refTerms, args, key, value, assign, location: this.#locFrom(headTok) }
    const bodies: Body[] = []
    const body = this.#parseRuleBody(isDefault)
    bodies.push(body ?? [])
    const hadBody = body !== undefined
    // v0: `p { a } { b }` defines p twice.
    while (hadBody && this.#isPunct('{') && this.#version === 0) {
      this.#next()
      bodies.push(this.#parseBody('}'))
    }
    let elseRule: Rule | undefined
    if (this.#atIdent('else') && !this.#dotAfter()) {
      if (key !== undefined) throw this.#error('else keyword cannot be used on multi-value rules')
      elseRule = this.#parseElse(module, head)
    }
    const rules: Rule[] = bodies.map((b, i) => ({
      kind: 'Rule',
      default: isDefault,
      head,
      body: b,
      else: i === 0 ? elseRule : undefined,
      location: this.#locFrom(start),
      annotations: i === 0 ? annotations : undefined,
      module,
    }))
    return rules
  }

  #wasDotted(headRef: Term, idx: number): boolean {
    // Whether path element idx of the head ref was written `.name` (not `["name"]`).
    if (headRef.kind !== 'Ref') return false
    const el = headRef.path[idx]
    if (!el) return false
    const before = this.#src[el.location.offset - 1]
    return before === '.'
  }

  /** Parses `if { … }`, `if expr`, `{ … }` (v0) or nothing; undefined when the rule has no body. */
  #parseRuleBody(isDefault: boolean): Body | undefined {
    if (this.#isKeyword('if')) {
      const ifTok = this.#next()
      if (isDefault) throw this.#error('default rules must not have a body', ifTok)
      if (this.#isPunct('{')) {
        // `if {…}` is a body, unless it only parses as a term (`if {x: 1 | …}`).
        const save = this.#i
        if (this.#isPunct('}', this.#peek())) throw this.#error('found empty body', this.#peek())
        try {
          this.#next()
          return this.#parseBody('}')
        } catch (e) {
          this.#i = save
          try {
            return [this.#parseLiteral()]
          } catch {
            throw e
          }
        }
      }
      return [this.#parseLiteral()]
    }
    if (this.#isPunct('{') && !isDefault) {
      if (this.#version === 1) throw this.#error('`if` keyword is required before rule body')
      this.#next()
      return this.#parseBody('}')
    }
    return undefined
  }

  #parseElse(module: Module, head: RuleHead): Rule {
    const start = this.#next()
    let value: Term | undefined
    let assign = head.assign
    if (this.#isPunct(':=') || this.#isPunct('=')) {
      assign = this.#next().text === ':='
      value = this.#parseTermInfix()
    }
    const body = this.#parseRuleBody(false)
    const elseHead: RuleHead = { ...head, value: value ?? scalar(true, this.#loc(start)), assign, location: this.#locFrom(start) }
    let next: Rule | undefined
    if (this.#atIdent('else') && !this.#dotAfter()) next = this.#parseElse(module, head)
    return {
      kind: 'Rule',
      default: false,
      head: elseHead,
      body: body ?? [],
      else: next,
      location: this.#locFrom(start),
      annotations: undefined,
      module,
    }
  }

  // ---- bodies and statements ------------------------------------------------------------------

  /** Statements until `end`, separated by `;` or line breaks. */
  #parseBody(end: string): Body {
    const out: Expr[] = []
    for (;;) {
      if (this.#isPunct(end)) {
        const t = this.#next()
        if (out.length === 0) throw this.#error('found empty body', t)
        return out
      }
      if (this.#tok.kind === 'eof') throw this.#error(`unexpected eof token: expected ${end}`)
      const before = this.#i
      out.push(this.#parseLiteral())
      if (this.#isPunct(';')) {
        this.#next()
        continue
      }
      if (this.#isPunct(end)) continue
      if (!this.#tok.nlBefore && this.#i > before) throw this.#error(`unexpected ${this.#describe(this.#tok)} token`)
    }
  }

  /** One statement: `some …`, `every …`, `not expr`, or an expression, with `with` modifiers. */
  #parseLiteral(): Expr {
    const start = this.#tok
    if (start.kind === 'ident' && start.text === 'some' && !this.#dotAfter()) {
      this.#next()
      const decl = this.#parseSome(start)
      return { kind: 'Expr', negated: false, body: decl, with: this.#parseWiths(), location: this.#locFrom(start) }
    }
    if (this.#isKeyword('every') && !this.#dotAfter()) {
      this.#next()
      const ev = this.#parseEvery(start)
      return { kind: 'Expr', negated: false, body: ev, with: this.#parseWiths(), location: this.#locFrom(start) }
    }
    let negated = false
    if (start.kind === 'ident' && start.text === 'not' && !this.#dotAfter()) {
      this.#next()
      negated = true
      if (this.#isKeyword('every') && !this.#dotAfter()) {
        const at = this.#next()
        const ev = this.#parseEvery(at)
        return { kind: 'Expr', negated: true, body: ev, with: this.#parseWiths(), location: this.#locFrom(start) }
      }
    }
    const term = this.#parseExprTerm()
    const withs = this.#parseWiths()
    return { kind: 'Expr', negated, body: term, with: withs, location: this.#locFrom(start) }
  }

  #parseWiths(): With[] {
    const out: With[] = []
    while (this.#atIdent('with') && !this.#dotAfter()) {
      const start = this.#next()
      const target = this.#parseTermInfix(false)
      if (!this.#atIdent('as')) throw this.#error('expected as keyword')
      this.#next()
      const value = this.#parseTermInfix()
      out.push({ kind: 'With', target, value, location: this.#locFrom(start) })
    }
    return out
  }

  #parseSome(start: Token): SomeDecl {
    const first = this.#parseTermRelation()
    const symbols: Term[] = [first]
    if (this.#isPunct(',')) {
      this.#next()
      symbols.push(this.#parseTermRelation())
    }
    if (this.#isKeyword('in')) {
      this.#next()
      const domain = this.#parseTermRelation()
      const member = symbols.length === 2 ? call('internal.member_3', [symbols[0]!, symbols[1]!, domain], this.#locFrom(start)) : call('internal.member_2', [symbols[0]!, domain], this.#locFrom(start))
      return { kind: 'SomeDecl', symbols: [member], location: this.#locFrom(start) }
    }
    while (this.#isPunct(',')) {
      this.#next()
      symbols.push(this.#parseTermRelation())
    }
    for (const s of symbols) {
      if (s.kind !== 'Var') throw new RegoError('rego_parse_error', 'expected var', s.location)
    }
    return { kind: 'SomeDecl', symbols, location: this.#locFrom(start) }
  }

  #parseEvery(start: Token): Every {
    const first = this.#parseTermRelation()
    let key: Term | undefined
    let value = first
    if (this.#isPunct(',')) {
      this.#next()
      key = first
      value = this.#parseTermRelation()
    }
    if (!this.#isKeyword('in')) throw this.#error('unexpected token: expected in')
    this.#next()
    const domain = this.#parseTermRelation()
    this.#expect('{')
    const body = this.#parseBody('}')
    return { kind: 'Every', key, value, domain, body, location: this.#locFrom(start) }
  }

  // ---- expressions ----------------------------------------------------------------------------

  /** `a = b`, `a := b`, or an infix expression. */
  #parseExprTerm(): Term {
    const start = this.#tok
    const lhs = this.#parseTermIn(true)
    if (this.#isPunct('=') || this.#isPunct(':=')) {
      const op = this.#next().text
      const rhs = this.#parseTermIn(true)
      return call(op === '=' ? 'eq' : 'assign', [lhs, rhs], this.#locFrom(start))
    }
    return lhs
  }

  /**
   * An infix expression including `in` (for values, arguments, list items). `k, v in xs` is
   * only read at expression level: in lists, the comma separates items.
   */
  #parseTermInfix(keyVal = false): Term {
    return this.#parseTermIn(keyVal)
  }

  #parseTermIn(keyVal: boolean): Term {
    const start = this.#tok
    let lhs = this.#parseTermRelation()
    if (keyVal && this.#isPunct(',') && this.#isKeyword('in', this.#peekIn())) {
      this.#next()
      const mid = this.#parseTermRelation()
      if (!this.#isKeyword('in')) throw this.#error('expected in')
      this.#next()
      const rhs = this.#parseTermRelation()
      lhs = call('internal.member_3', [lhs, mid, rhs], this.#locFrom(start))
    }
    while (this.#isKeyword('in')) {
      this.#next()
      const rhs = this.#parseTermRelation()
      lhs = call('internal.member_2', [lhs, rhs], this.#locFrom(start))
    }
    return lhs
  }

  /** After `a ,`: is this `a, b in xs`? Looks past one relation term without consuming it. */
  #peekIn(): Token {
    const save = this.#i
    try {
      this.#next()
      this.#parseTermRelation()
      return this.#tok
    } catch {
      return this.#tok
    } finally {
      this.#i = save
    }
  }

  #parseTermRelation(): Term {
    const start = this.#tok
    let lhs = this.#parseTermOr()
    while (this.#tok.kind === 'punct' && RELATION_OPS[this.#tok.text] !== undefined) {
      const op = RELATION_OPS[this.#next().text]!
      const rhs = this.#parseTermOr()
      lhs = call(op, [lhs, rhs], this.#locFrom(start))
    }
    return lhs
  }

  #noBitOr = 0

  #parseTermOr(): Term {
    const start = this.#tok
    let lhs = this.#parseTermAnd()
    while (this.#isPunct('|') && this.#noBitOr === 0) {
      this.#next()
      const rhs = this.#parseTermAnd()
      lhs = call('or', [lhs, rhs], this.#locFrom(start))
    }
    return lhs
  }

  #parseTermAnd(): Term {
    const start = this.#tok
    let lhs = this.#parseTermArith()
    while (this.#isPunct('&')) {
      this.#next()
      const rhs = this.#parseTermArith()
      lhs = call('and', [lhs, rhs], this.#locFrom(start))
    }
    return lhs
  }

  #parseTermArith(): Term {
    const start = this.#tok
    let lhs = this.#parseTermFactor()
    while (this.#tok.kind === 'punct' && ARITH_OPS[this.#tok.text] !== undefined) {
      const op = ARITH_OPS[this.#next().text]!
      const rhs = this.#parseTermFactor()
      lhs = call(op, [lhs, rhs], this.#locFrom(start))
    }
    return lhs
  }

  #parseTermFactor(): Term {
    const start = this.#tok
    let lhs = this.#parseTerm()
    while (this.#tok.kind === 'punct' && FACTOR_OPS[this.#tok.text] !== undefined) {
      const op = FACTOR_OPS[this.#next().text]!
      const rhs = this.#parseTerm()
      lhs = call(op, [lhs, rhs], this.#locFrom(start))
    }
    return lhs
  }

  /** A primary term followed by any ref/call continuation. */
  #parseTerm(): Term {
    const t = this.#tok
    let term: Term
    switch (t.kind) {
      case 'number':
        this.#next()
        term = scalar(this.#number(t), this.#loc(t))
        break
      case 'string':
      case 'rawstring':
        this.#next()
        term = scalar(t.text, this.#loc(t))
        break
      case 'template':
        this.#next()
        term = this.#parseTemplate(t)
        break
      case 'ident':
        term = this.#parseIdentTerm()
        break
      case 'punct':
        switch (t.text) {
          case '[':
            term = this.#parseArray()
            break
          case '{':
            term = this.#parseBrace()
            break
          case '(': {
            this.#next()
            const saved = this.#noBitOr
            this.#noBitOr = 0
            term = this.#parseTermInfix(true)
            this.#noBitOr = saved
            this.#expect(')')
            break
          }
          case '-': {
            this.#next()
            const n = this.#tok
            if (n.kind === 'number' && this.#adjacent()) {
              this.#next()
              const v = this.#number(n)
              term = scalar(typeof v === 'bigint' ? -v : v === 0 ? 0 : -v, this.#loc(t, n))
            } else {
              const operand = this.#parseTerm()
              term = call('minus', [scalar(0, this.#loc(t)), operand], this.#locFrom(t))
            }
            break
          }
          default:
            throw this.#error(`unexpected ${t.text} token`)
        }
        break
      case 'eof':
        throw this.#error('unexpected eof token')
      default:
        throw this.#error(`unexpected ${this.#describe(t)} token`)
    }
    return this.#parseTermFinish(term, t)
  }

  /** Numbers beyond the double range (`2e308`) are not supported: a parse error, not a crash. */
  #number(t: Token): number | bigint {
    try {
      return parseNumber(t.text)
    } catch (e) {
      throw this.#error((e as Error).message, t)
    }
  }

  #parseIdentTerm(): Term {
    const t = this.#next()
    if (this.#isPunct('.') && this.#adjacent()) return varTerm(t.text, this.#loc(t))
    switch (t.text) {
      case 'true':
        return scalar(true, this.#loc(t))
      case 'false':
        return scalar(false, this.#loc(t))
      case 'null':
        return scalar(null, this.#loc(t))
    }
    if (t.text === 'set' && this.#isPunct('(') && this.#adjacent() && this.#isPunct(')', this.#peek())) {
      this.#next()
      const end = this.#next()
      return { kind: 'Set', items: [], location: this.#loc(t, end) }
    }
    // A keyword directly followed by `(` is a call of the built-in of that name (`contains(a, b)`).
    const callsBuiltin = this.#isPunct('(') && this.#adjacent()
    if ((ALWAYS_KEYWORDS.has(t.text) || this.#keywords.has(t.text)) && !callsBuiltin) {
      throw this.#error(`unexpected ${t.text} keyword`, t)
    }
    return varTerm(t.text, this.#loc(t))
  }

  /** `.name`, `[term]` and `(args)` directly after a term. */
  #parseTermFinish(head: Term, start: Token): Term {
    let term = head
    for (;;) {
      if (!this.#adjacent()) return term
      if (this.#isPunct('.')) {
        this.#next()
        const id = this.#next()
        if (id.kind !== 'ident') throw this.#error(`unexpected ${this.#describe(id)} token: expected ident`, id)
        term = this.#extendRef(term, scalar(id.text, this.#loc(id)), start)
      } else if (this.#isPunct('[')) {
        this.#next()
        const saved = this.#noBitOr
        this.#noBitOr = 0
        const idx = this.#parseTermInfix()
        this.#noBitOr = saved
        this.#expect(']')
        term = this.#extendRef(term, idx, start)
      } else if (this.#isPunct('(')) {
        if (term.kind !== 'Var' && term.kind !== 'Ref') return term
        this.#next()
        const args = this.#parseTermList(')')
        term = { kind: 'Call', op: term, args, location: this.#locFrom(start) }
      } else return term
    }
  }

  #extendRef(term: Term, el: Term, start: Token): Term {
    if (term.kind === 'Ref') return ref(term.head, [...term.path, el], this.#locFrom(start))
    if (term.kind === 'Scalar' && term.value !== null && typeof term.value !== 'string') {
      throw this.#error('illegal ref (head cannot be ' + typeof term.value + ')')
    }
    return ref(term, [el], this.#locFrom(start))
  }

  #parseTermList(end: string): Term[] {
    const saved = this.#noBitOr
    this.#noBitOr = 0
    const out: Term[] = []
    while (!this.#isPunct(end)) {
      out.push(this.#parseTermInfix())
      if (this.#isPunct(',')) this.#next()
      else if (!this.#isPunct(end)) throw this.#error(`unexpected ${this.#describe(this.#tok)} token: expected ${end}`)
    }
    this.#next()
    this.#noBitOr = saved
    return out
  }

  #parseArray(): Term {
    const start = this.#next()
    if (this.#isPunct(']')) {
      this.#next()
      return { kind: 'Array', items: [], location: this.#locFrom(start) }
    }
    this.#noBitOr++
    const first = this.#parseTermInfix()
    this.#noBitOr--
    if (this.#isPunct('|')) {
      this.#next()
      const body = this.#parseBody(']')
      return { kind: 'ArrayCompr', term: first, body, location: this.#locFrom(start) }
    }
    const items = [first]
    if (this.#isPunct(',')) {
      this.#next()
      items.push(...this.#parseTermList(']'))
    } else this.#expect(']')
    return { kind: 'Array', items, location: this.#locFrom(start) }
  }

  #parseBrace(): Term {
    const start = this.#next()
    if (this.#isPunct('}')) {
      this.#next()
      return { kind: 'Object', entries: [], location: this.#locFrom(start) }
    }
    this.#noBitOr++
    const first = this.#parseTermInfix()
    this.#noBitOr--
    if (this.#isPunct(':')) {
      this.#next()
      this.#noBitOr++
      const value = this.#parseTermInfix()
      this.#noBitOr--
      if (this.#isPunct('|')) {
        this.#next()
        const body = this.#parseBody('}')
        return { kind: 'ObjectCompr', key: first, value, body, location: this.#locFrom(start) }
      }
      const entries: [Term, Term][] = [[first, value]]
      const saved = this.#noBitOr
      this.#noBitOr = 0
      while (this.#isPunct(',')) {
        this.#next()
        if (this.#isPunct('}')) break
        const k = this.#parseTermInfix()
        this.#expect(':')
        const v = this.#parseTermInfix()
        entries.push([k, v])
      }
      this.#noBitOr = saved
      this.#expect('}')
      return { kind: 'Object', entries, location: this.#locFrom(start) }
    }
    if (this.#isPunct('|')) {
      this.#next()
      const body = this.#parseBody('}')
      return { kind: 'SetCompr', term: first, body, location: this.#locFrom(start) }
    }
    const items = [first]
    if (this.#isPunct(',')) {
      this.#next()
      items.push(...this.#parseTermList('}'))
    } else this.#expect('}')
    return { kind: 'Set', items, location: this.#locFrom(start) }
  }

  #parseTemplate(t: Token): Term {
    const parts: (string | Term)[] = []
    for (const p of t.parts ?? []) {
      if (p.kind === 'text') parts.push(p.text)
      else {
        const lexer = new Lexer(this.#file, p.source, p.row - 1, p.col - 1, p.offset)
        const sub = new Parser(this.#file, p.source, { regoVersion: this.#version, keywords: this.#keywords }, lexer)
        const lit = sub.#parseLiteral()
        if (!sub.#atEof()) throw sub.#error(`unexpected ${sub.#describe(sub.#tok)} token in template expression`)
        // Each part is collected like `{v | v := expr with …}`: undefined shows as <undefined>,
        // and its variables are local to it.
        const loc = lit.location
        const v = varTerm(TEMPLATE_VAR, loc)
        const body: Expr = { ...lit, body: call('assign', [v, lit.body as Term], loc) }
        parts.push({ kind: 'SetCompr', term: v, body: [body], location: loc })
      }
    }
    return { kind: 'TemplateString', parts, location: this.#loc(t) }
  }

  // ---- entry points for queries and terms -----------------------------------------------------

  /** A query: statements separated by `;` or line breaks. */
  parseQuery(): Body {
    const out: Expr[] = []
    while (!this.#atEof()) {
      const before = this.#i
      out.push(this.#parseLiteral())
      if (this.#isPunct(';')) this.#next()
      else if (!this.#atEof() && !this.#tok.nlBefore && this.#i > before) {
        throw this.#error(`unexpected ${this.#describe(this.#tok)} token`)
      }
    }
    if (out.length === 0) throw this.#error('empty query')
    return out
  }

  /** A single term, e.g. an input document written in Rego syntax. */
  parseSingleTerm(): Term {
    const t = this.#parseTermInfix()
    if (this.#tok.kind !== 'eof') throw this.#error(`unexpected ${this.#describe(this.#tok)} token`)
    return t
  }
}

/** Integers stay exact (bigint beyond 2^53); decimals and exponents are doubles. */
export function parseNumber(text: string): number | bigint {
  if (/^[0-9]+$/.test(text)) {
    const n = Number(text)
    return Number.isSafeInteger(n) ? n : BigInt(text)
  }
  const n = Number(text)
  if (!Number.isFinite(n)) throw new RangeError(`number ${text} is out of range`)
  if (Number.isInteger(n) && !Number.isSafeInteger(n) && /^[0-9]+(\.0*)?$/.test(text)) return BigInt(text.split('.')[0]!)
  return n
}

