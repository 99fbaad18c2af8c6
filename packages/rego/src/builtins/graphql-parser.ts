/**
 * A GraphQL lexer and parser that mirror vektah/gqlparser (which OPA uses): the documents come out
 * in gqlparser's JSON shape (`Operations`, `Fragments`, `SelectionSet`, `Definitions`, …) and the
 * errors carry gqlparser's texts and positions (`Expected Name, found <EOF>` at line:column).
 */
import { goQuote } from './strings-util.js'

/** A plain JSON-shaped node, as gqlparser's structs marshal. */
export type GNode = { [key: string]: GJSON }
export type GJSON = string | number | boolean | null | GJSON[] | GNode

export class GraphQLSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(message)
  }
}

type Kind =
  | '<Invalid>' | '<EOF>' | '!' | '$' | '&' | '(' | ')' | '...' | ':' | '=' | '@' | '[' | ']' | '{' | '|' | '}'
  | 'Name' | 'Int' | 'Float' | 'String' | 'BlockString'

interface Token {
  kind: Kind
  value: string
  line: number
  col: number
}

const tokenString = (t: Token): string => (t.value !== '' ? `${t.kind} ${goQuote(t.value)}` : t.kind)

/** GraphQL's block string value: common indentation removed, blank first/last lines dropped. */
function blockStringValue(raw: string): string {
  const lines = raw.split(/\r\n|\r|\n/)
  let common: number | undefined
  for (let i = 1; i < lines.length; i++) {
    const l = lines[i]!
    const indent = l.length - l.replace(/^[ \t]+/, '').length
    if (indent < l.length && (common === undefined || indent < common)) common = indent
  }
  if (common !== undefined && common > 0) for (let i = 1; i < lines.length; i++) lines[i] = lines[i]!.slice(common)
  while (lines.length > 0 && /^[ \t]*$/.test(lines[0]!)) lines.shift()
  while (lines.length > 0 && /^[ \t]*$/.test(lines[lines.length - 1]!)) lines.pop()
  return lines.join('\n')
}

class Lexer {
  i = 0
  line = 1
  lineStart = 0
  constructor(readonly s: string) {}

  private newline(at: number): void {
    this.line++
    this.lineStart = at
  }

  private tok(kind: Kind, value: string, start: number, line = this.line, lineStart = this.lineStart): Token {
    return { kind, value, line, col: start - lineStart + 1 }
  }

  private invalid(): Token {
    return this.tok('<Invalid>', '', this.i)
  }

  next(): Token {
    const s = this.s
    // Skip whitespace, commas, comments and the byte-order mark.
    for (;;) {
      const c = s[this.i]
      if (c === ' ' || c === '\t' || c === ',' || c === '\ufeff') this.i++
      else if (c === '\n') this.newline(++this.i)
      else if (c === '\r') {
        this.i++
        if (s[this.i] === '\n') this.i++
        this.newline(this.i)
      } else if (c === '#') {
        while (this.i < s.length && s[this.i] !== '\n' && s[this.i] !== '\r') this.i++
      } else break
    }
    const start = this.i
    if (start >= s.length) return this.tok('<EOF>', '', start)
    const c = s[start]!
    if ('!$&()=:@[]{}|'.includes(c)) {
      this.i++
      return this.tok(c as Kind, '', start)
    }
    if (c === '.') {
      if (s.startsWith('...', start)) {
        this.i += 3
        return this.tok('...', '', start)
      }
      return this.invalid()
    }
    if (/[_A-Za-z]/.test(c)) {
      let j = start + 1
      while (j < s.length && /[_0-9A-Za-z]/.test(s[j]!)) j++
      this.i = j
      return this.tok('Name', s.slice(start, j), start)
    }
    if (c === '-' || /[0-9]/.test(c)) {
      const m = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(s.slice(start))
      if (m === null) return this.invalid()
      this.i += m[0].length
      if (this.i < s.length && /[_A-Za-z.0-9]/.test(s[this.i]!)) return this.invalid()
      return this.tok(m[2] === undefined && m[3] === undefined ? 'Int' : 'Float', m[0], start)
    }
    if (c === '"') return s.startsWith('"""', start) ? this.blockString(start) : this.string(start)
    return this.invalid()
  }

