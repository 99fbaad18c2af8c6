/**
 * GraphQL built-ins (OPA `topdown/graphql.go`): documents are returned in gqlparser's AST shape,
 * pruned as OPA prunes it (no positions, no nulls, no empty arrays or objects). Queries and
 * schemas may be given as strings or as such AST objects.
 */
import { BuiltinError, type BuiltinRegistry } from './builtin.js'
import { operandTypeError, stringOperand } from './operands.js'
import { RObject, type Value } from '../value/value.js'
import { toJS } from '../value/json.js'
import { GraphQLSyntaxError, parseQuery, parseSchema, type GJSON, type GNode } from './graphql-parser.js'
import { GraphQLValidationError, loadSchema, validateQuery } from './graphql-schema.js'

/** OPA's `pruneIrrelevantGraphQLASTNodes`, producing a Rego value. */
function prune(x: GJSON): Value | undefined {
  if (x === null) return undefined
  if (Array.isArray(x)) {
    const out: Value[] = []
    for (const e of x) {
      const v = prune(e)
      if (v === undefined) continue
      if ((Array.isArray(v) && v.length === 0) || (v instanceof RObject && v.size === 0)) continue
      out.push(v)
    }
    return Object.freeze(out)
  }
  if (typeof x === 'object') {
    const o = new RObject()
    for (const [k, e] of Object.entries(x)) {
      if (k === 'Position') continue
      const v = prune(e)
      if (v === undefined) continue
      if ((Array.isArray(v) && v.length === 0) || (v instanceof RObject && v.size === 0)) continue
      o.set(k, v)
    }
    return o
  }
  return x
}

const pruned = (doc: GNode): Value => prune(doc) ?? new RObject()

function syntax(e: unknown): never {
  if (e instanceof GraphQLSyntaxError) throw new BuiltinError(`${e.message} in GraphQL string at location ${e.line}:${e.column}`)
  throw e
}

function queryDoc(v: Value, pos: number): GNode {
  if (typeof v === 'string') {
    try {
      return parseQuery(v)
    } catch (e) {
      syntax(e)
    }
  }
  if (v instanceof RObject) return toJS(v) as GNode
  throw operandTypeError(pos, v, 'string', 'object')
}

function schemaDoc(v: Value, pos: number): GNode {
  if (typeof v === 'string') {
    try {
      return parseSchema(v)
    } catch (e) {
      syntax(e)
    }
  }
  if (v instanceof RObject) return toJS(v) as GNode
  throw operandTypeError(pos, v, 'string', 'object')
}

/** Parses and validates both documents; validation problems become built-in errors. */
function parseAndValidate(q: Value, s: Value): [GNode, GNode] {
  const query = queryDoc(q, 1)
  const schema = schemaDoc(s, 2)
  let loaded
  try {
    loaded = loadSchema(schema)
  } catch (e) {
    if (!(e instanceof GraphQLValidationError)) throw e
    const at = e.location === undefined ? '' : ` at location ${e.location.line}:${e.location.column}`
    throw new BuiltinError(`${e.message} in GraphQL schema string${at}`)
  }
  try {
    validateQuery(loaded, query, typeof q === 'string' ? q : undefined)
  } catch (e) {
    if (!(e instanceof GraphQLValidationError)) throw e
    const at = e.location === undefined ? '' : ` at location ${e.location.line}:${e.location.column}`
    throw new BuiltinError(`${e.message} in GraphQL query string${at}`)
  }
  return [query, schema]
}

const succeeds = (f: () => unknown): boolean => {
  try {
    f()
    return true
  } catch (e) {
    if (e instanceof BuiltinError || e instanceof GraphQLValidationError) return false
    throw e
  }
}

