/**
 * Every built-in family, registered explicitly and in order: no import has side effects. A new
 * family is a file exporting `register(reg)` and one line here.
 */
import { BuiltinRegistry } from './builtin.js'
import { register as internal } from './internal.js'
import { register as comparison } from './comparison.js'
import { register as arithmetic } from './arithmetic.js'
import { register as aggregates } from './aggregates.js'
import { register as types } from './types.js'
import { register as sets } from './sets.js'
import { register as objects } from './objects.js'
import { register as arrays } from './arrays.js'
import { register as time } from './time.js'
import { register as bits } from './bits.js'
import { register as casts } from './casts.js'
import { register as graph } from './graph.js'
import { register as walk } from './walk.js'
import { register as rand } from './rand.js'
import { register as net } from './net.js'
import { register as strings } from './strings.js'
import { register as sprintf } from './sprintf.js'
import { register as regex } from './regex.js'
import { register as glob } from './glob.js'
import { register as encoding } from './encoding.js'
import { register as json } from './json.js'
import { register as yaml } from './yaml.js'
import { register as units } from './units.js'
import { register as semver } from './semver.js'
import { register as uuid } from './uuid.js'
import { register as jsonSchema } from './json-schema.js'
import { register as template } from './template.js'
import { register as graphql } from './graphql.js'
import { register as crypto } from './crypto.js'
import { register as x509 } from './x509.js'
import { register as jwt } from './jwt.js'
import { register as http } from './http.js'
import { register as netLookup } from './net-lookup.js'
import { register as runtime } from './runtime.js'
import { register as providersAws } from './providers-aws.js'
import { register as trace } from './trace.js'
import { register as regoAst } from './rego-ast.js'

export { BuiltinRegistry, BuiltinError, OperandError } from './builtin.js'
export type { Builtin, BuiltinContext, BuiltinDecl, ArgDecl } from './builtin.js'

type Family = (reg: BuiltinRegistry) => void

const FAMILIES: readonly Family[] = [
  internal,
  comparison,
  arithmetic,
  aggregates,
  types,
  sets,
  objects,
  arrays,
  time,
  bits,
  casts,
  graph,
  walk,
  rand,
  net,
  strings,
  sprintf,
  regex,
  glob,
  encoding,
  json,
  yaml,
  units,
  semver,
  uuid,
  jsonSchema,
  template,
  graphql,
  crypto,
  x509,
  jwt,
  http,
  netLookup,
  runtime,
  providersAws,
  trace,
  regoAst,
]

/** A registry holding every built-in signoff ships. */
export function defaultRegistry(): BuiltinRegistry {
  const reg = new BuiltinRegistry()
  for (const register of FAMILIES) register(reg)
  return reg
}
