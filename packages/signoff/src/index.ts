/**
 * signoff's public entry: the server, the app factory, the services and their building blocks.
 * The CLI (src/cli) and the web channel call these.
 */
export { startServer, type RunningServer, type StartServerOptions } from './server.js'
export { loadConfig, BUNDLED_POLICY, type LoadConfigOptions, type Scope, type SignoffConfig, type TokenConfig } from './config/index.js'
export { buildApp, type AppContext, type BuildAppOptions } from './http/index.js'
export * from './services/index.js'
export { Store, type MigrateResult, type StoreOpenOptions } from './store/index.js'
export { PolicyHost, readPolicySources, type PolicyLoadResult, type PolicyProblem, type PolicySources } from './policy/index.js'
export { ChainVerifier, CheckpointSigner, toOpaEvent, type OpaDecisionEvent } from './decision-log/index.js'
export * from './domain/index.js'
export type * from './channels/channel.js'
