/** Graph reachability (OPA `topdown/reachable.go`): graphs are objects of node → neighbours. */
import type { BuiltinRegistry } from './builtin.js'
import { objectOperand, operandTypeError } from './operands.js'
import { RSet, type RObject, type Value } from '../value/value.js'

const GRAPH = 'object[any: any<array[any], set[any]>]'

/** Elements of an array or set (OPA's order); anything else has none. */
function each(v: Value | undefined): readonly Value[] {
  if (Array.isArray(v)) return v
  if (v instanceof RSet) return v.sortedValues()
  return []
}

function initialOperand(v: Value): readonly Value[] {
  if (!Array.isArray(v) && !(v instanceof RSet)) throw operandTypeError(2, v, 'set', 'array')
  return each(v)
}

function reachable(graph: RObject, initial: readonly Value[]): RSet {
  const reached = new RSet()
  const queue = [...initial]
  while (queue.length > 0) {
    const node = queue.shift()!
    const edges = graph.get(node)
    if (edges === undefined) continue
    for (const n of each(edges)) if (!reached.has(n)) queue.push(n)
    reached.add(node)
  }
  return reached
}

/**
 * Every maximal path from the initial nodes. A path ends where a node has no neighbour in the
 * graph, or before a neighbour already reached; such a neighbour is still appended when it is a
 * leaf itself (this is what makes cycles terminate).
 */
function reachablePaths(graph: RObject, initial: readonly Value[]): RSet {
  const out = new RSet()
  const reached = new RSet()
  const next = (node: Value): Value[] => each(graph.get(node)).filter((n) => graph.has(n))
  const visit = (node: Value, path: readonly Value[]): void => {
    const p = Object.freeze([...path, node])
    reached.add(node)
    const ns = next(node)
    if (ns.length === 0) {
      out.add(p)
      return
    }
    for (const n of ns) {
      if (!reached.has(n)) visit(n, p)
      else out.add(next(n).length === 0 ? Object.freeze([...p, n]) : p)
    }
  }
  for (const start of initial) {
    if (!graph.has(start)) continue
    if (!reached.has(start)) visit(start, [])
    else if (next(start).length === 0) out.add(Object.freeze([start]))
  }
  return out
}

export function register(reg: BuiltinRegistry): void {
  reg.register({
    name: 'graph.reachable',
    args: [
      { name: 'graph', type: GRAPH, description: 'object containing a set or array of neighboring vertices' },
      { name: 'initial', type: 'any<array[any], set[any]>', description: 'set or array of root vertices' },
    ],
    result: { name: 'output', type: 'set[any]', description: 'set of vertices reachable from the `initial` vertices in the directed `graph`' },
    description: 'Computes the set of reachable nodes in the graph from a set of starting nodes.',
    categories: ['graph'],
    impl: ([g, i]) => reachable(objectOperand(g!, 1), initialOperand(i!)),
  })
  reg.register({
    name: 'graph.reachable_paths',
    args: [
      { name: 'graph', type: GRAPH, description: 'object containing a set or array of root vertices' },
      { name: 'initial', type: 'any<array[any], set[any]>', description: 'initial paths' },
    ],
    result: { name: 'output', type: 'set[array[any]]', description: 'paths reachable from the `initial` vertices in the directed `graph`' },
    description: 'Computes the set of reachable paths in the graph from a set of starting nodes.',
    categories: ['graph'],
    impl: ([g, i]) => reachablePaths(objectOperand(g!, 1), initialOperand(i!)),
  })
}
