/** A policy `channels` entry split in two: the channel's name and the destination inside it. */
export interface ChannelTarget {
  /** `slack`, `teams`, `web`… */
  readonly channel: string
  /** `#deploys`, `ops`, `dm`…; `null` when the entry names only the channel (`web`). */
  readonly destination: string | null
}

/** Splits `slack:#deploys` into `{channel: 'slack', destination: '#deploys'}` at the first colon. */
export function channelTarget(entry: string): ChannelTarget {
  const colon = entry.indexOf(':')
  return colon < 0 ? { channel: entry, destination: null } : { channel: entry.slice(0, colon), destination: entry.slice(colon + 1) }
}
