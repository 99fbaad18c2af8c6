/**
 * `json.filter`, `json.remove` and `json.patch` (OPA `topdown/json.go`). Paths are JSON-pointer
 * strings (`a/b/0`, `~1` and `~0` escapes, leading slashes ignored) or arrays of segments. Filter
 * and remove first turn the paths into a tree whose leaves are null, as OPA does; array elements
 * are addressed by their index as a string.
 */
import { BuiltinError } from './builtin.js'
import { operandError, operandTypeError } from './operands.js'
import { RObject, RSet, equal, typeName, type Value } from '../value/value.js'

type Path = readonly Value[]

function parsePath(p: Value): Path {
  if (typeof p === 'string') {
    if (p === '') return []
    return p
      .replace(/^\/+/, '')
      .split('/')
      .map((part) => part.replaceAll('~1', '/').replaceAll('~0', '~'))
  }
  if (Array.isArray(p)) return p
  throw operandError(2, `must be one of {set, array} containing string paths or array of path segments but got ${typeName(p)}`)
}

function jsonPaths(v: Value): Path[] {
  if (Array.isArray(v)) return v.map(parsePath)
  if (v instanceof RSet) return v.sortedValues().map(parsePath)
  throw operandTypeError(2, v, 'set', 'array')
}

/** OPA's `pathsToObject`: a tree of objects whose null leaves mark the selected paths. */
function pathsToObject(paths: readonly Path[]): RObject {
  const root = new RObject()
  for (const path of paths) {
    if (path.length === 0) continue
    let node = root
    let done = false
    for (let i = 0; i < path.length - 1 && !done; i++) {
      const child = node.get(path[i]!)
      if (child === undefined) {
        const o = new RObject()
        node.set(path[i]!, o)
        node = o
      } else if (child === null) done = true
      else node = child as RObject
    }
    if (!done) node.set(path[path.length - 1]!, null)
  }
  return root
}

function filterValue(v: Value, filter: Value): Value {
  if (filter === null) return v
  const f = filter as RObject
  if (Array.isArray(v)) {
    const out: Value[] = []
    v.forEach((x, i) => {
      const sub = f.get(String(i))
      if (sub !== undefined) out.push(filterValue(x, sub))
    })
    return Object.freeze(out)
  }
  if (v instanceof RSet) {
    const out = new RSet()
    for (const x of v.sortedValues()) {
      const sub = f.get(x)
      if (sub !== undefined) out.add(filterValue(x, sub))
    }
    return out
  }
  if (v instanceof RObject) {
    const out = new RObject()
    for (const [k, x] of v.entries()) {
      const sub = f.get(k)
      if (sub !== undefined) out.set(k, filterValue(x, sub))
    }
    return out
  }
  return v
}

export function jsonFilter(obj: RObject, paths: Value): Value {
  return filterValue(obj, pathsToObject(jsonPaths(paths)))
}

/** OPA's `jsonRemove`: undefined means "drop this value". */
function removeValue(a: Value, b: Value | undefined): Value | undefined {
  if (b === undefined) return a
  if (b === null) return undefined
  if (!(b instanceof RObject)) return a
  if (Array.isArray(a)) {
    const out: Value[] = []
    a.forEach((x, i) => {
      const d = removeValue(x, b.get(String(i)))
      if (d !== undefined) out.push(d)
    })
    return Object.freeze(out)
  }
  if (a instanceof RSet) {
    const out = new RSet()
    for (const x of a.sortedValues()) {
      const d = removeValue(x, b.get(x))
      if (d !== undefined) out.add(d)
    }
    return out
  }
  if (a instanceof RObject) {
    const out = new RObject()
    for (const [k, x] of a.entries()) {
      const d = removeValue(x, b.get(k))
      if (d !== undefined) out.set(k, d)
    }
    return out
  }
  return a
}

export function jsonRemove(obj: RObject, paths: Value): Value | undefined {
  return removeValue(obj, pathsToObject(jsonPaths(paths)))
}

// ---- json.patch (RFC 6902) ----

/** An array index segment: a canonical non-negative decimal (no leading zeros, no `1e0`). */
function arrayIndex(key: Value): number | undefined {
  if (typeof key === 'number') return Number.isInteger(key) && key >= 0 ? key : undefined
  if (typeof key === 'string' && /^(0|[1-9][0-9]*)$/.test(key)) return Number(key)
  return undefined
}

function getChild(v: Value, key: Value): Value | undefined {
  if (v instanceof RObject) return v.get(key)
  if (v instanceof RSet) return v.has(key) ? key : undefined
  if (Array.isArray(v)) {
    const i = arrayIndex(key)
    return i !== undefined && i < v.length ? v[i] : undefined
  }
  return undefined
}

function getAt(v: Value, path: Path): Value | undefined {
  let cur: Value | undefined = v
  for (const k of path) {
    if (cur === undefined) return undefined
    cur = getChild(cur, k)
  }
  return cur
}

const copyObject = (o: RObject): RObject => RObject.from(o.unorderedEntries())

