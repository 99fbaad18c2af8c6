import { RegoError } from '../../ast/errors.js'
import type { Module } from '../../ast/nodes.js'
import { hashKey, type Value } from '../../value/value.js'
import type { CompiledRule, RuleNode } from '../compiled.js'
import type { CompileState, Stage } from '../stage.js'

/** Builds the rule tree (OPA's SetRuleTree) and reports conflicting rule kinds at one path. */
export const setRuleTree: Stage = {
  name: 'SetRuleTree',
  run(state: CompileState): void {
    state.root = buildTree(state.rules, state.modules, state.errors)
  },
}

function newNode(key: Value, path: readonly Value[]): RuleNode {
  return { key, path, children: new Map(), rules: [] }
}

function buildTree(rules: readonly CompiledRule[], modules: readonly Module[], errors: RegoError[]): RuleNode {
  const root = newNode('data', [])
  const nodeAt = (path: readonly Value[]): RuleNode => {
    let node = root
    for (let i = 0; i < path.length; i++) {
      const k = path[i]!
      const h = hashKey(k)
      let child = node.children.get(h)
      if (!child) {
        child = newNode(k, path.slice(0, i + 1))
        node.children.set(h, child)
      }
      node = child
    }
    return node
  }
  // Every package exists as a document, even one without rules (it is then an empty object).
  for (const m of modules) nodeAt(m.package.path)
  for (const r of rules) nodeAt(r.path).rules.push(r)
  // Conflicts between kinds at one path.
  const visit = (n: RuleNode): void => {
    const kinds = new Set(n.rules.map((r) => r.kind))
    if (kinds.size > 1 && !(kinds.size === 2 && kinds.has('object') && kinds.has('complete') && false)) {
      const r = n.rules[n.rules.length - 1]!
      const hasFn = kinds.has('function')
      errors.push(
        new RegoError(
          'rego_type_error',
          hasFn ? `conflicting rules data.${n.path.join('.')} found` : `conflicting rule types: data.${n.path.join('.')}`,
          r.rule.location,
        ),
      )
    }
    if (n.rules.filter((r) => r.default).length > 1) {
      const r = n.rules.filter((r) => r.default)[1]!
      errors.push(new RegoError('rego_type_error', `multiple default rules data.${n.path.join('.')} found`, r.rule.location))
    }
    if (n.rules.some((r) => r.kind === 'complete' || r.kind === 'function' || r.kind === 'set') && n.children.size > 0) {
      const r = n.rules[0]!
      const child = [...n.children.values()][0]!
      errors.push(new RegoError('rego_type_error', `rule data.${n.path.join('.')} conflicts with [data.${child.path.join('.')}]`, r.rule.location))
    }
    for (const c of n.children.values()) visit(c)
  }
  visit(root)
  return root
}
