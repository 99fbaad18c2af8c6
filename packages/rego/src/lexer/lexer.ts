import { RegoError } from '../ast/errors.js'
import type { TemplatePart, Token } from './token.js'

const PUNCT2 = new Set([':=', '==', '!=', '<=', '>='])
const PUNCT1 = new Set(['{', '}', '[', ']', '(', ')', '.', ',', ';', ':', '=', '<', '>', '+', '-', '*', '/', '%', '&', '|'])

function isIdentStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95
}

function isIdentPart(c: number): boolean {
  return isIdentStart(c) || (c >= 48 && c <= 57)
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57
}

/**
 * Splits Rego source into tokens. Comments are dropped but their text is kept (for annotations)
 * in `comments`. Errors are `rego_parse_error` with file:row:col.
 */
export class Lexer {
  readonly tokens: Token[] = []
  readonly comments: { text: string; row: number; col: number; offset: number }[] = []
  #pos = 0
  #row = 1
  #lineStart = 0
  readonly #src: string
  readonly #file: string

  constructor(file: string, src: string, rowOffset = 0, colOffset = 0, offsetBase = 0) {
    this.#file = file
    this.#src = src
    this.#row = 1 + rowOffset
    this.#baseCol = colOffset
    this.#offsetBase = offsetBase
  }

  readonly #baseCol: number
  readonly #offsetBase: number

