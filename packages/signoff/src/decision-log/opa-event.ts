import type { LogEntry } from '../domain/index.js'

/** An OPA decision-log event (`EventV1`), as `opa` writes them. */
export interface OpaDecisionEvent {
  readonly decision_id: string
  readonly path: string
  readonly input: unknown
  readonly result: unknown
  readonly timestamp: string
  readonly revision: string
  readonly requested_by: string
  readonly labels: Readonly<Record<string, string>>
}

/** Turns a log entry (and the input of its request) into an OPA decision-log event. */
export function toOpaEvent(e: LogEntry, input: unknown, policyPackage: string): OpaDecisionEvent {
  return {
    decision_id: e.id,
    path: policyPackage.replace(/\./g, '/'),
    input,
    result: e.result,
    timestamp: new Date(e.at).toISOString(),
    revision: e.policyRevision,
    requested_by: e.actor ?? '',
    labels: {
      app: 'signoff',
      event: e.event,
      request_id: e.requestId,
      seq: String(e.seq),
      input_digest: e.inputDigest,
      hash: e.hash,
    },
  }
}
