import { writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { teamsAppPackage, teamsManifestWarnings } from '../../channels/teams/index.js'
import { loadConfig, type SignoffConfig } from '../../config/index.js'
import { SignoffError } from '../../domain/index.js'
import { CliError } from '../cli-error.js'
import type { CommandContext } from '../command-context.js'
import { ExitCode } from '../exit-code.js'

/** Options of `signoff teams manifest`. */
export interface TeamsManifestCommandOptions {
  readonly config?: string
  /** Where the zip goes (default `signoff-teams.zip` in the working directory). */
  readonly out?: string
}

/**
 * `signoff teams manifest`: writes the Teams app package (manifest.json for the configured bot,
 * and its two icons, zipped) to upload in Teams or the admin centre. Warns about what Teams will
 * refuse (a non-GUID app id, a plain-http public URL) but writes the package anyway.
 */
export async function teamsManifestCommand(opts: TeamsManifestCommandOptions, ctx: CommandContext, version: string): Promise<ExitCode> {
  let config: SignoffConfig
  try {
    config = loadConfig({ file: opts.config ?? null, env: ctx.io.env })
  } catch (e) {
    if (e instanceof SignoffError) throw new CliError(e.message, { code: e.code })
    throw e
  }
  if (!config.teams) throw new CliError('teams is not configured: set teams.app_id (SIGNOFF_TEAMS_APP_ID) and the other teams keys first')
  const o = { appId: config.teams.app_id, publicUrl: config.public_url, version: /^\d+\.\d+\.\d+$/.test(version) ? version : '0.0.0' }
  for (const w of teamsManifestWarnings(o)) ctx.io.stderr.write(`warning: ${w}\n`)
  const path = resolve(ctx.io.cwd, opts.out ?? 'signoff-teams.zip')
  try {
    writeFileSync(path, teamsAppPackage(o))
  } catch (e) {
    throw new CliError(`cannot write ${path}: ${(e as Error).message}`)
  }
  ctx.io.stdout.write(`wrote ${path} (Teams app package for bot ${o.appId}); upload it in Teams: Apps > Manage your apps > Upload an app\n`)
  return ExitCode.Ok
}
