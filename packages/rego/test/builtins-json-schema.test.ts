import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { register } from '../src/builtins/json-schema.js'
import { toJS } from '../src/value/json.js'
import { caller } from './strings-harness.js'

const { call } = caller(register)
const js = (name: string, ...args: unknown[]): unknown => toJS(call(name, ...args)!)

describe('json schema built-ins', () => {
  it('verify_schema accepts strings and objects and reports gojsonschema texts', () => {
    assert.deepEqual(js('json.verify_schema', '{"type": "boolean"}'), [true, null])
    assert.deepEqual(js('json.verify_schema', { type: 'boolean' }), [true, null])
    assert.deepEqual(js('json.verify_schema', { properties: { a: { type: 'unknown_type' } } }), [
      false,
      'jsonschema: has a primitive type that is NOT VALID -- given: /unknown_type/ Expected valid values are:[array boolean integer number null object string]',
    ])
    assert.deepEqual(js('json.verify_schema', { $schema: 'http://json-schema.org/draft-04/schema#', type: 'string' }), [true, null])
  })

  it('match_schema reports each failure with field, type and description', () => {
    const schema = {
      type: 'object',
      properties: { id: { type: 'integer' }, tags: { type: 'array', items: { type: 'string' }, maxItems: 2 } },
      required: ['id', 'name'],
    }
    assert.deepEqual(js('json.match_schema', { id: 1, name: 'x' }, schema), [true, []])
    const [ok, errors] = js('json.match_schema', '{"id": 1.5, "tags": ["a", 2, "c"]}', JSON.stringify(schema)) as [boolean, { error: string }[]]
    assert.equal(ok, false)
    assert.deepEqual(
      errors.sort((x, y) => (x.error < y.error ? -1 : 1)),
      [
        { desc: 'name is required', error: '(root): name is required', field: '(root)', type: 'required' },
        { desc: 'Invalid type. Expected: integer, given: number', error: 'id: Invalid type. Expected: integer, given: number', field: 'id', type: 'invalid_type' },
        { desc: 'Invalid type. Expected: string, given: integer', error: 'tags.1: Invalid type. Expected: string, given: integer', field: 'tags.1', type: 'invalid_type' },
        { desc: 'Array must have at most 2 items', error: 'tags: Array must have at most 2 items', field: 'tags', type: 'array_max_items' },
      ],
    )
  })

  it('keeps only the closest anyOf branch, after the anyOf error itself', () => {
    const schema = { anyOf: [{ type: 'string' }, { type: 'object', required: ['a', 'b'] }, { type: 'object', required: ['a'] }] }
    assert.deepEqual(js('json.match_schema', {}, schema), [
      false,
      [
        { desc: 'Must validate at least one schema (anyOf)', error: '(root): Must validate at least one schema (anyOf)', field: '(root)', type: 'number_any_of' },
        { desc: 'a is required', error: '(root): a is required', field: '(root)', type: 'required' },
      ],
    ])
  })

  it('checks the common string formats and ignores unknown ones', () => {
    const schema = { type: 'object', properties: { at: { format: 'date-time' }, ip: { format: 'ipv4' }, x: { format: 'no-such-format' } } }
    assert.deepEqual(js('json.match_schema', { at: '2024-01-02T03:04:05Z', ip: '10.0.0.1', x: 'anything' }, schema), [true, []])
    assert.deepEqual(js('json.match_schema', { at: 'yesterday', ip: '10.0.0.300' }, schema), [
      false,
      [
        { desc: "Does not match format 'date-time'", error: "at: Does not match format 'date-time'", field: 'at', type: 'format' },
        { desc: "Does not match format 'ipv4'", error: "ip: Does not match format 'ipv4'", field: 'ip', type: 'format' },
      ],
    ])
  })
})
