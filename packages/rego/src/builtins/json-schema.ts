/**
 * `json.verify_schema` and `json.match_schema` (OPA `topdown/jsonschema.go`, gojsonschema). Schemas
 * of drafts 04, 06 and 07 are compiled by ajv; errors are reported with gojsonschema's `type`,
 * `field` (`(root)`, `a.0.b`), `desc` and `error` texts.
 */
import { createRequire } from 'node:module'
import type { AnySchema, ErrorObject, ValidateFunction } from 'ajv'
import { BuiltinError, type BuiltinRegistry } from './builtin.js'
import { operandTypeError } from './operands.js'
import { RObject, type Value } from '../value/value.js'
import { toJS } from '../value/json.js'
import { goJSONParse } from './json-codec.js'

interface AjvLike {
  compile(schema: AnySchema): ValidateFunction
  addMetaSchema(schema: AnySchema): unknown
}
type AjvClass = new (opts: Record<string, unknown>) => AjvLike

const require = createRequire(import.meta.url)
const Ajv07 = (require('ajv') as { default: AjvClass }).default
const Ajv04 = (require('ajv-draft-04') as { default: AjvClass }).default
const draft06 = require('ajv/dist/refs/json-schema-draft-06.json') as AnySchema

/** The formats gojsonschema checks; unknown formats are ignored, as there. */
const FORMATS: Record<string, (s: string) => boolean> = {
  'date-time': (s) => /^\d{4}-\d\d-\d\d[Tt]\d\d:\d\d:\d\d(\.\d+)?([Zz]|[+-]\d\d:\d\d)$/.test(s) && !Number.isNaN(Date.parse(s)),
  date: (s) => /^\d{4}-\d\d-\d\d$/.test(s) && !Number.isNaN(Date.parse(s + 'T00:00:00Z')),
  time: (s) => /^\d\d:\d\d:\d\d(\.\d+)?([Zz]|[+-]\d\d:\d\d)$/.test(s),
  email: (s) => /^[^@\s]+@[^@\s]+$/.test(s),
  hostname: (s) => s.length <= 255 && /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$/.test(s),
  ipv4: (s) => /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/.test(s),
  ipv6: (s) => s.includes(':') && isIPv6(s),
  uri: (s) => /^[A-Za-z][A-Za-z0-9+.-]*:\S*$/.test(s),
  'uri-reference': (s) => !/\s/.test(s),
  uuid: (s) => /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/.test(s),
  regex: (s) => {
    try {
      new RegExp(s, 'u')
      return true
    } catch {
      return false
    }
  },
}

function isIPv6(s: string): boolean {
  try {
    return new URL(`http://[${s}]/`).hostname.length > 2
  } catch {
    return false
  }
}

const OPTIONS = { allErrors: true, strict: false, validateFormats: true, logger: false, formats: FORMATS }
let instances: { d07: AjvLike; d04: AjvLike } | undefined

function ajvFor(schema: unknown): AjvLike {
  if (instances === undefined) {
    const d07 = new Ajv07(OPTIONS)
    d07.addMetaSchema(draft06)
    instances = { d07, d04: new Ajv04(OPTIONS) }
  }
  const id = typeof schema === 'object' && schema !== null ? (schema as { $schema?: unknown }).$schema : undefined
  return typeof id === 'string' && id.includes('draft-04') ? instances.d04 : instances.d07
}

const PRIMITIVES = ['array', 'boolean', 'integer', 'number', 'null', 'object', 'string']

/** gojsonschema's check of `type` keywords, with its message. */
function checkTypes(s: unknown): void {
  if (typeof s !== 'object' || s === null) return
  if (Array.isArray(s)) {
    s.forEach(checkTypes)
    return
  }
  const t = (s as Record<string, unknown>).type
  for (const name of Array.isArray(t) ? t : t === undefined ? [] : [t]) {
    if (typeof name === 'string' && !PRIMITIVES.includes(name)) {
      throw new BuiltinError(
        `has a primitive type that is NOT VALID -- given: /${name}/ Expected valid values are:[${PRIMITIVES.join(' ')}]`,
      )
    }
  }
  for (const v of Object.values(s)) checkTypes(v)
}

