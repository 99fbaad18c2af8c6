/**
 * Block Kit limits (chat-platforms.md §2.4) and truncation that keeps a message within them.
 * The fake Slack in the tests checks the same limits, so a regression shows as `invalid_blocks`.
 */
export const LIMITS = Object.freeze({
  blocksPerMessage: 50,
  blocksPerModal: 100,
  id: 255,
  sectionText: 3000,
  field: 2000,
  fields: 10,
  header: 150,
  contextElements: 10,
  actionElements: 25,
  buttonText: 75,
  buttonValue: 2000,
  url: 3000,
  /** Slack truncates message `text` after 40,000 characters and advises staying under 4,000. */
  messageText: 4000,
  modalTitle: 24,
  privateMetadata: 3000,
})

const ELLIPSIS = '…'

/** `text` cut to at most `max` characters, ending in an ellipsis when cut. Never splits a surrogate pair. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text
  let cut = max - ELLIPSIS.length
  const code = text.charCodeAt(cut - 1)
  if (code >= 0xd800 && code <= 0xdbff) cut--
  return text.slice(0, cut) + ELLIPSIS
}

/**
 * `body` shown inside a mrkdwn code fence within `max` characters. When it does not fit, it is
 * cut and followed by a link to the full text (`linkUrl`), which always fits.
 */
export function fencedWithin(body: string, max: number, linkUrl: string): string {
  const whole = '```' + body + '```'
  if (whole.length <= max) return whole
  const tail = `\n_Truncated: <${linkUrl}|see the full input>._`
  const room = max - tail.length - 6
  return '```' + truncate(body, Math.max(room, 1)) + '```' + tail
}

/** A problem with a Block Kit payload, naming where it is. */
export class BlockKitLimitError extends Error {
  constructor(readonly pointer: string, message: string) {
    super(`${pointer}: ${message}`)
    this.name = 'BlockKitLimitError'
  }
}

interface TextObject {
  readonly type?: string
  readonly text?: string
}

/**
 * Throws {@link BlockKitLimitError} when `blocks` break a limit this app's messages can reach:
 * block count, ids, section/header/context text, field counts, button text/value/url.
 */
export function assertBlockKitLimits(blocks: readonly unknown[], maxBlocks: number = LIMITS.blocksPerMessage): void {
  if (blocks.length > maxBlocks) throw new BlockKitLimitError('/blocks', `${blocks.length} blocks; at most ${maxBlocks}`)
  const textAt = (ptr: string, t: TextObject | undefined, max: number, required = true): void => {
    if (t === undefined) {
      if (required) throw new BlockKitLimitError(ptr, 'text is required')
      return
    }
    const len = t.text?.length ?? 0
    if (len < 1 || len > max) throw new BlockKitLimitError(ptr, `text length ${len}; must be 1–${max}`)
  }
  blocks.forEach((raw, i) => {
    const b = raw as Record<string, unknown>
    const at = `/blocks/${i}`
    if (typeof b['block_id'] === 'string' && b['block_id'].length > LIMITS.id) throw new BlockKitLimitError(`${at}/block_id`, `longer than ${LIMITS.id}`)
    switch (b['type']) {
      case 'header':
        textAt(`${at}/text`, b['text'] as TextObject, LIMITS.header)
        break
      case 'section': {
        const fields = (b['fields'] as TextObject[] | undefined) ?? []
        textAt(`${at}/text`, b['text'] as TextObject | undefined, LIMITS.sectionText, fields.length === 0)
        if (fields.length > LIMITS.fields) throw new BlockKitLimitError(`${at}/fields`, `${fields.length} fields; at most ${LIMITS.fields}`)
        fields.forEach((f, j) => textAt(`${at}/fields/${j}`, f, LIMITS.field))
        break
      }
      case 'context': {
        const els = (b['elements'] as TextObject[] | undefined) ?? []
        if (els.length < 1 || els.length > LIMITS.contextElements) throw new BlockKitLimitError(`${at}/elements`, `${els.length} elements; must be 1–${LIMITS.contextElements}`)
        els.forEach((e, j) => textAt(`${at}/elements/${j}`, e, LIMITS.sectionText))
        break
      }
      case 'actions': {
        const els = (b['elements'] as Array<Record<string, unknown>> | undefined) ?? []
        if (els.length < 1 || els.length > LIMITS.actionElements) throw new BlockKitLimitError(`${at}/elements`, `${els.length} elements; must be 1–${LIMITS.actionElements}`)
        els.forEach((e, j) => {
          const ptr = `${at}/elements/${j}`
          textAt(`${ptr}/text`, e['text'] as TextObject, LIMITS.buttonText)
          if (typeof e['action_id'] === 'string' && e['action_id'].length > LIMITS.id) throw new BlockKitLimitError(`${ptr}/action_id`, `longer than ${LIMITS.id}`)
          if (typeof e['value'] === 'string' && e['value'].length > LIMITS.buttonValue) throw new BlockKitLimitError(`${ptr}/value`, `longer than ${LIMITS.buttonValue}`)
          if (typeof e['url'] === 'string' && e['url'].length > LIMITS.url) throw new BlockKitLimitError(`${ptr}/url`, `longer than ${LIMITS.url}`)
        })
        break
      }
      case 'divider':
      case 'input':
        break
      default:
        throw new BlockKitLimitError(`${at}/type`, `unexpected block type ${String(b['type'])}`)
    }
  })
}
