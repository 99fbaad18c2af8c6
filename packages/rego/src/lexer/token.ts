/** Token kinds. Keywords are lexed as identifiers; the parser decides by context (keywords may be ref segments). */
export type TokenKind =
  | 'ident'
  | 'number'
  | 'string'
  | 'rawstring'
  | 'template'
  | 'punct'
  | 'eof'

export interface Token {
  readonly kind: TokenKind
  /** Source text (for punct: the operator; for strings: the decoded value; for templates: see parts). */
  readonly text: string
  readonly offset: number
  readonly end: number
  readonly row: number
  readonly col: number
  /** A newline separates this token from the previous one (Rego uses newlines as separators). */
  readonly nlBefore: boolean
  /** For template strings: literal parts and expression sources with their offsets. */
  readonly parts?: readonly TemplatePart[]
}

export type TemplatePart =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'expr'; readonly source: string; readonly offset: number; readonly row: number; readonly col: number }