const cache = new Map<string, ValidateFunction>()

/** Plain JSON for ajv: big integers become (approximate) numbers. */
function plain(v: Value): unknown {
  return JSON.parse(JSON.stringify(toJS(v), (_k, x: unknown) => (typeof x === 'bigint' ? Number(x) : x)))
}

function schemaJSON(v: Value, pos: number): unknown {
  if (typeof v === 'string') return plain(goJSONParse(v))
  if (v instanceof RObject || typeof v === 'boolean') return plain(v)
  throw operandTypeError(pos, v, 'string', 'object')
}

function compileSchema(v: Value, pos: number): ValidateFunction {
  const schema = schemaJSON(v, pos)
  const key = JSON.stringify(schema)
  let fn = cache.get(key)
  if (fn === undefined) {
    checkTypes(schema)
    try {
      fn = ajvFor(schema).compile(schema as AnySchema)
    } catch (e) {
      throw new BuiltinError((e as Error).message)
    }
    if (cache.size > 200) cache.delete(cache.keys().next().value!)
    cache.set(key, fn)
  }
  return fn
}

const jsType = (v: unknown): string => {
  if (v === null) return 'null'
  if (Array.isArray(v)) return 'array'
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number'
  if (typeof v === 'bigint') return 'integer'
  return typeof v
}

function at(doc: unknown, pointer: string): unknown {
  let cur = doc
  for (const seg of pointer.split('/').slice(1)) {
    const k = seg.replaceAll('~1', '/').replaceAll('~0', '~')
    cur = cur === null || typeof cur !== 'object' ? undefined : (cur as Record<string, unknown>)[k]
  }
  return cur
}

const quoteList = (xs: readonly unknown[]): string => xs.map((x) => JSON.stringify(x)).join(', ')

