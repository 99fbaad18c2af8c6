import { RegoErrors, type RegoError } from '../ast/errors.js'
import type { Body, Module, Rule } from '../ast/nodes.js'
import type { BuiltinRegistry } from '../builtins/builtin.js'
import type { CompiledQuery, CompiledRule, RuleNode } from './compiled.js'
import { RuleRewriter } from './rewrite.js'
import { SafetyChecker } from './safety.js'
import type { CompileState, HeadInfo, Stage } from './stage.js'
import { checkRecursionStage } from './stages/check-recursion.js'
import { classifyHeads } from './stages/classify-heads.js'
import { callResolver, compileRules } from './stages/compile-rules.js'
import { setRuleTree } from './stages/rule-tree.js'

/** The compiled form of a set of modules: the rule tree the evaluator walks. */
export interface CompiledPolicy {
  readonly root: RuleNode
  readonly rules: readonly CompiledRule[]
  /** Function arities by dotted path below data. */
  readonly functions: ReadonlyMap<string, number>
  readonly modules: readonly Module[]
}

/** The compiler's stages, in order (OPA's `c.stages`). Errors stop compilation after a stage. */
export const STAGES: readonly Stage[] = [classifyHeads, compileRules, setRuleTree, checkRecursionStage]

export interface CompileOptions {
  /** Stop after the named stage (for tests, as OPA's WithOnlyStagesUpTo). */
  readonly stopAfter?: string
}

/**
 * Compiles modules together; throws {@link RegoErrors} with every error of the first stage
 * that reported any.
 */
export function compileModules(modules: readonly Module[], registry: BuiltinRegistry, opts: CompileOptions = {}): CompiledPolicy {
  const state: CompileState = {
    modules,
    registry,
    errors: [] as RegoError[],
    heads: new Map<Rule, HeadInfo>(),
    functions: new Map<string, number>(),
    rules: [] as CompiledRule[],
    root: undefined,
  }
  for (const stage of STAGES) {
    stage.run(state)
    if (state.errors.length > 0) throw new RegoErrors(state.errors)
    if (stage.name === opts.stopAfter) break
  }
  return { root: state.root ?? { key: 'data', path: [], children: new Map(), rules: [] }, rules: state.rules, functions: state.functions, modules }
}

/** Compiles a query against a compiled policy (queries have no package: names are free vars). */
export function compileQuery(body: Body, policy: CompiledPolicy, registry: BuiltinRegistry, regoVersion: 0 | 1 = 1): CompiledQuery {
  const rw = new RuleRewriter(new Map(), callResolver(registry, policy.functions, regoVersion))
  const rewritten = rw.body(body, rw.newScope())
  if (rw.errors.length > 0) throw new RegoErrors(rw.errors)
  const safety = new SafetyChecker(rw.slotNames)
  const ordered = safety.reorder(rewritten, new Set())
  if (safety.errors.length > 0) throw new RegoErrors(safety.errors)
  const vars: { name: string; slot: number }[] = []
  for (const [name, slot] of rw.freeVars) vars.push({ name, slot })
  for (let i = 0; i < rw.slotNames.length; i++) {
    const n = rw.slotNames[i]!
    if (!rw.freeVars.has(n) && !n.startsWith('__local')) vars.push({ name: n, slot: i })
  }
  vars.sort((a, b) => a.slot - b.slot)
  return { body: ordered, slots: rw.slots, vars }
}