/** Rebuilds `v` with `f` applied to the parent of the path's last segment; undefined on failure. */
function updateAt(v: Value, path: Path, f: (parent: Value, key: Value) => Value | undefined): Value | undefined {
  if (path.length === 1) return f(v, path[0]!)
  const key = path[0]!
  const child = getChild(v, key)
  if (child === undefined) return undefined
  const updated = updateAt(child, path.slice(1), f)
  if (updated === undefined) return undefined
  if (v instanceof RObject) return copyObject(v).set(key, updated)
  if (Array.isArray(v)) {
    const out = v.slice()
    out[arrayIndex(key)!] = updated
    return Object.freeze(out)
  }
  if (v instanceof RSet) {
    const out = RSet.from(v.unorderedValues())
    out.delete(key)
    out.add(updated)
    return out
  }
  return undefined
}

function patchAdd(doc: Value, path: Path, value: Value): Value | undefined {
  if (path.length === 0) return value
  return updateAt(doc, path, (parent, key) => {
    if (parent instanceof RObject) return copyObject(parent).set(key, value)
    // In a set an element is its own path: the key must be the value added.
    if (parent instanceof RSet) return equal(key, value) ? RSet.from([...parent.unorderedValues(), value]) : undefined
    if (Array.isArray(parent)) {
      const i = key === '-' ? parent.length : arrayIndex(key)
      if (i === undefined || i > parent.length) return undefined
      const out = parent.slice()
      out.splice(i, 0, value)
      return Object.freeze(out)
    }
    return undefined
  })
}

function patchRemove(doc: Value, path: Path): Value | undefined {
  if (path.length === 0) return undefined
  return updateAt(doc, path, (parent, key) => {
    if (parent instanceof RObject) {
      if (!parent.has(key)) return undefined
      const out = copyObject(parent)
      out.delete(key)
      return out
    }
    if (parent instanceof RSet) {
      if (!parent.has(key)) return undefined
      const out = RSet.from(parent.unorderedValues())
      out.delete(key)
      return out
    }
    if (Array.isArray(parent)) {
      const i = arrayIndex(key)
      if (i === undefined || i >= parent.length) return undefined
      const out = parent.slice()
      out.splice(i, 1)
      return Object.freeze(out)
    }
    return undefined
  })
}

function patchReplace(doc: Value, path: Path, value: Value): Value | undefined {
  if (path.length === 0) return value
  return updateAt(doc, path, (parent, key) => {
    if (parent instanceof RObject) return parent.has(key) ? copyObject(parent).set(key, value) : undefined
    if (parent instanceof RSet) {
      if (!parent.has(key)) return undefined
      const out = RSet.from(parent.unorderedValues())
      out.delete(key)
      out.add(value)
      return out
    }
    if (Array.isArray(parent)) {
      const i = arrayIndex(key)
      if (i === undefined || i >= parent.length) return undefined
      const out = parent.slice()
      out[i] = value
      return Object.freeze(out)
    }
    return undefined
  })
}

const isPrefix = (a: Path, b: Path): boolean => a.length <= b.length && a.every((x, i) => equal(x, b[i]!))

/** RFC 6902 patch; undefined when any operation fails. */
export function jsonPatch(target: Value, patches: Value): Value | undefined {
  if (!Array.isArray(patches)) throw operandTypeError(2, patches, 'array')
  let doc: Value | undefined = target
  for (const op of patches as readonly Value[]) {
    if (!(op instanceof RObject)) throw operandError(2, 'must be an array of JSON-Patch objects, but at least one element is not an object')
    const attr = (name: string): Value => {
      const v = op.get(name)
      if (v === undefined) throw operandError(2, `patch is missing '${name}' attribute`)
      return v
    }
    const kind = attr('op')
    if (typeof kind !== 'string') throw operandError(2, "patch attribute 'op' must be a string")
    const path = patchPath(attr('path'))
    switch (kind) {
      case 'add':
        doc = patchAdd(doc!, path, attr('value'))
        break
      case 'remove':
        doc = patchRemove(doc!, path)
        break
      case 'replace':
        doc = patchReplace(doc!, path, attr('value'))
        break
      case 'move': {
        const from = patchPath(attr('from'))
        const v = getAt(doc!, from)
        if (v === undefined) return undefined
        if (isPrefix(from, path)) {
          if (from.length === path.length) break
          return undefined
        }
        const removed = patchRemove(doc!, from)
        doc = removed === undefined ? undefined : patchAdd(removed, path, v)
        break
      }
      case 'copy': {
        const from = patchPath(attr('from'))
        const v = getAt(doc!, from)
        if (v === undefined) return undefined
        doc = patchAdd(doc!, path, v)
        break
      }
      case 'test': {
        const want = attr('value')
        const got = getAt(doc!, path)
        if (got === undefined || !equal(got, want)) return undefined
        break
      }
      default:
        throw new BuiltinError(`unrecognized op '${kind}'`)
    }
    if (doc === undefined) return undefined
  }
  return doc
}

const patchPath = parsePath