/** An ajv error as gojsonschema's `{type, desc}`. */
function describe(e: ErrorObject, doc: unknown): { type: string; desc: string } {
  const p = e.params as Record<string, unknown>
  switch (e.keyword) {
    case 'required':
      return { type: 'required', desc: `${String(p.missingProperty)} is required` }
    case 'type':
      return { type: 'invalid_type', desc: `Invalid type. Expected: ${String(p.type).split(',').join(', ')}, given: ${jsType(at(doc, e.instancePath))}` }
    case 'enum':
      return { type: 'enum', desc: `${fieldOf(e.instancePath)} must be one of the following: ${quoteList(p.allowedValues as unknown[])}` }
    case 'const':
      return { type: 'const', desc: `${fieldOf(e.instancePath)} does not match: ${JSON.stringify(p.allowedValue)}` }
    case 'minimum':
      return p.comparison === '>'
        ? { type: 'number_gt', desc: `Must be greater than ${String(p.limit)}` }
        : { type: 'number_gte', desc: `Must be greater than or equal to ${String(p.limit)}` }
    case 'maximum':
      return p.comparison === '<'
        ? { type: 'number_lt', desc: `Must be less than ${String(p.limit)}` }
        : { type: 'number_lte', desc: `Must be less than or equal to ${String(p.limit)}` }
    case 'exclusiveMinimum':
      return { type: 'number_gt', desc: `Must be greater than ${String(p.limit)}` }
    case 'exclusiveMaximum':
      return { type: 'number_lt', desc: `Must be less than ${String(p.limit)}` }
    case 'minLength':
      return { type: 'string_gte', desc: `String length must be greater than or equal to ${String(p.limit)}` }
    case 'maxLength':
      return { type: 'string_lte', desc: `String length must be less than or equal to ${String(p.limit)}` }
    case 'pattern':
      return { type: 'pattern', desc: `Does not match pattern '${String(p.pattern)}'` }
    case 'format':
      return { type: 'format', desc: `Does not match format '${String(p.format)}'` }
    case 'minItems':
      return { type: 'array_min_items', desc: `Array must have at least ${String(p.limit)} items` }
    case 'maxItems':
      return { type: 'array_max_items', desc: `Array must have at most ${String(p.limit)} items` }
    case 'uniqueItems':
      return { type: 'unique', desc: `array items[${String(p.j)},${String(p.i)}] must be unique` }
    case 'additionalProperties':
      return { type: 'additional_property_not_allowed', desc: `Additional property ${String(p.additionalProperty)} is not allowed` }
    case 'minProperties':
      return { type: 'array_min_properties', desc: `Must have at least ${String(p.limit)} properties` }
    case 'maxProperties':
      return { type: 'array_max_properties', desc: `Must have at most ${String(p.limit)} properties` }
    case 'multipleOf':
      return { type: 'multiple_of', desc: `Must be a multiple of ${String(p.multipleOf)}` }
    case 'anyOf':
      return { type: 'number_any_of', desc: 'Must validate at least one schema (anyOf)' }
    case 'oneOf':
      return { type: 'number_one_of', desc: 'Must validate one and only one schema (oneOf)' }
    case 'not':
      return { type: 'number_not', desc: 'Must not validate the schema (not)' }
    case 'dependencies':
    case 'dependentRequired':
      return { type: 'missing_dependency', desc: `Has a dependency on ${String(p.missingProperty)}` }
    case 'if':
      return p.failingKeyword === 'else'
        ? { type: 'condition_else', desc: 'Must validate "else" as "if" was not valid' }
        : { type: 'condition_then', desc: 'Must validate "then" as "if" was valid' }
    case 'false schema':
      return { type: 'false', desc: 'False always fails validation' }
    case 'contains':
      return { type: 'contains', desc: 'At least one of the items must match' }
    case 'additionalItems':
      return { type: 'array_no_additional_items', desc: 'No additional items allowed on array' }
    case 'propertyNames':
      return { type: 'invalid_property_name', desc: `Property name of "${String(p.propertyName)}" does not match` }
    default:
      return { type: e.keyword, desc: e.message ?? e.keyword }
  }
}

/** The order in which gojsonschema checks a node's keywords. */
const KEYWORD_RANK = [
  'type', 'anyOf', 'oneOf', 'allOf', 'not', 'dependencies', 'dependentRequired', 'if', 'false schema', 'const', 'enum',
  'minItems', 'maxItems', 'uniqueItems', 'contains', 'additionalItems',
  'maxProperties', 'minProperties', 'required', 'additionalProperties', 'propertyNames',
  'minLength', 'maxLength', 'pattern', 'format', 'multipleOf', 'maximum', 'exclusiveMaximum', 'minimum', 'exclusiveMinimum',
]
const rank = (k: string): number => {
  const i = KEYWORD_RANK.indexOf(k)
  return i < 0 ? KEYWORD_RANK.length : i
}

/**
 * gojsonschema's error list from ajv's: for `anyOf`/`oneOf` only the errors of the best-scoring
 * branch are kept (fewest errors here); a node's own errors come before its children's, in
 * gojsonschema's keyword order.
 */
