import type { Location } from './location.js'
import type { Call, Ref, Scalar, Term, Var } from './nodes.js'

/** Small constructors for nodes the parser and compiler synthesise. */
export function scalar(value: Scalar['value'], location: Location): Scalar {
  return { kind: 'Scalar', value, location }
}

export function varTerm(name: string, location: Location): Var {
  return { kind: 'Var', name, location }
}

export function ref(head: Term, path: readonly Term[], location: Location): Ref {
  return { kind: 'Ref', head, path, location }
}

/** A call of the built-in named `name` (dotted names become refs). */
export function call(name: string, args: readonly Term[], location: Location): Call {
  const parts = name.split('.')
  const op: Var | Ref =
    parts.length === 1
      ? varTerm(name, location)
      : ref(varTerm(parts[0]!, location), parts.slice(1).map((p) => scalar(p, location)), location)
  return { kind: 'Call', op, args, location }
}

/** The dotted name of a call operator (`internal.member_2`), or undefined if it is not a plain name. */
export function opName(op: Var | Ref): string | undefined {
  if (op.kind === 'Var') return op.name
  if (op.head.kind !== 'Var') return undefined
  let s = op.head.name
  for (const p of op.path) {
    if (p.kind !== 'Scalar' || typeof p.value !== 'string') return undefined
    s += '.' + p.value
  }
  return s
}
