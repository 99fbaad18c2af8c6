import type { RegoError } from '../ast/errors.js'
import type { Module, Rule, Term } from '../ast/nodes.js'
import type { BuiltinRegistry } from '../builtins/builtin.js'
import type { Value } from '../value/value.js'
import type { CompiledRule, RuleKind, RuleNode } from './compiled.js'

/** Where a rule's head puts it: its kind, ground path and dynamic rest. */
export interface HeadInfo {
  readonly kind: RuleKind
  readonly path: Value[]
  readonly dynamic: Term[]
}

/** What the compiler stages read and fill in, in order. */
export interface CompileState {
  readonly modules: readonly Module[]
  readonly registry: BuiltinRegistry
  readonly errors: RegoError[]
  readonly heads: Map<Rule, HeadInfo>
  /** Function arities by dotted path below data. */
  readonly functions: Map<string, number>
  readonly rules: CompiledRule[]
  root: RuleNode | undefined
}

/** A named compiler stage (OPA's `c.stages`). */
export interface Stage {
  readonly name: string
  run(state: CompileState): void
}