  private string(start: number): Token {
    const s = this.s
    let out = ''
    this.i = start + 1
    for (;;) {
      if (this.i >= s.length) return this.invalid()
      const c = s[this.i]!
      if (c === '\n' || c === '\r') return this.invalid()
      if (c === '"') {
        this.i++
        return this.tok('String', out, start + 1)
      }
      if (c === '\\') {
        const e = s[this.i + 1]
        const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' }
        if (e !== undefined && e in simple) {
          out += simple[e]
          this.i += 2
          continue
        }
        if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(s.slice(this.i + 2, this.i + 6))) {
          out += String.fromCharCode(parseInt(s.slice(this.i + 2, this.i + 6), 16))
          this.i += 6
          continue
        }
        return this.invalid()
      }
      out += c
      this.i++
    }
  }

  private blockString(start: number): Token {
    const s = this.s
    const line = this.line
    const lineStart = this.lineStart
    let raw = ''
    this.i = start + 3
    for (;;) {
      if (this.i >= s.length) return this.invalid()
      if (s.startsWith('"""', this.i)) {
        this.i += 3
        return this.tok('BlockString', blockStringValue(raw), start + 3, line, lineStart)
      }
      if (s.startsWith('\\"""', this.i)) {
        raw += '"""'
        this.i += 4
        continue
      }
      const c = s[this.i]!
      raw += c
      this.i++
      if (c === '\n') this.newline(this.i)
      else if (c === '\r') {
        if (s[this.i] === '\n') {
          raw += '\n'
          this.i++
        }
        this.newline(this.i)
      }
    }
  }
}

const DIRECTIVE_LOCATIONS = new Set([
  'QUERY', 'MUTATION', 'SUBSCRIPTION', 'FIELD', 'FRAGMENT_DEFINITION', 'FRAGMENT_SPREAD', 'INLINE_FRAGMENT',
  'VARIABLE_DEFINITION', 'SCHEMA', 'SCALAR', 'OBJECT', 'FIELD_DEFINITION', 'ARGUMENT_DEFINITION', 'INTERFACE',
  'UNION', 'ENUM', 'ENUM_VALUE', 'INPUT_OBJECT', 'INPUT_FIELD_DEFINITION',
])

/** Value kinds as gqlparser numbers them. */
const VK = { Variable: 0, Int: 1, Float: 2, String: 3, Block: 4, Boolean: 5, Null: 6, Enum: 7, List: 8, Object: 9 }

class Parser {
  readonly lex: Lexer
  tok: Token
  prev: Token

  constructor(src: string) {
    this.lex = new Lexer(src)
    this.tok = this.lex.next()
    this.prev = this.tok
  }

  peek(): Token {
    return this.tok
  }

  /** The next token's position, as gqlparser records it (pruned from the built-ins' output). */
  pos(): GNode {
    return { Line: this.tok.line, Column: this.tok.col }
  }

  next(): Token {
    this.prev = this.tok
    this.tok = this.lex.next()
    return this.prev
  }

  error(t: Token, msg: string): never {
    throw new GraphQLSyntaxError(msg, t.line, t.col)
  }

  unexpected(t: Token = this.tok): never {
    this.error(t, `Unexpected ${tokenString(t)}`)
  }

  skip(kind: Kind): boolean {
    if (this.tok.kind !== kind) return false
    this.next()
    return true
  }

  expect(kind: Kind): Token {
    if (this.tok.kind === kind) return this.next()
    this.error(this.tok, `Expected ${kind}, found ${this.tok.kind}`)
  }

  expectKeyword(value: string): Token {
    if (this.tok.kind === 'Name' && this.tok.value === value) return this.next()
    this.error(this.tok, `Expected ${goQuote(value)}, found ${tokenString(this.tok)}`)
  }

