/**
 * JSON encoding built-ins (OPA `topdown/encoding.go`) and the JSON document editing built-ins
 * `json.filter`, `json.remove` and `json.patch` (OPA `topdown/json.go`, in json-edit.ts).
 */
import { type BuiltinRegistry } from './builtin.js'
import { objectOperand, operandError, operandTypeError, stringOperand } from './operands.js'
import { goJSONMarshal, goJSONParse, goJSONValid } from './json-codec.js'
import { jsonFilter, jsonPatch, jsonRemove } from './json-edit.js'
import { goQuote } from './strings-util.js'
import { termString } from './sprintf.js'

const encoding = ['encoding'] as const

export function register(reg: BuiltinRegistry): void {
  reg.register({
    name: 'json.marshal',
    args: [{ name: 'x', type: 'any', description: 'the term to serialize' }],
    result: { name: 'y', type: 'string', description: 'the JSON string representation of `x`' },
    description: 'Serializes the input term to JSON.',
    categories: encoding,
    impl: ([x]) => goJSONMarshal(x!),
  })

  reg.register({
    name: 'json.marshal_with_options',
    args: [
      { name: 'x', type: 'any', description: 'the term to serialize' },
      {
        name: 'opts',
        type: 'object<indent: string, prefix: string, pretty: boolean>[string: any]',
        description: 'encoding options',
      },
    ],
    result: { name: 'y', type: 'string', description: 'the JSON string representation of `x`, with configured prefix/indent string(s) as appropriate' },
    description:
      'Serializes the input term JSON, with additional formatting options via the `opts` parameter. `opts` accepts keys `pretty` (enable multi-line/formatted JSON), `prefix` (string to prefix lines with, default empty string) and `indent` (string to indent with, default `\\t`).',
    categories: encoding,
    impl([x, o]) {
      const opts = objectOperand(o!, 2)
      let prefix = ''
      let indent = '\t'
      let implicitPretty = false
      let explicitPretty: boolean | undefined
      // OPA's messages, including its use of the key's index as the operand number.
      let idx = 0
      for (const [k, v] of opts.entries()) {
        if (typeof k !== 'string') {
          throw operandError(2, `failed to stringify key ${termString(k)} at index ${idx}: ${operandTypeError(idx, k, 'string').message}`)
        }
        switch (k) {
          case 'prefix':
          case 'indent':
            if (typeof v !== 'string') throw operandError(2, `key ${goQuote(k)} failed cast to string: ${operandTypeError(idx, v, 'string').message}`)
            if (k === 'prefix') prefix = v
            else indent = v
            implicitPretty = true
            break
          case 'pretty':
            if (typeof v !== 'boolean') throw operandError(2, `key ${goQuote(k)} failed cast to bool`)
            explicitPretty = v
            break
          default:
            throw operandError(2, `object contained unknown key ${goQuote(k)}`)
        }
        idx++
      }
      const pretty = explicitPretty ?? implicitPretty
      if (!pretty) return goJSONMarshal(x!)
      return prefix + goJSONMarshal(x!, { prefix, indent })
    },
  })

  reg.register({
    name: 'json.unmarshal',
    args: [{ name: 'x', type: 'string', description: 'a JSON string' }],
    result: { name: 'y', type: 'any', description: 'the term deserialized from `x`' },
    description: 'Deserializes the input string.',
    categories: encoding,
    impl: ([x]) => goJSONParse(stringOperand(x!, 1)),
  })

  reg.register({
    name: 'json.is_valid',
    args: [{ name: 'x', type: 'string', description: 'a JSON string' }],
    result: { name: 'result', type: 'boolean', description: '`true` if `x` is valid JSON, `false` otherwise' },
    description: 'Verifies the input string is a valid JSON document.',
    categories: encoding,
    impl: ([x]) => (typeof x === 'string' ? goJSONValid(x) : false),
  })

  const pathsType = 'any<array[any<string, array[any]>], set[any<string, array[any]>]>'

  reg.register({
    name: 'json.filter',
    args: [
      { name: 'object', type: 'object[any: any]', description: 'object to filter' },
      { name: 'paths', type: pathsType, description: 'JSON string paths' },
    ],
    result: { name: 'filtered', type: 'any', description: 'remaining data from `object` with only keys specified in `paths`' },
    description:
      'Filters the object. For example: `json.filter({"a": {"b": "x", "c": "y"}}, ["a/b"])` will result in `{"a": {"b": "x"}}`). Paths are not filtered in-order and are deduplicated before being evaluated.',
    categories: ['object'],
    impl: ([o, p]) => jsonFilter(objectOperand(o!, 1), p!),
  })

  reg.register({
    name: 'json.remove',
    args: [
      { name: 'object', type: 'object[any: any]', description: 'object to remove paths from' },
      { name: 'paths', type: pathsType, description: 'JSON string paths' },
    ],
    result: { name: 'output', type: 'any', description: 'result of removing all keys specified in `paths`' },
    description:
      'Removes paths from an object. For example: `json.remove({"a": {"b": "x", "c": "y"}}, ["a/b"])` will result in `{"a": {"c": "y"}}`. Paths are not removed in-order and are deduplicated before being evaluated.',
    categories: ['object'],
    impl: ([o, p]) => jsonRemove(objectOperand(o!, 1), p!),
  })

  reg.register({
    name: 'json.patch',
    args: [
      { name: 'object', type: 'any', description: 'the object to patch' },
      { name: 'patches', type: 'array[object<op: string, path: any>[any: any]]', description: 'the JSON patches to apply' },
    ],
    result: { name: 'output', type: 'any', description: 'result obtained after consecutively applying all patch operations in `patches`' },
    description:
      'Patches an object according to RFC6902. For example: `json.patch({"a": {"foo": 1}}, [{"op": "add", "path": "/a/bar", "value": 2}])` results in `{"a": {"foo": 1, "bar": 2}`. The patches are applied atomically: if any of them fails, the result will be undefined. Additionally works on sets, where a value contained in the set is considered to be its path.',
    categories: ['object'],
    impl: ([o, p]) => jsonPatch(o!, p!),
  })
}
