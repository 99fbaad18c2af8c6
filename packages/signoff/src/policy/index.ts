export { PolicyHost, type PolicyHostOptions, type PolicyLoadResult, type PolicyProblem } from './policy-host.js'
export { readDecision, seedSpec, type ApprovalDefaults, type PolicyForm, type PolicyOutcome } from './policy-outcome.js'
export { readPolicySources, PolicySourceError, type PolicyModuleSource, type PolicySources } from './policy-sources.js'
export { readTarGz, type TarEntry } from './tar-reader.js'
