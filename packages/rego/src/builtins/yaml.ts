/**
 * YAML built-ins (OPA `topdown/encoding.go`, which goes through sigs.k8s.io/yaml and go-yaml v2):
 * YAML 1.1 scalars (`yes`/`on` are booleans), timestamps kept as strings, mapping keys turned into
 * strings, only the first document read; marshalling writes go-yaml's layout (sequences not
 * indented under their key, keys in go-yaml's natural order, floats as Go prints them).
 */
import { Document, parseAllDocuments, visit, type ScalarTag, type Tags } from 'yaml'
import { BuiltinError, type BuiltinRegistry } from './builtin.js'
import { stringOperand } from './operands.js'
import { RObject, RSet, normalizeInt, type Value } from '../value/value.js'
import { goJSONMarshal, jsonEntries } from './json-codec.js'
import { goFormatFloatG } from './sprintf.js'

const noTimestamps = (tags: Tags): Tags =>
  tags.filter((t) => (typeof t === 'string' ? t !== 'timestamp' : t.tag !== 'tag:yaml.org,2002:timestamp'))

/** A YAML key as the string JSON needs (sigs.k8s.io/yaml's conversion). */
function keyString(k: unknown): string {
  if (typeof k === 'string') return k
  if (k === null || k === undefined) return 'null'
  if (typeof k === 'number') return Number.isInteger(k) ? String(k) : goFormatFloatG(k)
  if (typeof k === 'bigint' || typeof k === 'boolean') return String(k)
  return goJSONMarshal(fromYAML(k))
}

function fromYAML(x: unknown): Value {
  if (x === null || x === undefined) return null
  switch (typeof x) {
    case 'string':
    case 'boolean':
      return x
    case 'bigint':
      return normalizeInt(x)
    case 'number':
      if (!Number.isFinite(x)) throw new BuiltinError(`json: unsupported value: ${x > 0 ? '+Inf' : x < 0 ? '-Inf' : 'NaN'}`)
      return x
    case 'object': {
      if (Array.isArray(x)) return Object.freeze(x.map(fromYAML))
      if (x instanceof Map) {
        const o = new RObject()
        for (const [k, v] of x) o.set(keyString(k), fromYAML(v))
        return o
      }
      if (x instanceof Set) {
        const o = new RObject()
        for (const k of x) o.set(keyString(k), null)
        return o
      }
      if (x instanceof Uint8Array) return Buffer.from(x).toString('utf8')
      return String(x)
    }
    default:
      return String(x)
  }
}

/** go-yaml's wording for the errors its parser reports, with the line. */
function yamlError(code: string, message: string, line: number): BuiltinError {
  let msg = message.split(' at line ')[0]!
  if (/^Flow sequence/.test(msg)) msg = "did not find expected ',' or ']'"
  else if (/^Flow map/.test(msg)) msg = "did not find expected ',' or '}'"
  else if (code === 'BLOCK_AS_IMPLICIT_KEY' || code === 'MULTILINE_IMPLICIT_KEY') msg = 'mapping values are not allowed in this context'
  else if (code === 'TAB_AS_INDENT' || code === 'BAD_SCALAR_START') msg = 'found character that cannot start any token'
  else if (code === 'MISSING_CHAR' && /quote/.test(msg)) msg = 'found unexpected end of stream'
  else if (code === 'UNEXPECTED_TOKEN') msg = 'did not find expected <document start>'
  return new BuiltinError(`yaml: line ${line}: ${msg}`)
}

export function yamlUnmarshal(text: string): Value {
  // Duplicate keys are not an error in go-yaml v2: the last one wins.
  const docs = parseAllDocuments(text, { version: '1.1', intAsBigInt: true, merge: true, uniqueKeys: false, customTags: noTimestamps })
  const doc = Array.isArray(docs) ? docs[0] : undefined
  if (doc === undefined) return null
  const err = doc.errors[0]
  if (err !== undefined) throw yamlError(err.code, err.message, err.linePos?.[err.linePos.length - 1]?.line ?? 1)
  return fromYAML(doc.toJS({ mapAsMap: true, maxAliasCount: 1000 }))
}

/** A float to be written as Go writes it. */
class GoFloat {
  constructor(readonly text: string) {}
}

const goFloatTag: ScalarTag = {
  identify: (v: unknown) => v instanceof GoFloat,
  tag: 'tag:yaml.org,2002:float',
  default: true,
  resolve: (s: string) => Number(s),
  stringify: (item) => ((item as { value: unknown }).value as GoFloat).text,
}