  error(msg: string, offset = this.#pos, row = this.#row, col = this.#col(offset)): RegoError {
    return new RegoError('rego_parse_error', msg, { file: this.#file, row, col, offset: offset + this.#offsetBase, length: 1 })
  }

  #col(offset: number): number {
    // Columns of the first line of an embedded source (template expressions) continue the host line.
    return offset - this.#lineStart + 1 + (this.#lineStart === 0 ? this.#baseCol : 0)
  }

  run(): Token[] {
    const src = this.#src
    let nl = false
    for (;;) {
      // whitespace and comments
      while (this.#pos < src.length) {
        const c = src.charCodeAt(this.#pos)
        if (c === 10) {
          nl = true
          this.#pos++
          this.#row++
          this.#lineStart = this.#pos
        } else if (c === 32 || c === 9 || c === 13) {
          this.#pos++
        } else if (c === 35) {
          const start = this.#pos
          while (this.#pos < src.length && src.charCodeAt(this.#pos) !== 10) this.#pos++
          this.comments.push({ text: src.slice(start + 1, this.#pos), row: this.#row, col: this.#col(start), offset: start })
        } else break
      }
      const start = this.#pos
      const row = this.#row
      const col = this.#col(start)
      if (start >= src.length) {
        this.tokens.push({ kind: 'eof', text: '', offset: start + this.#offsetBase, end: start + this.#offsetBase, row, col, nlBefore: true })
        return this.tokens
      }
      const c = src.charCodeAt(start)
      const push = (kind: Token['kind'], text: string, parts?: readonly TemplatePart[]): void => {
        this.tokens.push({ kind, text, offset: start + this.#offsetBase, end: this.#pos + this.#offsetBase, row, col, nlBefore: nl, parts })
        nl = false
      }
      if (isIdentStart(c)) {
        let p = start + 1
        while (p < src.length && isIdentPart(src.charCodeAt(p))) p++
        this.#pos = p
        push('ident', src.slice(start, p))
      } else if (isDigit(c)) {
        this.#pos = this.#number(start)
        push('number', src.slice(start, this.#pos))
      } else if (c === 34) {
        const s = this.#string(start + 1)
        push('string', s)
      } else if (c === 96) {
        const endIdx = src.indexOf('`', start + 1)
        if (endIdx < 0) throw this.error('unterminated raw string', start, row, col)
        const text = src.slice(start + 1, endIdx)
        for (let i = 0; i < text.length; i++) {
          if (text.charCodeAt(i) === 10) {
            this.#row++
            this.#lineStart = start + 1 + i + 1
          }
        }
        this.#pos = endIdx + 1
        push('rawstring', text)
      } else if (c === 36 && (src.charCodeAt(start + 1) === 34 || src.charCodeAt(start + 1) === 96)) {
        const parts = src.charCodeAt(start + 1) === 34 ? this.#template(start + 2) : this.#rawTemplate(start + 2)
        push('template', src.slice(start, this.#pos), parts)
      } else {
        const two = src.slice(start, start + 2)
        if (PUNCT2.has(two)) {
          this.#pos = start + 2
          push('punct', two)
        } else if (PUNCT1.has(src[start]!)) {
          this.#pos = start + 1
          push('punct', src[start]!)
        } else {
          throw this.error(`illegal token '${src[start]}'`, start, row, col)
        }
      }
    }
  }

  #number(start: number): number {
    const src = this.#src
    let p = start
    while (p < src.length && isDigit(src.charCodeAt(p))) p++
    if (src[p] === '.' && isDigit(src.charCodeAt(p + 1))) {
      p++
      while (p < src.length && isDigit(src.charCodeAt(p))) p++
    }
    if (src[p] === 'e' || src[p] === 'E') {
      let q = p + 1
      if (src[q] === '+' || src[q] === '-') q++
      if (isDigit(src.charCodeAt(q))) {
        while (q < src.length && isDigit(src.charCodeAt(q))) q++
        p = q
      }
    }
    if (p < src.length && (isIdentStart(src.charCodeAt(p)) || src[p] === '.')) {
      if (src[p] === '.' && !isDigit(src.charCodeAt(p + 1))) return p
      throw this.error('illegal number format', start)
    }
    return p
  }

  /** Decodes a JSON-style string starting after the opening quote; leaves #pos after the closing one. */
  #string(p: number): string {
    const src = this.#src
    let out = ''
    for (;;) {
      if (p >= src.length || src.charCodeAt(p) === 10) throw this.error('non-terminated string', p)
      const c = src[p]!
      if (c === '"') {
        this.#pos = p + 1
        return out
      }
      if (c === '\\') {
        const [s, next] = this.#escape(p, false)
        out += s
        p = next
      } else {
        out += c
        p++
      }
    }
  }

  #escape(p: number, template: boolean): [string, number] {
    const src = this.#src
    const e = src[p + 1]
    switch (e) {
      case '"':
        return ['"', p + 2]
      case '\\':
        return ['\\', p + 2]
      case '/':
        return ['/', p + 2]
      case 'b':
        return ['\b', p + 2]
      case 'f':
        return ['\f', p + 2]
      case 'n':
        return ['\n', p + 2]
      case 'r':
        return ['\r', p + 2]
      case 't':
        return ['\t', p + 2]
      case 'u': {
        const hex = src.slice(p + 2, p + 6)
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw this.error('invalid unicode escape in string', p)
        return [String.fromCharCode(parseInt(hex, 16)), p + 6]
      }
      default:
        if (e === '{' && template) return ['{', p + 2]
        throw this.error(`illegal escape sequence '\\${e ?? ''}' in string`, p)
    }
  }

  /** `$"…{expr}…"`: literal text with JSON escapes (and `\{`), expressions in braces. */
  #template(p: number): TemplatePart[] {
    const src = this.#src
    const parts: TemplatePart[] = []
    let text = ''
    for (;;) {
      if (p >= src.length || src.charCodeAt(p) === 10) throw this.error('non-terminated template string', p)
      const c = src[p]!
      if (c === '"') {
        if (text) parts.push({ kind: 'text', text })
        this.#pos = p + 1
        return parts
      }
      if (c === '\\') {
        const [s, next] = this.#escape(p, true)
        text += s
        p = next
      } else if (c === '{') {
        if (text) parts.push({ kind: 'text', text })
        text = ''
        p = this.#templateExpr(p, parts)
      } else {
        text += c
        p++
      }
    }
  }

  /** `` $`…{expr}…` ``: raw text, no escapes. */
  #rawTemplate(p: number): TemplatePart[] {
    const src = this.#src
    const parts: TemplatePart[] = []
    let text = ''
    for (;;) {
      if (p >= src.length) throw this.error('non-terminated template string', p)
      const c = src[p]!
      if (c === '`') {
        if (text) parts.push({ kind: 'text', text })
        this.#pos = p + 1
        return parts
      }
      if (c === '{') {
        if (text) parts.push({ kind: 'text', text })
        text = ''
        p = this.#templateExpr(p, parts)
      } else {
        if (c === '\n') {
          this.#row++
          this.#lineStart = p + 1
        }
        text += c
        p++
      }
    }
  }

  /** Finds the matching `}` of a template expression, skipping nested braces and strings. */
  #templateExpr(open: number, parts: TemplatePart[]): number {
    const src = this.#src
    let depth = 0
    let p = open + 1
    while (p < src.length) {
      const c = src[p]!
      if (c === '"') {
        p++
        while (p < src.length && src[p] !== '"') p += src[p] === '\\' ? 2 : 1
      } else if (c === '`') {
        p = src.indexOf('`', p + 1)
        if (p < 0) break
      } else if (c === '$' && src[p + 1] === '"') {
        // nested template string: skip it wholesale, respecting its own braces and strings
        p += 2
        let d = 0
        while (p < src.length && !(src[p] === '"' && d === 0)) {
          if (src[p] === '\\') p++
          else if (src[p] === '{') d++
          else if (src[p] === '}') d--
          else if (src[p] === '"' && d > 0) {
            p++
            while (p < src.length && src[p] !== '"') p += src[p] === '\\' ? 2 : 1
          }
          p++
        }
      } else if (c === '{') depth++
      else if (c === '}') {
        if (depth === 0) {
          parts.push({ kind: 'expr', source: src.slice(open + 1, p), offset: open + 1 + this.#offsetBase, row: this.#row, col: this.#col(open + 1) })
          return p + 1
        }
        depth--
      } else if (c === '\n') throw this.error('non-terminated template expression', open)
      p++
    }
    throw this.error('non-terminated template expression', open)
  }
}
