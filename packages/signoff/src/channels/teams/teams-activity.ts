/**
 * The parts of an inbound Bot Framework activity signoff reads (chat-platforms.md §5.1, §6.2),
 * checked at the boundary: the body is untrusted until its token verifies, and fields are
 * optional on the wire even where Teams always sends them.
 */
export interface InboundActivity {
  readonly type: string
  /** For invokes: `adaptiveCard/action`. */
  readonly name: string | null
  readonly channelId: string
  readonly serviceUrl: string
  readonly from: { readonly id: string; readonly aadObjectId: string | null } | null
  readonly conversation: { readonly id: string; readonly conversationType: string | null; readonly tenantId: string | null }
  readonly tenantId: string | null
  readonly team: { readonly id: string; readonly name: string | null } | null
  readonly channel: { readonly id: string; readonly name: string | null } | null
  readonly value: unknown
}

/** A parsed activity, or why the body is not one. */
export type ParsedActivity = { readonly ok: true; readonly activity: InboundActivity } | { readonly ok: false; readonly fault: 'json' | 'shape'; readonly message: string }

/** Parses the raw body: not JSON, or JSON without `type`, an http(s) `serviceUrl` and `conversation.id`, is refused. */
export function parseActivity(rawBody: string): ParsedActivity {
  let raw: unknown
  try {
    raw = JSON.parse(rawBody)
  } catch {
    return { ok: false, fault: 'json', message: 'the body is not valid JSON' }
  }
  const shape = { ok: false, fault: 'shape', message: 'not a Bot Framework activity: type, an http(s) serviceUrl and conversation.id are required' } as const
  if (!isRecord(raw)) return shape
  const type = str(raw['type'])
  const serviceUrl = str(raw['serviceUrl'])
  const conversation = isRecord(raw['conversation']) ? raw['conversation'] : null
  const conversationId = str(conversation?.['id'])
  if (!type || !serviceUrl || !conversationId || !/^https?:\/\//.test(serviceUrl)) return shape
  const from = isRecord(raw['from']) ? raw['from'] : null
  const channelData = isRecord(raw['channelData']) ? raw['channelData'] : {}
  const team = isRecord(channelData['team']) ? channelData['team'] : null
  const channel = isRecord(channelData['channel']) ? channelData['channel'] : null
  const tenant = isRecord(channelData['tenant']) ? channelData['tenant'] : null
  const conversationTenant = str(conversation?.['tenantId'])
  const activity: InboundActivity = {
    type,
    name: str(raw['name']),
    channelId: str(raw['channelId']) ?? '',
    serviceUrl,
    from: from && str(from['id']) ? { id: str(from['id'])!, aadObjectId: str(from['aadObjectId']) } : null,
    conversation: { id: conversationId, conversationType: str(conversation?.['conversationType']), tenantId: conversationTenant },
    tenantId: str(tenant?.['id']) ?? conversationTenant,
    team: team && str(team['id']) ? { id: str(team['id'])!, name: str(team['name']) } : null,
    channel: channel && str(channel['id']) ? { id: str(channel['id'])!, name: str(channel['name']) } : null,
    value: raw['value'],
  }
  return { ok: true, activity }
}

/** The verb, request id and comment of an `adaptiveCard/action` invoke. */
export interface CardAction {
  readonly verb: string
  readonly requestId: string
  readonly comment: string | null
}

/** Reads `value.action` of an `adaptiveCard/action` invoke; `null` when it is not an Action.Execute with a request id. */
export function cardAction(value: unknown, commentInput: string): CardAction | null {
  const action = isRecord(value) && isRecord(value['action']) ? value['action'] : null
  if (!action || action['type'] !== 'Action.Execute') return null
  const verb = str(action['verb'])
  const data = isRecord(action['data']) ? action['data'] : {}
  const requestId = str(data['requestId'])
  if (!verb || !requestId) return null
  const comment = str(data[commentInput])?.trim()
  return { verb, requestId, comment: comment ? comment : null }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v)
}

function str(v: unknown): string | null {
  return typeof v === 'string' && v !== '' ? v : null
}
