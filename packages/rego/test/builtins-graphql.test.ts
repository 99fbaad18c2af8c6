import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { register } from '../src/builtins/graphql.js'
import { toJS } from '../src/value/json.js'
import { caller } from './strings-harness.js'

const { call } = caller(register)
const js = (name: string, ...args: unknown[]): unknown => toJS(call(name, ...args)!)

const schema = `
  type Query { employee(id: ID!): Employee, search(q: String): [Result] }
  interface Node { id: ID! }
  type Employee implements Node { id: ID!, name: String, salary(currency: Currency = EUR): Int @deprecated }
  enum Currency { EUR USD }
  union Result = Employee
`

describe('graphql parsing (gqlparser AST shape)', () => {
  it('parse_query returns the pruned AST', () => {
    assert.deepEqual(js('graphql.parse_query', 'query Q($id: ID! = "x") { e: employee(id: $id) { ...F ... on Employee @skip(if: true) { name } } } fragment F on Employee { id }'), {
      Operations: [
        {
          Name: 'Q',
          Operation: 'query',
          VariableDefinitions: [
            { Variable: 'id', Type: { NamedType: 'ID', NonNull: true }, DefaultValue: { ExpectedTypeHasDefault: false, Kind: 3, Raw: 'x' }, Used: false },
          ],
          SelectionSet: [
            {
              Alias: 'e',
              Name: 'employee',
              Arguments: [{ Name: 'id', Value: { ExpectedTypeHasDefault: false, Kind: 0, Raw: 'id' } }],
              SelectionSet: [
                { Name: 'F' },
                {
                  TypeCondition: 'Employee',
                  Directives: [{ Location: '', Name: 'skip', Arguments: [{ Name: 'if', Value: { ExpectedTypeHasDefault: false, Kind: 5, Raw: 'true' } }] }],
                  SelectionSet: [{ Alias: 'name', Name: 'name' }],
                },
              ],
            },
          ],
        },
      ],
      Fragments: [{ Name: 'F', TypeCondition: 'Employee', SelectionSet: [{ Alias: 'id', Name: 'id' }] }],
    })
  })

  it('parse_schema keeps descriptions, block strings dedented, and list/enum values', () => {
    const ast = js('graphql.parse_schema', '"""\n  Top\n    indented\n"""\ntype T { f(a: [Int] = [1, 2]): String }\nextend type T @x') as Record<string, unknown[]>
    const def = ast.Definitions![0] as Record<string, unknown>
    assert.equal(def.Description, 'Top\n  indented')
    assert.deepEqual((def.Fields as Record<string, unknown>[])[0]!.Arguments, [
      {
        Description: '',
        Name: 'a',
        Type: { NamedType: '', NonNull: false, Elem: { NamedType: 'Int', NonNull: false } },
        DefaultValue: {
          ExpectedTypeHasDefault: false,
          Kind: 8,
          Raw: '',
          Children: [
            { Name: '', Value: { ExpectedTypeHasDefault: false, Kind: 1, Raw: '1' } },
            { Name: '', Value: { ExpectedTypeHasDefault: false, Kind: 1, Raw: '2' } },
          ],
        },
      },
    ])
    assert.deepEqual(ast.Extensions, [{ BuiltIn: false, Description: '', Directives: [{ Location: '', Name: 'x' }], Kind: 'OBJECT', Name: 'T' }])
  })

  it('reports syntax errors with gqlparser texts and positions', () => {
    assert.throws(() => call('graphql.parse_query', '{ a(x: ) }'), { message: 'Unexpected ) in GraphQL string at location 1:8' })
    assert.throws(() => call('graphql.parse_query', 'query {\n  a(\n'), { message: 'Expected Name, found <EOF> in GraphQL string at location 3:1' })
    assert.throws(() => call('graphql.parse_schema', 'type T { f: String }\nscalar'), { message: 'Expected Name, found <EOF> in GraphQL string at location 2:7' })
    assert.throws(() => call('graphql.parse_schema', 'enum E {}'), { message: 'expected at least one definition, found } in GraphQL string at location 1:9' })
    assert.throws(() => call('graphql.parse_query', 1), { message: 'operand 1 must be string but got number' })
  })
})

describe('graphql validation', () => {
  it('schema_is_valid applies gqlparser schema rules', () => {
    assert.equal(call('graphql.schema_is_valid', schema), true)
    assert.equal(call('graphql.schema_is_valid', 'extend type Query { a: Int }'), true)
    assert.equal(call('graphql.schema_is_valid', 'type Q { a: Missing }'), false)
    assert.equal(call('graphql.schema_is_valid', 'type Q { a: Int }\ninput I { q: Q }'), false)
    assert.equal(call('graphql.schema_is_valid', 'interface I { a: Int }\ntype T implements I { b: Int }'), false)
    assert.equal(call('graphql.schema_is_valid', 'type T { a: Int }\ntype T { b: Int }'), false)
    assert.equal(call('graphql.schema_is_valid', 'type T { a: Int @unknown }'), false)
    assert.equal(call('graphql.schema_is_valid', 'type T {'), false)
  })

  it('is_valid and parse_and_verify check queries against the schema', () => {
    assert.equal(call('graphql.is_valid', '{ employee(id: "1") { name salary(currency: USD) } }', schema), true)
    assert.equal(call('graphql.is_valid', '{ employee(id: "1") { nope } }', schema), false)
    assert.equal(call('graphql.is_valid', '{ employee { name } }', schema), false)
    assert.equal(call('graphql.is_valid', 'query($v: Int) { search { ... on Employee { id } } }', schema), false)
    const [ok, q, s] = js('graphql.parse_and_verify', '{ search { ... on Employee { id } } }', schema) as [boolean, unknown, unknown]
    assert.equal(ok, true)
    assert.equal((q as { Operations: unknown[] }).Operations.length, 1)
    assert.equal((s as { Definitions: unknown[] }).Definitions.length, 5)
    assert.deepEqual(js('graphql.parse_and_verify', '{ x }', schema), [false, {}, {}])
  })

  it('accepts AST objects in place of strings', () => {
    const q = call('graphql.parse_query', '{ employee(id: "1") { id } }')!
    const s = call('graphql.parse_schema', schema)!
    assert.equal(call('graphql.is_valid', q, s), true)
    assert.deepEqual(toJS(call('graphql.parse', q, s)!), [toJS(q), toJS(s)])
    assert.throws(() => call('graphql.parse', '{ a }', 'type Query {\n  a: Missing\n}'), {
      message: 'Undefined type Missing. in GraphQL schema string at location 2:6',
    })
    assert.throws(() => call('graphql.parse', '{ a }', 'type Query implements I { a: Int }'), {
      message: 'Undefined type "I". in GraphQL schema string at location 1:6',
    })
    assert.throws(() => call('graphql.parse', '{ employee(id: "1") { x } }', s), {
      message: 'Cannot query field "x" on type "Employee". in GraphQL query string at location 1:23',
    })
  })
})
