import { RegoError } from '../ast/errors.js'
import type { Location } from '../ast/location.js'
import { RObject, RSet, equal, type Value } from '../value/value.js'

/*
 * Objects the evaluator builds as containers for documents (packages, ref-head paths), as
 * opposed to values rules produce: rules may add keys to containers, never inside values.
 */

/** A document container object (package, ref-head path): rules may add keys to it. */
class ContainerObject extends RObject {}
/** A set built by multi-value rules; sets from several rules at one path merge. */
class ContainerSet extends RSet {}

function isContainer(v: Value): boolean {
  return v instanceof ContainerObject || v instanceof ContainerSet
}

export function container(): RObject {
  return new ContainerObject()
}

export function partialSet(): RSet {
  return new ContainerSet()
}

function conflict(loc: Location): RegoError {
  return new RegoError('eval_conflict_error', 'object keys must be unique', loc)
}

/** The container at `keys` minus the last key, created on the way; a value in the way conflicts. */
function parentOf(out: RObject, keys: readonly Value[], loc: Location): RObject {
  let o = out
  for (let i = 0; i < keys.length - 1; i++) {
    const next = o.get(keys[i]!)
    if (next === undefined) {
      const n = container()
      o.set(keys[i]!, n)
      o = n
    } else if (next instanceof RObject && isContainer(next)) o = next
    else throw conflict(loc)
  }
  return o
}

/** Adds `v` to the multi-value set at `keys` (`p[q].r contains v`). */
export function insertSetElement(out: RObject, keys: readonly Value[], v: Value, loc: Location): void {
  const o = parentOf(out, keys, loc)
  const last = keys[keys.length - 1]!
  let set = o.get(last)
  if (set === undefined) {
    set = partialSet()
    o.set(last, set)
  } else if (!(set instanceof RSet && isContainer(set))) throw conflict(loc)
  ;(set as RSet).add(v)
}

/** Sets the value at `keys` (`p[q].r := v`); a different value already there conflicts. */
export function insertPath(out: RObject, keys: readonly Value[], v: Value, loc: Location): void {
  const o = parentOf(out, keys, loc)
  const last = keys[keys.length - 1]!
  const prev = o.get(last)
  if (prev !== undefined && !equal(prev, v)) throw conflict(loc)
  o.set(last, v)
}

function unionSets(a: RSet, b: RSet): RSet {
  const out = partialSet()
  for (const x of a.unorderedValues()) out.add(x)
  for (const x of b.unorderedValues()) out.add(x)
  return out
}

/**
 * Sets `out[key]` to `v` where another rule may already have put something there: equal values
 * agree, containers merge (objects key by key, multi-value sets by union), anything else conflicts.
 */
export function mergeInto(out: RObject, key: Value, v: Value, loc: Location): void {
  const prev = out.get(key)
  if (prev === undefined || equal(prev, v)) out.set(key, v)
  else if (prev instanceof RObject && v instanceof RObject && isContainer(prev) && isContainer(v)) out.set(key, mergeObjects(prev, v, loc))
  else if (prev instanceof RSet && v instanceof RSet && isContainer(prev) && isContainer(v)) out.set(key, unionSets(prev, v))
  else throw conflict(loc)
}

function mergeObjects(a: RObject, b: RObject, loc: Location): RObject {
  const out = container()
  for (const [k, v] of a.unorderedEntries()) out.set(k, v)
  for (const [k, v] of b.unorderedEntries()) mergeInto(out, k, v, loc)
  return out
}
