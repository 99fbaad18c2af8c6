export { CheckpointSigner, verifyCheckpoint } from './checkpoint-signer.js'
export { ChainVerifier, chainEntry, entryHash, type ChainBreak, type ChainOk, type LogEntryFields } from './hash-chain.js'
export { toOpaEvent, type OpaDecisionEvent } from './opa-event.js'
