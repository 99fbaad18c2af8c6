/**
 * The lexer and parser of `strings.render_template`'s Go text/template subset (see template.ts):
 * actions with trim markers and comments, pipelines, variables, fields, literals and the
 * control structures, with text/template's error texts and line numbers.
 */
import { BuiltinError } from './builtin.js'
import type { Value } from '../value/value.js'

/** A template value: a Rego value, or an integer/float produced by the template itself. */
export type TV = Value | TNum | typeof MISSING
/** Numbers written in the template or computed by it (Go int/float64), unlike json.Number data. */
export class TNum {
  constructor(readonly v: number) {}
}
export const MISSING = Symbol('missing')

/** text/template's error text: `template: template:LINE: message`. */
export const templateError = (msg: string, line = 1): BuiltinError => new BuiltinError(`template: template:${line}: ${msg}`)

/** The functions text/template knows (and, or are special forms evaluated lazily). */
export const FUNC_NAMES = new Set(['and', 'or', 'not', 'len', 'index', 'slice', 'print', 'printf', 'println', 'eq', 'ne', 'lt', 'le', 'gt', 'ge', 'html', 'js', 'urlquery'])

// ---- lexer ----

type Tok = TokBody & { line?: number }
type TokBody =
  | { k: 'text'; v: string }
  | { k: 'open' }
  | { k: 'close' }
  | { k: 'field'; v: string; chain: boolean }
  | { k: 'var'; v: string }
  | { k: 'ident'; v: string }
  | { k: 'str'; v: string }
  | { k: 'num'; v: number }
  | { k: 'dot' }
  | { k: 'punct'; v: string }

