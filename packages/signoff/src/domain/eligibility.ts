/** Config groups: group name → member emails. */
export type Groups = Readonly<Record<string, readonly string[]>>

/** The config groups `identity` belongs to. */
export function groupsOf(identity: string, groups: Groups): string[] {
  const id = identity.toLowerCase()
  return Object.keys(groups).filter((g) => groups[g]!.some((m) => m.toLowerCase() === id))
}

/**
 * Whether `identity` may approve under `approvers` (`user:<email>`, `group:<name>`, or a bare
 * email), or through one of `aliases`: platform entries a channel verified the person holds
 * (`slack:U…`, `slack:S…`), matched exactly. An empty list means anyone who can see the message
 * may approve.
 */
export function isEligible(identity: string, approvers: readonly string[], groups: Groups, aliases: readonly string[] = []): boolean {
  if (approvers.length === 0) return true
  const id = identity.toLowerCase()
  for (const a of approvers) {
    if (aliases.includes(a)) return true
    const colon = a.indexOf(':')
    const kind = colon < 0 ? 'user' : a.slice(0, colon)
    const name = colon < 0 ? a : a.slice(colon + 1)
    if (kind === 'user' && name.toLowerCase() === id) return true
    if (kind === 'group' && (groups[name] ?? []).some((m) => m.toLowerCase() === id)) return true
  }
  return false
}

/** Every concrete email the approver list names (users, and members of config groups). */
export function expandApprovers(approvers: readonly string[], groups: Groups): string[] {
  const out = new Set<string>()
  for (const a of approvers) {
    const colon = a.indexOf(':')
    const kind = colon < 0 ? 'user' : a.slice(0, colon)
    const name = colon < 0 ? a : a.slice(colon + 1)
    if (kind === 'user') out.add(name)
    else if (kind === 'group') for (const m of groups[name] ?? []) out.add(m)
  }
  return [...out]
}