  /** `start item* end`, possibly absent. */
  many<T>(start: Kind, end: Kind, item: () => T): T[] {
    const out: T[] = []
    if (!this.skip(start)) return out
    while (this.tok.kind !== end) out.push(item())
    this.next()
    return out
  }

  /** `start item+ end`, possibly absent. */
  some<T>(start: Kind, end: Kind, item: () => T): T[] {
    const out: T[] = []
    if (!this.skip(start)) return out
    if (this.tok.kind === end) this.error(this.tok, `expected at least one definition, found ${this.tok.kind}`)
    while (this.tok.kind !== end) out.push(item())
    this.next()
    return out
  }

  name(): string {
    return this.expect('Name').value
  }

  // ---- executable documents ----

  queryDocument(): GNode {
    const ops: GNode[] = []
    const frags: GNode[] = []
    while (this.tok.kind !== '<EOF>') {
      if (this.tok.kind === '{') ops.push(this.operation())
      else if (this.tok.kind === 'Name' && ['query', 'mutation', 'subscription'].includes(this.tok.value)) ops.push(this.operation())
      else if (this.tok.kind === 'Name' && this.tok.value === 'fragment') frags.push(this.fragmentDefinition())
      else this.unexpected()
    }
    return { Operations: ops, Fragments: frags }
  }

  operationType(): string {
    const t = this.next()
    if (t.kind === 'Name' && ['query', 'mutation', 'subscription'].includes(t.value)) return t.value
    this.unexpected(t)
  }

  operation(): GNode {
    if (this.tok.kind === '{') {
      return { Operation: 'query', Name: '', VariableDefinitions: [], Directives: [], SelectionSet: this.requiredSelectionSet() }
    }
    const Operation = this.operationType()
    const Name = this.tok.kind === 'Name' ? this.next().value : ''
    const VariableDefinitions = this.many('(', ')', () => this.variableDefinition())
    const Directives = this.directives(false)
    return { Operation, Name, VariableDefinitions, Directives, SelectionSet: this.requiredSelectionSet() }
  }

  variableDefinition(): GNode {
    const Variable = this.variable()
    this.expect(':')
    const Type = this.typeReference()
    const DefaultValue = this.skip('=') ? this.value(true) : null
    return { Variable, Type, DefaultValue, Directives: this.directives(false), Used: false }
  }

  variable(): string {
    this.expect('$')
    return this.name()
  }

  requiredSelectionSet(): GJSON[] {
    if (this.tok.kind !== '{') this.error(this.tok, `Expected {, found ${this.tok.kind}`)
    return this.some('{', '}', () => this.selection())
  }

  selection(): GNode {
    if (this.tok.kind === '...') return this.fragment()
    const Alias = this.name()
    const Name = this.skip(':') ? this.name() : Alias
    const Arguments = this.arguments(false)
    const Directives = this.directives(false)
    const SelectionSet = this.tok.kind === '{' ? this.some('{', '}', () => this.selection()) : []
    return { Alias, Name, Arguments, Directives, SelectionSet }
  }

  arguments(isConst: boolean): GJSON[] {
    return this.many('(', ')', () => {
      const Name = this.name()
      this.expect(':')
      return { Name, Value: this.value(isConst) }
    })
  }

  fragment(): GNode {
    this.expect('...')
    if (this.tok.kind === 'Name' && this.tok.value !== 'on') {
      return { Name: this.fragmentName(), Directives: this.directives(false) }
    }
    let TypeCondition = ''
    if (this.tok.value === 'on') {
      this.next()
      TypeCondition = this.name()
    }
    const Directives = this.directives(false)
    return { TypeCondition, Directives, SelectionSet: this.requiredSelectionSet() }
  }

  fragmentName(): string {
    if (this.tok.value === 'on') this.unexpected()
    return this.name()
  }

