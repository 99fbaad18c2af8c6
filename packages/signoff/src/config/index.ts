export { BUNDLED_POLICY, loadConfig, type LoadConfigOptions } from './load-config.js'
export { SECRET_KEYS, type Scope, type SignoffConfig, type SlackConfig, type TeamsConfig, type TokenConfig } from './signoff-config.js'
