/**
 * Every built-in family, registered explicitly and in order: no import has side effects. A new
 * family is a file exporting `register(reg)` and one line here.
 */
import { BuiltinRegistry } from './builtin.js'
import { register as internal } from './internal.js'
import { register as strings } from './strings.js'
import { register as sprintf } from './sprintf.js'
import { register as regex } from './regex.js'
import { register as glob } from './glob.js'
import { register as encoding } from './encoding.js'
import { register as json } from './json.js'
import { register as yaml } from './yaml.js'

export { BuiltinRegistry, BuiltinError, OperandError } from './builtin.js'
export type { Builtin, BuiltinContext, BuiltinDecl, ArgDecl } from './builtin.js'

type Family = (reg: BuiltinRegistry) => void

const FAMILIES: readonly Family[] = [
  internal,
  strings,
  sprintf,
  regex,
  glob,
  encoding,
  json,
  yaml,
]

/** A registry holding every built-in signoff ships. */
export function defaultRegistry(): BuiltinRegistry {
  const reg = new BuiltinRegistry()
  for (const register of FAMILIES) register(reg)
  return reg
}
