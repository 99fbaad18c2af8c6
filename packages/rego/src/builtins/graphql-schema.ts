/**
 * GraphQL schema loading and query validation with gqlparser's rules: extensions merge into their
 * types (and stand in for types that are not defined), every type must be well formed (fields,
 * members, values; input vs output types; interfaces implemented, transitively), and queries are
 * checked against the schema with the standard validation rules (graphql-js, on an SDL printed
 * from the merged schema).
 */
import { buildSchema, parse, validate, type GraphQLSchema } from 'graphql'
import type { GJSON, GNode } from './graphql-parser.js'

const arr = (v: GJSON | undefined): GNode[] => (Array.isArray(v) ? (v as GNode[]) : [])
const str = (v: GJSON | undefined): string => (typeof v === 'string' ? v : '')
const node = (v: GJSON | undefined): GNode | undefined => (v !== null && typeof v === 'object' && !Array.isArray(v) ? v : undefined)

export class GraphQLValidationError extends Error {
  constructor(
    message: string,
    /** Where in the query text the problem is, when known. */
    readonly location?: { readonly line: number; readonly column: number },
  ) {
    super(message)
  }
}

const BUILTIN_SCALARS = ['Int', 'Float', 'String', 'Boolean', 'ID']
const BUILTIN_DIRECTIVES: Record<string, string[]> = {
  include: ['FIELD', 'FRAGMENT_SPREAD', 'INLINE_FRAGMENT'],
  skip: ['FIELD', 'FRAGMENT_SPREAD', 'INLINE_FRAGMENT'],
  deprecated: ['FIELD_DEFINITION', 'ARGUMENT_DEFINITION', 'INPUT_FIELD_DEFINITION', 'ENUM_VALUE'],
  specifiedBy: ['SCALAR'],
  oneOf: ['INPUT_OBJECT'],
  defer: ['FRAGMENT_SPREAD', 'INLINE_FRAGMENT'],
}

export interface LoadedSchema {
  readonly types: Map<string, GNode>
  readonly directives: Map<string, GNode>
  readonly schema: GNode[]
  /** graphql-js schema for query validation, built lazily. */
  js?: GraphQLSchema
}

function namedType(t: GNode | undefined): string {
  let cur = t
  while (cur !== undefined && str(cur.NamedType) === '') cur = node(cur.Elem)
  return cur === undefined ? '' : str(cur.NamedType)
}