  fragmentDefinition(): GNode {
    this.expectKeyword('fragment')
    const Name = this.fragmentName()
    const VariableDefinition = this.many('(', ')', () => this.variableDefinition())
    this.expectKeyword('on')
    const TypeCondition = this.name()
    const Directives = this.directives(false)
    return { Name, VariableDefinition, TypeCondition, Directives, SelectionSet: this.requiredSelectionSet() }
  }

  value(isConst: boolean): GNode {
    const t = this.tok
    const mk = (Kind: number, Raw: string, Children: GJSON[] = []): GNode => ({ Raw, Children, Kind, ExpectedTypeHasDefault: false })
    switch (t.kind) {
      case '[':
        return mk(VK.List, '', this.many('[', ']', () => ({ Name: '', Value: this.value(isConst) })))
      case '{':
        return mk(
          VK.Object,
          '',
          this.many('{', '}', () => {
            const Name = this.name()
            this.expect(':')
            return { Name, Value: this.value(isConst) }
          }),
        )
      case '$':
        if (isConst) this.unexpected()
        return mk(VK.Variable, this.variable())
      case 'Int':
      case 'Float':
      case 'String':
      case 'BlockString':
      case 'Name': {
        let kind: number
        if (t.kind === 'Name') kind = t.value === 'true' || t.value === 'false' ? VK.Boolean : t.value === 'null' ? VK.Null : VK.Enum
        else kind = { Int: VK.Int, Float: VK.Float, String: VK.String, BlockString: VK.Block }[t.kind]
        this.next()
        return mk(kind, t.value)
      }
      default:
        this.unexpected()
    }
  }

  directives(isConst: boolean): GJSON[] {
    const out: GJSON[] = []
    while (this.tok.kind === '@') {
      this.next()
      const Name = this.name()
      out.push({ Name, Arguments: this.arguments(isConst), Location: '' })
    }
    return out
  }

  typeReference(): GNode {
    let t: GNode
    const Position = this.pos()
    if (this.skip('[')) {
      const Elem = this.typeReference()
      this.expect(']')
      t = { NamedType: '', Elem, NonNull: false }
    } else t = { NamedType: this.name(), Elem: null, NonNull: false }
    if (this.skip('!')) t.NonNull = true
    t.Position = Position
    return t
  }

  // ---- type system documents ----

  description(): string {
    if (this.tok.kind === 'String' || this.tok.kind === 'BlockString') return this.next().value
    return ''
  }

  schemaDocument(): GNode {
    const doc: { [k: string]: GNode[] } = { Schema: [], SchemaExtension: [], Directives: [], Definitions: [], Extensions: [] }
    while (this.tok.kind !== '<EOF>') {
      const hasDesc = this.tok.kind === 'String' || this.tok.kind === 'BlockString'
      const description = this.description()
      if (this.tok.kind !== 'Name') this.unexpected()
      switch (this.tok.value) {
        case 'scalar':
        case 'type':
        case 'interface':
        case 'union':
        case 'enum':
        case 'input':
          doc.Definitions!.push(this.typeDefinition(description))
          break
        case 'schema':
          this.next()
          doc.Schema!.push(this.schemaBody(description, false))
          break
        case 'directive':
          doc.Directives!.push(this.directiveDefinition(description))
          break
        case 'extend':
          if (hasDesc) this.unexpected(this.prev)
          this.extension(doc)
          break
        default:
          this.unexpected()
      }
    }
    return doc
  }

  schemaBody(description: string, extension: boolean): GNode {
    const Directives = this.directives(true)
    const OperationTypes = this.some('{', '}', () => {
      const Operation = this.operationType()
      this.expect(':')
      return { Operation, Type: this.name() }
    })
    if (extension && Directives.length === 0 && OperationTypes.length === 0) this.unexpected()
    return { Description: description, Directives, OperationTypes }
  }

  definition(Kind: string, Description: string, Name: string): GNode {
    return { Kind, Description, Name, Directives: [], Interfaces: [], Fields: [], Types: [], EnumValues: [], BuiltIn: false }
  }

