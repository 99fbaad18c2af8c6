import { createRequire } from 'node:module'
import { TEAMS_MESSAGE_LIMIT_BYTES } from '../../src/channels/teams/index.js'

interface AdaptiveCardsModule {
  AdaptiveCard: new () => { parse(json: unknown, ctx: unknown): void; validateProperties(): { validationEvents: Array<{ message: string }> } }
  SerializationContext: new () => { eventCount: number; getEventAt(i: number): { message: string } }
}

// The package's ESM entry does not load in Node; its UMD bundle does, without a DOM (chat-platforms.md §8.3).
const AC = createRequire(import.meta.url)('adaptivecards/dist/adaptivecards.js') as AdaptiveCardsModule

/**
 * What is wrong with `card` for Teams: parse events and validation events of the `adaptivecards`
 * library (unknown elements, bad properties), and an activity carrying it over Teams' size limit.
 * Empty when the card is fine.
 */
export function cardProblems(card: unknown): string[] {
  const c = new AC.AdaptiveCard()
  const ctx = new AC.SerializationContext()
  c.parse(card, ctx)
  const problems = Array.from({ length: ctx.eventCount }, (_, i) => ctx.getEventAt(i).message)
  problems.push(...c.validateProperties().validationEvents.map((e) => e.message))
  const activity = { type: 'message', attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: card }] }
  const bytes = Buffer.byteLength(JSON.stringify(activity))
  if (bytes > TEAMS_MESSAGE_LIMIT_BYTES) problems.push(`the activity is ${bytes} bytes, over Teams' ${TEAMS_MESSAGE_LIMIT_BYTES}`)
  return problems
}

/** The problems of every Adaptive Card attached to an activity. */
export function activityCardProblems(activity: unknown): string[] {
  const attachments = (activity as { attachments?: Array<{ contentType?: string; content?: unknown }> } | null)?.attachments ?? []
  return attachments.filter((a) => a.contentType === 'application/vnd.microsoft.card.adaptive').flatMap((a) => cardProblems(a.content))
}
