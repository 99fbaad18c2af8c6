import { RegoError } from '../../ast/errors.js'
import type { Module, Rule } from '../../ast/nodes.js'
import type { Value } from '../../value/value.js'
import type { CompileState, HeadInfo, Stage } from '../stage.js'

/** Reserved names that rules may not use. */
const RESERVED_ROOTS = new Set(['input', 'data'])

/** Classifies every rule head (complete, multi-value, ref head, function) and collects function arities. */
export const classifyHeads: Stage = {
  name: 'ClassifyRuleHeads',
  run(state: CompileState): void {
    for (const m of state.modules) {
      for (const r of m.rules) {
        const h = classify(m, r, state.errors)
        state.heads.set(r, h)
        if (h.kind !== 'function') continue
        const key = h.path.join('.')
        const prev = state.functions.get(key)
        if (prev !== undefined && prev !== r.head.args!.length) {
          state.errors.push(new RegoError('rego_type_error', `conflicting rules data.${key} found`, r.location))
        }
        state.functions.set(key, r.head.args!.length)
      }
    }
  },
}

function classify(m: Module, r: Rule, errors: RegoError[]): HeadInfo {
  const h = r.head
  const first = h.ref[0]!
  const name = first.kind === 'Var' ? first.name : ''
  if (RESERVED_ROOTS.has(name)) {
    errors.push(new RegoError('rego_compile_error', `rule name conflicts with built-in ${name}`, r.location))
  }
  const path: Value[] = [...m.package.path, name]
  let i = 1
  for (; i < h.ref.length; i++) {
    const t = h.ref[i]!
    if (t.kind !== 'Scalar') break
    path.push(t.value as Value)
  }
  const dynamic = h.ref.slice(i)
  if (h.args) {
    if (dynamic.length > 0) errors.push(new RegoError('rego_compile_error', 'function name must be a ground ref', r.location))
    return { kind: 'function', path, dynamic: [] }
  }
  if (h.key) {
    // `p[q].r contains s`: sets as leaves of an object below the ground prefix.
    if (dynamic.length > 0) return { kind: 'object', path, dynamic }
    return { kind: 'set', path, dynamic: [] }
  }
  if (dynamic.length > 0) {
    if (r.default) errors.push(new RegoError('rego_compile_error', 'default rules must have a ground ref', r.location))
    return { kind: 'object', path, dynamic }
  }
  return { kind: 'complete', path, dynamic: [] }
}
