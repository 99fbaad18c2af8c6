export { Authenticator, hasScope, hashToken, type Caller } from './auth.js'
export { SIGNATURE_HEADER, signCallback, verifyCallback } from './callback-signature.js'
export { DecisionLogService, type VerifyResult } from './decision-log-service.js'
export { Metrics } from './metrics.js'
export { OutboxWorker, type OutboxWorkerDeps, type WorkerLogger } from './outbox-worker.js'
export { RequestEvents } from './request-events.js'
export { deliveryErrors, toChannelView, toRequestJson, type RequestJson, type ViewContext } from './request-json.js'
export {
  ANYONE_APPROVER,
  RequestService,
  type CreateRequestCommand,
  type CreateResult,
  type LinkMinter,
  type PolicyEvaluator,
  type RequestServiceDeps,
  type VoteCommand,
} from './request-service.js'
export { createServices, type CreateServicesOptions, type SignoffServices } from './signoff-services.js'
export { WebBackendAdapter } from './web-backend-adapter.js'
