import type { Body, Rule, Term } from '../ast/nodes.js'
import type { Value } from '../value/value.js'

/**
 * What a rule contributes to its document:
 * - `complete`: one value at a ground path (`p := 1`, `a.b.c if …`, defaults);
 * - `set`: elements of a set at a ground path (`p contains x`, v0 `p[x] { … }`);
 * - `object`: entries below a ground prefix, keyed by the dynamic rest of the head ref
 *   (`p[k] := v`, `a.b[c].d := v`);
 * - `function`: a function at a ground path.
 */
export type RuleKind = 'complete' | 'set' | 'object' | 'function'

/** A rule after compilation: variables have frame slots, calls are resolved, bodies ordered for safety. */
export interface CompiledRule {
  readonly rule: Rule
  readonly kind: RuleKind
  /** Ground path from the `data` root, e.g. ["pkg", "p"]; for `object` rules, the ground prefix. */
  readonly path: readonly Value[]
  /** `object` rules: the head ref's remaining terms (first one non-ground). */
  readonly dynamic: readonly Term[]
  /** `set` rules: the element term. */
  readonly key: Term | undefined
  /** The value term (`true` when the head has none). */
  readonly value: Term
  /** `function` rules: the argument patterns. */
  readonly args: readonly Term[]
  readonly body: Body
  readonly default: boolean
  readonly else: CompiledRule | undefined
  /** Number of variable slots the rule's frame needs. */
  readonly slots: number
  /** The value term has no variables: one solution of the body decides the rule. */
  readonly constantValue: boolean
}

/** A node of the rule tree: the virtual documents below `data`, merged with base data at eval time. */
export interface RuleNode {
  readonly key: Value
  readonly path: readonly Value[]
  readonly children: Map<string, RuleNode>
  /** Rules whose ground path (or ground prefix, for `object` rules) ends here. */
  readonly rules: CompiledRule[]
}

/** A compiled query: its body and the frame slots of its named variables. */
export interface CompiledQuery {
  readonly body: Body
  readonly slots: number
  /** User-visible variables (not generated ones) and their slots, in order of appearance. */
  readonly vars: readonly { readonly name: string; readonly slot: number }[]
}