export function register(reg: BuiltinRegistry): void {
  const doc = 'any<string, object[any: any]>'
  const graphql = ['graphql'] as const

  reg.register({
    name: 'graphql.parse_query',
    args: [{ name: 'query', type: 'string', description: 'GraphQL query string' }],
    result: { name: 'output', type: 'object[any: any]', description: 'AST object for the GraphQL query.' },
    description: 'Returns an AST object for a GraphQL query.',
    categories: graphql,
    impl: ([q]) => pruned(queryDoc(stringOperand(q!, 1), 1)),
  })

  reg.register({
    name: 'graphql.parse_schema',
    args: [{ name: 'schema', type: 'string', description: 'GraphQL schema string' }],
    result: { name: 'output', type: 'object[any: any]', description: 'AST object for the GraphQL schema.' },
    description: 'Returns an AST object for a GraphQL schema.',
    categories: graphql,
    impl: ([s]) => pruned(schemaDoc(stringOperand(s!, 1), 1)),
  })

  reg.register({
    name: 'graphql.parse',
    args: [
      { name: 'query', type: doc, description: 'the GraphQL query' },
      { name: 'schema', type: doc, description: 'the GraphQL schema' },
    ],
    result: {
      name: 'output',
      type: 'array<object[any: any], object[any: any]>',
      description: '`output` is of the form `[query_ast, schema_ast]`. If the GraphQL query is valid given the provided schema, then `query_ast` and `schema_ast` are objects describing the ASTs for the query and schema.',
    },
    description:
      'Returns AST objects for a given GraphQL query and schema after validating the query against the schema. Returns undefined if errors were encountered during parsing or validation. The query and/or schema can be either GraphQL strings or AST objects from the other GraphQL builtin functions.',
    categories: graphql,
    impl([q, s]) {
      const [query, schema] = parseAndValidate(q!, s!)
      return Object.freeze([pruned(query), pruned(schema)])
    },
  })

  reg.register({
    name: 'graphql.parse_and_verify',
    args: [
      { name: 'query', type: doc, description: 'the GraphQL query' },
      { name: 'schema', type: doc, description: 'the GraphQL schema' },
    ],
    result: {
      name: 'output',
      type: 'array<boolean, object[any: any], object[any: any]>',
      description: ' `output` is of the form `[valid, query_ast, schema_ast]`. If the query is valid given the provided schema, then `valid` is `true`, and `query_ast` and `schema_ast` are objects describing the ASTs for the GraphQL query and schema. Otherwise, `valid` is `false` and `query_ast` and `schema_ast` are `{}`.',
    },
    description:
      'Returns a boolean indicating success or failure alongside the parsed ASTs for a given GraphQL query and schema after validating the query against the schema. The query and/or schema can be either GraphQL strings or AST objects from the other GraphQL builtin functions.',
    categories: graphql,
    impl([q, s]) {
      try {
        const [query, schema] = parseAndValidate(q!, s!)
        return Object.freeze([true, pruned(query), pruned(schema)])
      } catch (e) {
        if (!(e instanceof BuiltinError)) throw e
        return Object.freeze([false, new RObject(), new RObject()])
      }
    },
  })

  reg.register({
    name: 'graphql.is_valid',
    args: [
      { name: 'query', type: doc, description: 'the GraphQL query' },
      { name: 'schema', type: doc, description: 'the GraphQL schema' },
    ],
    result: { name: 'output', type: 'boolean', description: '`true` if the query is valid under the given schema. `false` otherwise.' },
    description:
      'Checks that a GraphQL query is valid against a given schema. The query and/or schema can be either GraphQL strings or AST objects from the other GraphQL builtin functions.',
    categories: graphql,
    impl: ([q, s]) => succeeds(() => parseAndValidate(q!, s!)),
  })

  reg.register({
    name: 'graphql.schema_is_valid',
    args: [{ name: 'schema', type: doc, description: 'the schema to verify' }],
    result: { name: 'output', type: 'boolean', description: '`true` if the schema is a valid GraphQL schema. `false` otherwise.' },
    description: 'Checks that the input is a valid GraphQL schema. The schema can be either a GraphQL string or an AST object from the other GraphQL builtin functions.',
    categories: graphql,
    impl: ([s]) => succeeds(() => loadSchema(schemaDoc(s!, 1))),
  })
}