  typeDefinition(description: string, extension = false): GNode {
    const kw = this.next().value
    const Position = this.pos()
    const d = this.definition(
      { scalar: 'SCALAR', type: 'OBJECT', interface: 'INTERFACE', union: 'UNION', enum: 'ENUM', input: 'INPUT_OBJECT' }[kw]!,
      description,
      this.name(),
    )
    d.Position = Position
    if (kw === 'type' || kw === 'interface') d.Interfaces = this.implementsInterfaces()
    d.Directives = this.directives(true)
    switch (kw) {
      case 'type':
      case 'interface':
        d.Fields = this.some('{', '}', () => this.fieldDefinition())
        break
      case 'union':
        d.Types = this.unionMembers()
        break
      case 'enum':
        d.EnumValues = this.some('{', '}', () => ({ Description: this.description(), Name: this.name(), Directives: this.directives(true) }))
        break
      case 'input':
        d.Fields = this.some('{', '}', () => this.inputValueDefinition())
        break
    }
    if (extension) {
      const parts = [d.Directives, d.Interfaces, d.Fields, d.Types, d.EnumValues] as GJSON[][]
      if (parts.every((p) => p.length === 0)) this.unexpected()
    }
    return d
  }

  implementsInterfaces(): string[] {
    const out: string[] = []
    if (this.tok.value === 'implements' && this.tok.kind === 'Name') {
      this.next()
      this.skip('&')
      out.push(this.name())
      while (this.skip('&')) out.push(this.name())
    }
    return out
  }

  unionMembers(): string[] {
    const out: string[] = []
    if (this.skip('=')) {
      this.skip('|')
      out.push(this.name())
      while (this.skip('|')) out.push(this.name())
    }
    return out
  }

  fieldDefinition(): GNode {
    const Position = this.pos()
    const Description = this.description()
    const Name = this.name()
    const Arguments = this.some('(', ')', () => this.inputValueDefinition())
    this.expect(':')
    const Type = this.typeReference()
    return { Description, Name, Arguments, DefaultValue: null, Type, Directives: this.directives(true), Position }
  }

  inputValueDefinition(): GNode {
    const Position = this.pos()
    const Description = this.description()
    const Name = this.name()
    this.expect(':')
    const Type = this.typeReference()
    const DefaultValue = this.skip('=') ? this.value(true) : null
    return { Description, Name, DefaultValue, Type, Directives: this.directives(true), Position }
  }

  directiveDefinition(Description: string): GNode {
    this.expectKeyword('directive')
    this.expect('@')
    const Name = this.name()
    const Arguments = this.some('(', ')', () => this.inputValueDefinition())
    let IsRepeatable = false
    if (this.tok.kind === 'Name' && this.tok.value === 'repeatable') {
      IsRepeatable = true
      this.next()
    }
    this.expectKeyword('on')
    this.skip('|')
    const Locations = [this.directiveLocation()]
    while (this.skip('|')) Locations.push(this.directiveLocation())
    return { Description, Name, Arguments, Locations, IsRepeatable }
  }

  directiveLocation(): string {
    const t = this.expect('Name')
    if (DIRECTIVE_LOCATIONS.has(t.value)) return t.value
    this.unexpected(t)
  }

  extension(doc: { [k: string]: GNode[] }): void {
    this.expectKeyword('extend')
    switch (this.tok.kind === 'Name' ? this.tok.value : '') {
      case 'schema':
        this.next()
        doc.SchemaExtension!.push(this.schemaBody('', true))
        return
      case 'scalar':
      case 'type':
      case 'interface':
      case 'union':
      case 'enum':
      case 'input':
        doc.Extensions!.push(this.typeDefinition('', true))
        return
      default:
        this.unexpected()
    }
  }
}

export function parseQuery(src: string): GNode {
  return new Parser(src).queryDocument()
}

export function parseSchema(src: string): GNode {
  return new Parser(src).schemaDocument()
}
