import { Engine, RegoError, RegoErrors } from '@signoff/rego'
import { CliError } from './cli-error.js'
import type { PolicyFiles } from './policy-files.js'

/** Builds and compiles an engine from loaded files; parse and compile errors become a {@link CliError}. */
export function policyEngine(files: PolicyFiles, regoVersion: 0 | 1): Engine {
  const engine = new Engine()
  try {
    for (const m of files.modules) engine.addPolicy(m.file, m.source, { regoVersion })
    engine.setData(files.data)
    engine.compile()
  } catch (e) {
    throw regoFailure(e)
  }
  return engine
}

/** Wraps the engine's errors (`file:row:col: code: message`) for printing; rethrows faults. */
export function regoFailure(e: unknown): CliError {
  if (e instanceof RegoErrors) return new CliError(e.errors.map((x) => x.message).join('\n'))
  if (e instanceof RegoError) return new CliError(e.message)
  throw e
}
