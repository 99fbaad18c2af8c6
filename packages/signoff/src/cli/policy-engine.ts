// The one place outside src/policy that uses the engine: `signoff eval` and `signoff test` are
// tools for Rego itself, so they drive @signoff/rego directly (the brief for the CLI says so).
import { isAbsolute, relative, resolve } from 'node:path'
import { Engine, RegoError, RegoErrors } from '@signoff/rego'
import { PolicySourceError, readPolicySources } from '../policy/index.js'
import { CliError } from './cli-error.js'

/**
 * Loads `-d` paths the way the server loads `policy.paths` (`.rego` files, folders with
 * `data.json`/`data.yaml` at their folder's path, OPA bundles) and compiles them. Paths are
 * taken relative to the command's working directory and shown as the user typed them.
 * Read, parse and compile errors become a {@link CliError} naming `file:row:col`.
 */
export async function loadPolicyEngine(paths: readonly string[], cwd: string, regoVersion: 0 | 1): Promise<Engine> {
  const shown = paths.map((p) => (isAbsolute(p) || resolve(p) === resolve(cwd, p) ? p : relative(process.cwd(), resolve(cwd, p)) || '.'))
  let sources
  try {
    sources = await readPolicySources(shown, regoVersion)
  } catch (e) {
    if (e instanceof PolicySourceError) throw new CliError(e.message)
    throw e
  }
  const engine = new Engine()
  try {
    for (const m of sources.modules) engine.addPolicy(m.file, m.source, { regoVersion: m.regoVersion })
    engine.setData(sources.data)
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
