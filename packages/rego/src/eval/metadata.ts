import type { Annotations, Module } from '../ast/nodes.js'
import type { CompiledRule } from '../compiler/compiled.js'
import { fromJS } from '../value/json.js'
import { RObject, type Value } from '../value/value.js'

/**
 * `rego.metadata.rule()` and `rego.metadata.chain()` (OPA's annotations): the rule's own
 * annotations, then document-scoped annotations of its path, then package annotations of its
 * package and `subpackages` annotations of the packages above.
 */
export function ruleMetadata(rule: CompiledRule | undefined): Value {
  const a = rule?.rule.annotations
  return a && a.scope === 'rule' ? annotationValue(a) : new RObject()
}

export function metadataChain(rule: CompiledRule | undefined, all: readonly CompiledRule[], modules: readonly Module[]): Value {
  if (!rule) return Object.freeze([])
  const out: Value[] = []
  const rulePath = rule.path.map(String)
  const own = rule.rule.annotations
  out.push(entry(rulePath, own && own.scope === 'rule' ? own : undefined))
  for (const r of all) {
    const a = r.rule.annotations
    if (a && a.scope === 'document' && samePath(r.path.map(String), rulePath)) out.push(entry(rulePath, a))
  }
  const pkg = rule.rule.module.package.path
  for (let n = pkg.length; n >= 1; n--) {
    const p = pkg.slice(0, n)
    for (const m of modules) {
      if (!samePath(m.package.path, p)) continue
      for (const a of m.annotations) {
        if (a.scope === 'package' && n === pkg.length) out.push(entry(p, a))
        else if (a.scope === 'subpackages') out.push(entry(p, a))
      }
    }
  }
  return Object.freeze(out)
}

function samePath(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i])
}

function entry(path: readonly string[], a: Annotations | undefined): Value {
  const o = new RObject().set('path', Object.freeze([...path]))
  if (a) o.set('annotations', annotationValue(a))
  return o
}

/** Annotations as OPA reports them: `scope` set, authors and related resources as objects. */
function annotationValue(a: Annotations): Value {
  const data: Record<string, unknown> = { ...a.data, scope: a.scope }
  if (Array.isArray(data['authors'])) data['authors'] = (data['authors'] as unknown[]).map(author)
  if (Array.isArray(data['related_resources'])) {
    data['related_resources'] = (data['related_resources'] as unknown[]).map((r) => (typeof r === 'string' ? { ref: r } : r))
  }
  return fromJS(data)
}

/** `"Jane Doe <jane@example.com>"` → `{name, email}`, as OPA parses authors. */
function author(x: unknown): unknown {
  if (typeof x !== 'string') return x
  const m = /^(.*?)\s*<([^>]+)>\s*$/.exec(x.trim())
  if (m) return m[1] ? { name: m[1], email: m[2] } : { email: m[2] }
  return { name: x.trim() }
}