export function lex(src: string): Tok[] {
  const out: Tok[] = []
  let i = 0
  const lineAt = (at: number): number => {
    let n = 1
    for (let k = 0; k < at && k < src.length; k++) if (src.charCodeAt(k) === 10) n++
    return n
  }
  const fail = (msg: string): BuiltinError => templateError(msg, lineAt(i))
  const emit = (t: Tok): void => {
    t.line = lineAt(i)
    out.push(t)
  }
  while (i < src.length) {
    let j = src.indexOf('{{', i)
    if (j < 0) j = src.length
    let text = src.slice(i, j)
    if (j < src.length && src[j + 2] === '-' && /[ \t\r\n]/.test(src[j + 3] ?? '')) text = text.replace(/[ \t\r\n]+$/, '')
    if (text !== '') emit({ k: 'text', v: text })
    if (j >= src.length) break
    i = j + 2
    if (src[i] === '-' && /[ \t\r\n]/.test(src[i + 1] ?? '')) i += 2
    while (/[ \t\r\n]/.test(src[i] ?? '')) i++
    if (src.startsWith('/*', i)) {
      const end = src.indexOf('*/', i + 2)
      if (end < 0) throw fail('unclosed comment')
      i = end + 2
      const m = /^([ \t\r\n]*)(-?)}}/.exec(src.slice(i))
      if (m === null || (m[2] === '-' && m[1] === '')) throw fail('comment ends before closing delimiter')
      i += m[0].length
      if (m[2] === '-') while (/[ \t\r\n]/.test(src[i] ?? '')) i++
      continue
    }
    emit({ k: 'open' })
    for (;;) {
      while (/[ \t\r\n]/.test(src[i] ?? '')) i++
      if (i >= src.length) throw fail('unclosed action')
      if (src.startsWith('}}', i)) {
        i += 2
        emit({ k: 'close' })
        break
      }
      if (src[i] === '-' && src.startsWith('}}', i + 1) && /[ \t\r\n]/.test(src[i - 1] ?? '')) {
        i += 3
        while (/[ \t\r\n]/.test(src[i] ?? '')) i++
        emit({ k: 'close' })
        break
      }
      const rest = src.slice(i)
      let m: RegExpExecArray | null
      const chain = i > 0 && !/[ \t\r\n{]/.test(src[i - 1]!)
      if ((m = /^\.[A-Za-z_][A-Za-z0-9_]*/.exec(rest))) emit({ k: 'field', v: m[0].slice(1), chain })
      else if ((m = /^\$[A-Za-z0-9_]*/.exec(rest))) emit({ k: 'var', v: m[0] })
      else if ((m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(rest))) emit({ k: 'ident', v: m[0] })
      else if ((m = /^"(?:[^"\\\n]|\\.)*"/.exec(rest))) emit({ k: 'str', v: JSON.parse(m[0].replace(/\\x([0-9a-fA-F]{2})/g, '\\u00$1')) as string })
      else if ((m = /^`[^`]*`/.exec(rest))) emit({ k: 'str', v: m[0].slice(1, -1) })
      else if ((m = /^'(?:[^'\\]|\\.)'/.exec(rest))) emit({ k: 'num', v: (JSON.parse('"' + m[0].slice(1, -1).replace(/"/g, '\\"') + '"') as string).codePointAt(0)! })
      else if ((m = /^[+-]?(0[xX][0-9a-fA-F]+|[0-9]+(\.[0-9]*)?([eE][+-]?[0-9]+)?|\.[0-9]+)/.exec(rest))) emit({ k: 'num', v: Number(m[0]) })
      else if ((m = /^\./.exec(rest))) emit({ k: 'dot' })
      else if ((m = /^(:=|=|\||\(|\)|,)/.exec(rest))) emit({ k: 'punct', v: m[0] })
      else throw fail(`unexpected ${JSON.stringify(rest[0])} in command`)
      i += m[0].length
    }
  }
  return out
}

// ---- parser ----

export type Arg =
  | { k: 'field'; recv: Arg | null; path: string[] }
  | { k: 'var'; name: string; path: string[] }
  | { k: 'dot' }
  | { k: 'lit'; v: TV }
  | { k: 'fn'; name: string }
  | { k: 'pipe'; pipe: Pipe; path: string[] }
export interface Pipe {
  decl: string[]
  assign: boolean
  cmds: Arg[][]
}
export type Node =
  | { k: 'text'; v: string }
  | { k: 'action'; pipe: Pipe }
  | { k: 'if' | 'with' | 'range'; pipe: Pipe; body: Node[]; els: Node[] }
  | { k: 'template'; name: string; pipe: Pipe | null }
  | { k: 'break' | 'continue' }

export class Parser {
  i = 0
  /** An error at the line of the current token. */
  fail(msg: string): BuiltinError {
    const t = this.toks[Math.min(this.i, this.toks.length - 1)]
    return templateError(msg, t?.line ?? 1)
  }

  readonly defs = new Map<string, Node[]>()
  constructor(readonly toks: Tok[]) {}

  peek(): Tok | undefined {
    return this.toks[this.i]
  }

  /** A `.field` written right after the previous operand (`$x.a`, `(…).a`, `.a.b`). */
  chained(): boolean {
    const t = this.peek()
    return t?.k === 'field' && t.chain
  }

  /** Parses nodes until `{{end}}` / `{{else}}`; returns which one stopped it. */
  list(top: boolean): [Node[], 'end' | 'else' | 'eof', Tok[]] {
    const nodes: Node[] = []
    for (;;) {
      const t = this.toks[this.i]
      if (t === undefined) {
        if (!top) throw this.fail('unexpected EOF')
        return [nodes, 'eof', []]
      }
      this.i++
      if (t.k === 'text') {
        nodes.push({ k: 'text', v: t.v })
        continue
      }
      const kw = this.peek()
      if (kw?.k === 'ident') {
        switch (kw.v) {
          case 'end':
            this.i++
            this.expect('close')
            if (top) throw this.fail('unexpected {{end}}')
            return [nodes, 'end', []]
          case 'else': {
            this.i++
            if (top) throw this.fail('unexpected {{else}}')
            const rest: Tok[] = []
            while (this.peek()?.k !== 'close') rest.push(this.toks[this.i++]!)
            this.i++
            return [nodes, 'else', rest]
          }
          case 'if':
          case 'with':
          case 'range':
            this.i++
            nodes.push(this.control(kw.v))
            continue
          case 'break':
          case 'continue':
            this.i++
            this.expect('close')
            nodes.push({ k: kw.v })
            continue
          case 'define':
          case 'block':
          case 'template': {
            this.i++
            const name = this.toks[this.i++]
            if (name?.k !== 'str') throw this.fail(`unexpected token in ${kw.v} clause`)
            const pipe = kw.v === 'define' || this.peek()?.k === 'close' ? null : this.pipeline()
            this.expect('close')
            if (kw.v !== 'template') {
              const [body, how] = this.list(false)
              if (how !== 'end') throw this.fail(`unexpected {{else}} in ${kw.v}`)
              this.defs.set(name.v, body)
            }
            if (kw.v !== 'define') nodes.push({ k: 'template', name: name.v, pipe })
            continue
          }
        }
      }
      const pipe = this.pipeline()
      this.expect('close')
      nodes.push({ k: 'action', pipe })
    }
  }

  control(kind: 'if' | 'with' | 'range'): Node {
    const pipe = this.pipeline()
    this.expect('close')
    const [body, how, rest] = this.list(false)
    let els: Node[] = []
    if (how === 'else') {
      if (rest.length > 0 && rest[0]!.k === 'ident' && (rest[0] as { v: string }).v === (kind === 'range' ? '' : kind)) {
        // `{{else if …}}` / `{{else with …}}`: a nested control whose {{end}} closes both.
        const sub = new Parser([...rest.slice(1), { k: 'close' }, ...this.toks.slice(this.i)])
        const node = sub.control(kind)
        this.i += sub.i - rest.length
        els = [node]
        return { k: kind, pipe, body, els }
      }
      const [e, how2] = this.list(false)
      if (how2 !== 'end') throw this.fail('expected end; found {{else}}')
      els = e
    }
    return { k: kind, pipe, body, els }
  }

  expect(k: 'close'): void {
    const t = this.toks[this.i++]
    if (t?.k !== k) throw this.fail(`unexpected ${t === undefined ? 'EOF' : JSON.stringify((t as { v?: unknown }).v ?? t.k)} in command`)
  }

  pipeline(): Pipe {
    const decl: string[] = []
    let assign = false
    const save = this.i
    while (this.peek()?.k === 'var') {
      decl.push((this.toks[this.i++] as { v: string }).v)
      const p = this.peek()
      if (p?.k === 'punct' && p.v === ',') {
        this.i++
        continue
      }
      if (p?.k === 'punct' && (p.v === ':=' || p.v === '=')) {
        assign = p.v === '='
        this.i++
        break
      }
      decl.length = 0
      this.i = save
      break
    }
    const cmds: Arg[][] = [this.command()]
    for (;;) {
      const p = this.peek()
      if (p?.k !== 'punct' || p.v !== '|') break
      this.i++
      cmds.push(this.command())
    }
    return { decl, assign, cmds }
  }

  command(): Arg[] {
    const args: Arg[] = []
    for (;;) {
      const t = this.peek()
      if (t === undefined || t.k === 'close' || (t.k === 'punct' && (t.v === '|' || t.v === ')'))) break
      args.push(this.operand())
    }
    if (args.length === 0) throw this.fail('missing value for command')
    return args
  }

  operand(): Arg {
    const t = this.toks[this.i++]!
    let a: Arg
    switch (t.k) {
      case 'field': {
        const path = [t.v]
        while (this.chained()) path.push((this.toks[this.i++] as { v: string }).v)
        return { k: 'field', recv: null, path }
      }
      case 'var':
        a = { k: 'var', name: t.v, path: [] }
        break
      case 'dot':
        return { k: 'dot' }
      case 'str':
        return { k: 'lit', v: t.v }
      case 'num':
        return { k: 'lit', v: new TNum(t.v) }
      case 'ident':
        if (t.v === 'true' || t.v === 'false') return { k: 'lit', v: t.v === 'true' }
        if (t.v === 'nil') return { k: 'lit', v: null }
        if (!FUNC_NAMES.has(t.v)) throw this.fail(`function "${t.v}" not defined`)
        return { k: 'fn', name: t.v }
      case 'punct':
        if (t.v === '(') {
          const pipe = this.pipeline()
          const c = this.toks[this.i++]
          if (c?.k !== 'punct' || c.v !== ')') throw this.fail('unclosed left paren')
          a = { k: 'pipe', pipe, path: [] }
          break
        }
        throw this.fail(`unexpected "${t.v}" in operand`)
      default:
        throw this.fail(`unexpected ${t.k} in operand`)
    }
    while (this.chained()) (a as { path: string[] }).path.push((this.toks[this.i++] as { v: string }).v)
    return a
  }
}