function gojsonschemaOrder(errors: readonly ErrorObject[]): ErrorObject[] {
  let kept = errors.slice()
  for (const alt of errors.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf')) {
    const prefix = alt.schemaPath + '/'
    const branches = new Map<string, ErrorObject[]>()
    for (const e of kept) {
      if (!e.schemaPath.startsWith(prefix)) continue
      const b = e.schemaPath.slice(prefix.length).split('/')[0]!
      branches.set(b, [...(branches.get(b) ?? []), e])
    }
    const passed = alt.keyword === 'oneOf' && Array.isArray((alt.params as { passingSchemas?: unknown }).passingSchemas)
    // gojsonschema scores a branch by the checks it passes: one that fails on its type scores lowest.
    const cost = (list: ErrorObject[]): number => (list.some((e) => e.keyword === 'type' && e.instancePath === alt.instancePath) ? 1e6 : 0) + list.length
    let best: ErrorObject[] = []
    if (!passed) for (const list of branches.values()) if (best.length === 0 || cost(list) < cost(best)) best = list
    kept = kept.filter((e) => !e.schemaPath.startsWith(prefix) || best.includes(e))
  }
  interface Tree {
    own: ErrorObject[]
    kids: Map<string, Tree>
  }
  const root: Tree = { own: [], kids: new Map() }
  for (const e of kept) {
    let t = root
    for (const seg of e.instancePath.split('/').slice(1)) {
      let k = t.kids.get(seg)
      if (k === undefined) t.kids.set(seg, (k = { own: [], kids: new Map() }))
      t = k
    }
    t.own.push(e)
  }
  const out: ErrorObject[] = []
  const walk = (t: Tree): void => {
    out.push(...t.own.map((e, i) => [e, i] as const).sort((a, b) => rank(a[0].keyword) - rank(b[0].keyword) || a[1] - b[1]).map(([e]) => e))
    for (const k of t.kids.values()) walk(k)
  }
  walk(root)
  return out
}

/** gojsonschema's field: `(root)` or the dotted path below it. */
const fieldOf = (pointer: string): string =>
  pointer === '' ? '(root)' : pointer.slice(1).split('/').map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~')).join('.')

export function register(reg: BuiltinRegistry): void {
  const schemaType = 'any<string, object[any: any]>'
  reg.register({
    name: 'json.verify_schema',
    args: [{ name: 'schema', type: schemaType, description: 'the schema to verify' }],
    result: {
      name: 'output',
      type: 'array<boolean, any<null, string>>',
      description:
        '`output` is of the form `[valid, error]`. If the schema is valid, then `valid` is `true`, and `error` is `null`. Otherwise, `valid` is `false` and `error` is a string describing the error.',
    },
    description: 'Checks that the input is a valid JSON schema object. The schema can be either a JSON string or an JSON object.',
    categories: ['object'],
    impl([s]) {
      try {
        compileSchema(s!, 1)
        return Object.freeze([true, null])
      } catch (e) {
        if (!(e instanceof BuiltinError)) throw e
        return Object.freeze([false, `jsonschema: ${e.message}`])
      }
    },
  })

  reg.register({
    name: 'json.match_schema',
    args: [
      { name: 'document', type: schemaType, description: 'document to verify by schema' },
      { name: 'schema', type: schemaType, description: 'schema to verify document by' },
    ],
    result: {
      name: 'output',
      type: 'array<boolean, array[object<desc: string, error: string, field: string, type: string>]>',
      description:
        '`output` is of the form `[match, errors]`. If the document is valid given the schema, then `match` is `true`, and `errors` is an empty array. Otherwise, `match` is `false` and `errors` is an array of objects describing the error(s).',
    },
    description:
      'Checks that the document matches the JSON schema.',
    categories: ['object'],
    impl([d, s]) {
      const doc = typeof d === 'string' ? plain(goJSONParse(d)) : plain(d!)
      const validate = compileSchema(s!, 2)
      if (validate(doc)) return Object.freeze([true, Object.freeze([])])
      const errors = gojsonschemaOrder((validate.errors ?? []).filter((e) => e.keyword !== 'if' || e.params.failingKeyword !== undefined))
        .map((e) => {
          const { type, desc } = describe(e, doc)
          const field = fieldOf(e.instancePath)
          return RObject.from([
            ['desc', desc],
            ['error', `${field}: ${desc}`],
            ['field', field],
            ['type', type],
          ])
        })
      return Object.freeze([false, Object.freeze(errors)])
    },
  })
}