function toYAMLData(v: Value): unknown {
  switch (typeof v) {
    case 'number':
      return Number.isInteger(v) ? v : new GoFloat(goFormatFloatG(v))
    case 'object':
      if (v === null) return null
      if (Array.isArray(v)) return v.map(toYAMLData)
      if (v instanceof RSet) return v.sortedValues().map(toYAMLData)
      return Object.fromEntries(jsonEntries(v as RObject).map(([k, x]) => [k, toYAMLData(x)]))
    default:
      return v
  }
}

const isLetter = (c: string): boolean => /\p{L}/u.test(c)
const isDigit = (c: string): boolean => /\p{Nd}/u.test(c)

/** go-yaml v2's `keyList.Less`: letters before digits, digit runs compared as numbers. */
export function goYAMLKeyLess(a: string, b: string): boolean {
  const ar = Array.from(a)
  const br = Array.from(b)
  for (let i = 0; i < ar.length && i < br.length; i++) {
    if (ar[i] === br[i]) continue
    const al = isLetter(ar[i]!)
    const bl = isLetter(br[i]!)
    if (al && bl) return ar[i]!.codePointAt(0)! < br[i]!.codePointAt(0)!
    if (al || bl) return bl
    let an = 0n
    let bn = 0n
    if (ar[i] === '0' || br[i] === '0') {
      for (let j = i - 1; j >= 0 && isDigit(ar[j]!); j--) {
        if (ar[j] !== '0') {
          an = 1n
          bn = 1n
          break
        }
      }
    }
    let ai = i
    let bi = i
    for (; ai < ar.length && isDigit(ar[ai]!); ai++) an = an * 10n + BigInt(ar[ai]!.charCodeAt(0) - 48)
    for (; bi < br.length && isDigit(br[bi]!); bi++) bn = bn * 10n + BigInt(br[bi]!.charCodeAt(0) - 48)
    if (an !== bn) return an < bn
    if (ai !== bi) return ai < bi
    return ar[i]!.codePointAt(0)! < br[i]!.codePointAt(0)!
  }
  return ar.length < br.length
}

/** Plain scalars that go-yaml v2 would read as something other than a string. */
const NON_STRING = [
  /^(|~|null|Null|NULL)$/,
  /^(y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/,
  /^[-+]?(0b[01_]+|0x[0-9a-fA-F_]+|0o?[0-7_]+|[0-9][0-9_]*)$/,
  /^[-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9_]*)?)([eE][-+]?[0-9]+)?$/,
  /^[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?$/,
  /^([-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN))$/,
  /^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([Tt ].*)?$/,
  /^<<$/,
]

export function yamlMarshal(v: Value): string {
  const doc = new Document(toYAMLData(v), {
    version: '1.1',
    customTags: [goFloatTag],
    sortMapEntries: (a, b) => {
      const ka = String((a.key as { value?: unknown }).value ?? a.key)
      const kb = String((b.key as { value?: unknown }).value ?? b.key)
      return goYAMLKeyLess(ka, kb) ? -1 : goYAMLKeyLess(kb, ka) ? 1 : 0
    },
  })
  // go-yaml double-quotes strings that would read back as another type, and otherwise prefers
  // plain, then single-quoted style.
  visit(doc, {
    Scalar(_key, node) {
      if (typeof node.value === 'string' && !node.value.includes('\n') && NON_STRING.some((re) => re.test(node.value as string))) {
        node.type = 'QUOTE_DOUBLE'
      }
    },
  })
  return doc.toString({ indentSeq: false, lineWidth: 0, singleQuote: true })
}

export function register(reg: BuiltinRegistry): void {
  const encoding = ['encoding'] as const
  reg.register({
    name: 'yaml.marshal',
    args: [{ name: 'x', type: 'any', description: 'the term to serialize' }],
    result: { name: 'y', type: 'string', description: 'the YAML string representation of `x`' },
    description: 'Serializes the input term to YAML.',
    categories: encoding,
    impl: ([x]) => yamlMarshal(x!),
  })
  reg.register({
    name: 'yaml.unmarshal',
    args: [{ name: 'x', type: 'string', description: 'a YAML string' }],
    result: { name: 'y', type: 'any', description: 'the term deserialized from `x`' },
    description: 'Deserializes the input string.',
    categories: encoding,
    impl: ([x]) => yamlUnmarshal(stringOperand(x!, 1)),
  })
  reg.register({
    name: 'yaml.is_valid',
    args: [{ name: 'x', type: 'string', description: 'a YAML string' }],
    result: { name: 'result', type: 'boolean', description: '`true` if `x` is valid YAML, `false` otherwise' },
    description: 'Verifies the input string is a valid YAML document.',
    categories: encoding,
    impl([x]) {
      if (typeof x !== 'string') return false
      try {
        yamlUnmarshal(x)
        return true
      } catch (e) {
        if (e instanceof BuiltinError) return false
        throw e
      }
    },
  })
}