/** gqlparser's `LoadSchema` checks: throws GraphQLValidationError on the first problem. */
export function loadSchema(doc: GNode): LoadedSchema {
  const fail = (msg: string, at?: GNode): never => {
    const p = node(at?.Position)
    const loc = p === undefined ? undefined : { line: Number(p.Line), column: Number(p.Column) }
    throw new GraphQLValidationError(msg, loc)
  }
  const types = new Map<string, GNode>()
  for (const d of arr(doc.Definitions)) {
    const name = str(d.Name)
    if (types.has(name)) fail(`Cannot redeclare type ${name}.`, d)
    types.set(name, { ...d })
  }
  for (const e of arr(doc.Extensions)) {
    const name = str(e.Name)
    const base = types.get(name)
    if (base === undefined) {
      types.set(name, { ...e })
      continue
    }
    if (str(base.Kind) !== str(e.Kind)) fail(`Cannot extend type ${name} because the base type is a ${str(base.Kind)}, not ${str(e.Kind)}.`, e)
    for (const k of ['Directives', 'Interfaces', 'Fields', 'Types', 'EnumValues']) base[k] = [...arr(base[k]), ...arr(e[k])]
  }
  for (const s of BUILTIN_SCALARS) if (!types.has(s)) types.set(s, { Kind: 'SCALAR', Name: s })
  const directives = new Map<string, GNode>()
  for (const d of arr(doc.Directives)) {
    const name = str(d.Name)
    if (directives.has(name)) fail(`Cannot redeclare directive ${name}.`)
    directives.set(name, d)
  }

  const isInput = (n: string): boolean => ['SCALAR', 'ENUM', 'INPUT_OBJECT'].includes(str(types.get(n)?.Kind))
  const isOutput = (n: string): boolean => ['SCALAR', 'ENUM', 'OBJECT', 'INTERFACE', 'UNION'].includes(str(types.get(n)?.Kind))
  const checkName = (n: string, at?: GNode): void => {
    if (n.startsWith('__')) fail(`Name "${n}" must not begin with "__", which is reserved by GraphQL introspection.`, at)
  }
  const checkDirectives = (ds: GJSON | undefined, location: string, at?: GNode): void => {
    for (const d of arr(ds)) {
      const name = str(d.Name)
      const locs = directives.has(name) ? arr(directives.get(name)!.Locations).map(String) : BUILTIN_DIRECTIVES[name]
      if (locs === undefined) fail(`Undefined directive ${name}.`, at)
      if (!locs!.includes(location)) fail(`Directive ${name} is not applicable on ${location}.`, at)
    }
  }
  const checkTypeRef = (t: GNode | undefined): string => {
    const name = namedType(t)
    if (!types.has(name)) fail(`Undefined type ${name}.`, t)
    return name
  }
  const checkArgs = (args: GJSON | undefined): void => {
    for (const a of arr(args)) {
      checkName(str(a.Name), a)
      const t = checkTypeRef(node(a.Type))
      if (!isInput(t)) fail(`${str(a.Name)}: argument must be one of SCALAR, ENUM, INPUT_OBJECT.`, a)
      checkDirectives(a.Directives, 'ARGUMENT_DEFINITION', a)
    }
  }

  for (const [name, d] of types) {
    const kind = str(d.Kind)
    checkName(name, d)
    checkDirectives(d.Directives, kind, d)
    switch (kind) {
      case 'OBJECT':
      case 'INTERFACE': {
        const fields = arr(d.Fields)
        if (fields.length === 0) fail(`${kind} ${name}: must define one or more fields.`, d)
        const seen = new Set<string>()
        for (const f of fields) {
          const fname = str(f.Name)
          checkName(fname, f)
          if (seen.has(fname)) fail(`Field ${name}.${fname} can only be defined once.`, f)
          seen.add(fname)
          const t = checkTypeRef(node(f.Type))
          if (!isOutput(t)) fail(`${kind} ${name}: field must be one of SCALAR, OBJECT, INTERFACE, UNION, ENUM.`, f)
          checkArgs(f.Arguments)
          checkDirectives(f.Directives, 'FIELD_DEFINITION', f)
        }
        const ifaces = arr(d.Interfaces).map(String)
        for (const i of ifaces) {
          const it = types.get(i)
          if (it === undefined) fail(`Undefined type ${JSON.stringify(i)}.`, d)
          if (str(it!.Kind) !== 'INTERFACE') fail(`${JSON.stringify(i)} is a non interface type ${str(it!.Kind)}.`, d)
          for (const f of arr(it!.Fields)) {
            const own = fields.find((x) => str(x.Name) === str(f.Name))
            if (own === undefined) fail(`For ${name} to implement ${i} it must have a field called ${str(f.Name)}.`, d)
          }
          for (const inner of arr(it!.Interfaces).map(String)) {
            if (ifaces.includes(inner)) continue
            if (inner === name) fail(`${name} cannot implement ${inner} because it would create a circular reference.`, d)
            fail(`${name} must implement ${inner} because it is implemented by ${i}.`, d)
          }
        }
        break
      }
      case 'UNION': {
        const members = arr(d.Types).map(String)
        if (members.length === 0) fail(`UNION ${name}: must define one or more member types.`, d)
        for (const m of members) {
          const mt = types.get(m)
          if (mt === undefined) fail(`Undefined type ${JSON.stringify(m)}.`, d)
          if (str(mt!.Kind) !== 'OBJECT') fail(`UNION type ${JSON.stringify(m)} must be OBJECT.`, d)
        }
        break
      }
      case 'ENUM': {
        const values = arr(d.EnumValues)
        if (values.length === 0) fail(`ENUM ${name}: must define one or more unique enum values.`, d)
        for (const v of values) {
          const vn = str(v.Name)
          if (vn === 'true' || vn === 'false' || vn === 'null') fail(`ENUM ${name}: non-enum value ${vn}.`, d)
          checkDirectives(v.Directives, 'ENUM_VALUE', d)
        }
        break
      }
      case 'INPUT_OBJECT': {
        const fields = arr(d.Fields)
        if (fields.length === 0) fail(`INPUT_OBJECT ${name}: must define one or more input fields.`, d)
        for (const f of fields) {
          const t = checkTypeRef(node(f.Type))
          if (!isInput(t)) fail(`${str(types.get(t)!.Kind)} ${str(f.Name)}: field must be one of SCALAR, ENUM, INPUT_OBJECT.`, f)
          checkDirectives(f.Directives, 'INPUT_FIELD_DEFINITION', f)
        }
        break
      }
      case 'SCALAR':
        break
      default:
        fail(`Unknown kind ${kind} for ${name}.`, d)
    }
  }
  for (const [, d] of directives) checkArgs(d.Arguments)
  const schema = [...arr(doc.Schema), ...arr(doc.SchemaExtension)]
  if (arr(doc.Schema).length > 1) fail('Cannot have multiple schema entry points, consider schema extensions instead.')
  for (const s of schema) {
    for (const op of arr(s.OperationTypes)) {
      const t = types.get(str(op.Type))
      if (t === undefined) fail(`Undefined type ${str(op.Type)}.`, op)
      if (str(t!.Kind) !== 'OBJECT') fail(`${str(op.Operation)} root type must be an object, got ${str(t!.Kind)}.`, op)
    }
  }
  return { types, directives, schema }
}

