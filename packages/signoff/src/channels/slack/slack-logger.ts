import { LogLevel, type Logger } from '@slack/web-api'
import type { ChannelLogger } from '../channel.js'

/**
 * The SDKs' logger, quiet: debug and info (which echo whole payloads) are dropped; warnings and
 * errors go to the channel's log under `slack`, once a host is there. Tokens never reach it: the
 * SDKs send them only in headers, which they do not log at these levels.
 */
export function sdkLogger(sink: () => ChannelLogger | null): Logger {
  const text = (msg: unknown[]): string => msg.map((m) => (m instanceof Error ? m.message : String(m))).join(' ')
  return {
    debug() {},
    info() {},
    warn: (...msg: unknown[]) => sink()?.warn({ slack: text(msg) }, 'slack sdk warning'),
    error: (...msg: unknown[]) => sink()?.error({ slack: text(msg) }, 'slack sdk error'),
    setLevel() {},
    getLevel: () => LogLevel.WARN,
    setName() {},
  }
}