// ---- printing (for graphql-js) ----

function printType(t: GNode | undefined): string {
  if (t === undefined) return 'String'
  const inner = str(t.NamedType) !== '' ? str(t.NamedType) : `[${printType(node(t.Elem))}]`
  return inner + (t.NonNull === true ? '!' : '')
}

export function printValue(v: GNode | undefined): string {
  if (v === undefined) return 'null'
  const raw = str(v.Raw)
  switch (v.Kind) {
    case 0:
      return '$' + raw
    case 3:
    case 4:
      return JSON.stringify(raw)
    case 8:
      return '[' + arr(v.Children).map((c) => printValue(node(c.Value))).join(', ') + ']'
    case 9:
      return '{' + arr(v.Children).map((c) => `${str(c.Name)}: ${printValue(node(c.Value))}`).join(', ') + '}'
    default:
      return raw
  }
}

const printArgs = (args: GJSON | undefined): string => {
  const a = arr(args)
  return a.length === 0 ? '' : '(' + a.map((x) => `${str(x.Name)}: ${printValue(node(x.Value))}`).join(', ') + ')'
}
const printDirectives = (ds: GJSON | undefined): string => arr(ds).map((d) => ` @${str(d.Name)}${printArgs(d.Arguments)}`).join('')
const printInputValues = (vs: GJSON | undefined): string =>
  arr(vs)
    .map((v) => `${str(v.Name)}: ${printType(node(v.Type))}${v.DefaultValue ? ' = ' + printValue(node(v.DefaultValue)) : ''}${printDirectives(v.Directives)}`)
    .join(', ')

function printSDL(s: LoadedSchema): string {
  const out: string[] = []
  for (const [name, d] of s.types) {
    if (BUILTIN_SCALARS.includes(name)) continue
    const dirs = printDirectives(d.Directives)
    const ifaces = arr(d.Interfaces).length > 0 ? ' implements ' + arr(d.Interfaces).join(' & ') : ''
    switch (str(d.Kind)) {
      case 'SCALAR':
        out.push(`scalar ${name}${dirs}`)
        break
      case 'OBJECT':
      case 'INTERFACE': {
        const fields = arr(d.Fields).map((f) => {
          const args = arr(f.Arguments).length > 0 ? `(${printInputValues(f.Arguments)})` : ''
          return `  ${str(f.Name)}${args}: ${printType(node(f.Type))}${printDirectives(f.Directives)}`
        })
        out.push(`${d.Kind === 'OBJECT' ? 'type' : 'interface'} ${name}${ifaces}${dirs} {\n${fields.join('\n')}\n}`)
        break
      }
      case 'UNION':
        out.push(`union ${name}${dirs} = ${arr(d.Types).join(' | ')}`)
        break
      case 'ENUM':
        out.push(`enum ${name}${dirs} {\n${arr(d.EnumValues).map((v) => `  ${str(v.Name)}${printDirectives(v.Directives)}`).join('\n')}\n}`)
        break
      case 'INPUT_OBJECT':
        out.push(`input ${name}${dirs} {\n${arr(d.Fields).map((f) => '  ' + printInputValues([f])).join('\n')}\n}`)
        break
    }
  }
  for (const [name, d] of s.directives) {
    const args = arr(d.Arguments).length > 0 ? `(${printInputValues(d.Arguments)})` : ''
    out.push(`directive @${name}${args}${d.IsRepeatable === true ? ' repeatable' : ''} on ${arr(d.Locations).join(' | ')}`)
  }
  if (!s.directives.has('defer')) out.push('directive @defer(if: Boolean = true, label: String) on FRAGMENT_SPREAD | INLINE_FRAGMENT')
  const ops = s.schema.flatMap((x) => arr(x.OperationTypes))
  if (ops.length > 0) out.push(`schema {\n${ops.map((o) => `  ${str(o.Operation)}: ${str(o.Type)}`).join('\n')}\n}`)
  return out.join('\n\n')
}

function printSelections(sel: GJSON | undefined): string {
  const items = arr(sel).map((s) => {
    if ('Alias' in s || ('Name' in s && 'Arguments' in s)) {
      const alias = str(s.Alias) !== '' && str(s.Alias) !== str(s.Name) ? `${str(s.Alias)}: ` : ''
      const sub = arr(s.SelectionSet).length > 0 ? ' ' + printSelections(s.SelectionSet) : ''
      return `${alias}${str(s.Name)}${printArgs(s.Arguments)}${printDirectives(s.Directives)}${sub}`
    }
    if ('TypeCondition' in s || 'SelectionSet' in s) {
      const on = str(s.TypeCondition) !== '' ? ` on ${str(s.TypeCondition)}` : ''
      return `...${on}${printDirectives(s.Directives)} ${printSelections(s.SelectionSet)}`
    }
    return `...${str(s.Name)}${printDirectives(s.Directives)}`
  })
  return '{ ' + items.join(' ') + ' }'
}

const printVarDefs = (vs: GJSON | undefined): string => {
  const a = arr(vs)
  if (a.length === 0) return ''
  return (
    '(' +
    a.map((v) => `$${str(v.Variable)}: ${printType(node(v.Type))}${v.DefaultValue ? ' = ' + printValue(node(v.DefaultValue)) : ''}${printDirectives(v.Directives)}`).join(', ') +
    ')'
  )
}

/** GraphQL text of a query document in gqlparser's JSON shape. */
export function printQuery(doc: GNode): string {
  const out: string[] = []
  for (const op of arr(doc.Operations)) {
    const name = str(op.Name)
    out.push(`${str(op.Operation) || 'query'}${name ? ' ' + name : ''}${printVarDefs(op.VariableDefinitions)}${printDirectives(op.Directives)} ${printSelections(op.SelectionSet)}`)
  }
  for (const f of arr(doc.Fragments)) {
    out.push(`fragment ${str(f.Name)} on ${str(f.TypeCondition)}${printDirectives(f.Directives)} ${printSelections(f.SelectionSet)}`)
  }
  return out.join('\n')
}

/** Validates a query document against a loaded schema; throws GraphQLValidationError. */
export function validateQuery(schema: LoadedSchema, query: GNode, source?: string): void {
  if (schema.js === undefined) {
    try {
      schema.js = buildSchema(printSDL(schema), { assumeValid: true, assumeValidSDL: true })
    } catch (e) {
      throw new GraphQLValidationError((e as Error).message)
    }
  }
  const text = printQuery(query)
  // An empty document has nothing to check (gqlparser accepts it; graphql-js cannot parse it).
  if (text === '') return
  // The original text, when there is one, so that error locations point into it.
  let doc
  try {
    doc = parse(source ?? text, { allowLegacyFragmentVariables: true })
  } catch (e) {
    try {
      doc = parse(text, { allowLegacyFragmentVariables: true })
    } catch {
      throw new GraphQLValidationError((e as Error).message)
    }
  }
  const errors = validate(schema.js, doc)
  if (errors.length > 0) {
    const loc = source !== undefined && doc.loc?.source.body === source ? errors[0]!.locations?.[0] : undefined
    throw new GraphQLValidationError(errors[0]!.message, loc)
  }
}
