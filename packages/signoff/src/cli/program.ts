import { readFileSync } from 'node:fs'
import { Command, Option } from 'commander'
import type { CliIo } from './cli-io.js'
import { commandContext, type CommandContext, type GlobalOptions } from './command-context.js'
import type { ExitCode } from './exit-code.js'
import { decideCommand } from './commands/decide.js'
import { dbMigrateCommand } from './commands/db-migrate.js'
import { evalCommand } from './commands/eval.js'
import { logExportCommand, logVerifyCommand } from './commands/log.js'
import { requestCommand } from './commands/request.js'
import { serveCommand } from './commands/serve.js'
import { teamsManifestCommand } from './commands/teams-manifest.js'
import { testCommand } from './commands/test.js'
import { waitCommand } from './commands/wait.js'

/** Where an action leaves its exit code (commander's actions return nothing it keeps). */
export interface ExitBox {
  code: ExitCode
}

/** The package version, read once from package.json (two folders up from both src/cli and dist/cli). */
function packageVersion(): string {
  try {
    return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string }).version ?? '0.0.0'
  } catch {
    return '0.0.0'
  }
}

function collect(value: string, previous: readonly string[]): string[] {
  return [...previous, value]
}

/**
 * The command table: every `signoff` command, its options, and the module that runs it. Client
 * commands take `--url`/`--token` (or `SIGNOFF_URL`/`SIGNOFF_TOKEN`); local ones read files or
 * the database directly.
 */
export function buildProgram(io: CliIo, box: ExitBox, fetchImpl?: typeof fetch): Command {
  const program = new Command('signoff')
  const ctx: CommandContext = commandContext(io, () => program.opts<GlobalOptions>(), fetchImpl)
  const run = <A extends unknown[]>(fn: (...args: A) => Promise<ExitCode>) =>
    async (...args: A): Promise<void> => {
      box.code = await fn(...args)
    }

  program
    .description('Human approval inside Open Policy Agent decisions')
    .version(packageVersion(), '-V, --version')
    .option('--url <url>', 'signoff server URL (env SIGNOFF_URL, default http://127.0.0.1:8686)')
    .option('--token <token>', 'bearer token (env SIGNOFF_TOKEN)')
    .configureOutput({ writeOut: (s) => void io.stdout.write(s), writeErr: (s) => void io.stderr.write(s) })
    .exitOverride()
    .showHelpAfterError('(run signoff help for the list of commands)')

  program
    .command('serve')
    .description('run the signoff server')
    .option('-c, --config <file>', 'configuration file (default ./signoff.yaml if present)')
    .action(run((opts: { config?: string }) => serveCommand(opts, ctx)))

  program
    .command('request')
    .description('ask for a decision; with --wait, wait for the outcome (exit 0 approved/allowed, 1 rejected/denied, 2 expired/timed out, 3 error)')
    .requiredOption('-i, --input <json>', 'input document: JSON text, @file, or - for standard input')
    .option('--requester <id>', 'who is asking (defaults to the token subject)')
    .option('--idempotency-key <key>', 'repeat-safe key: the same key returns the same request')
    .option('--callback-url <url>', 'URL that receives the final request')
    .option('-w, --wait', 'wait until the request is decided')
    .option('-t, --timeout <duration>', 'stop waiting after this long (e.g. 30s, 10m); exit 2')
    .option('--json', 'print the final request as JSON on standard output')
    .action(run((opts: Parameters<typeof requestCommand>[0]) => requestCommand(opts, ctx)))

  program
    .command('wait <id>')
    .description('wait for an existing request to be decided (same exit codes as request --wait)')
    .option('-t, --timeout <duration>', 'stop waiting after this long (e.g. 30s, 10m); exit 2')
    .option('--json', 'print the final request as JSON on standard output')
    .action(run((id: string, opts: Parameters<typeof waitCommand>[1]) => waitCommand(id, opts, ctx)))

  for (const verb of ['approve', 'reject', 'cancel'] as const) {
    program
      .command(`${verb} <id>`)
      .description(verb === 'cancel' ? 'cancel your pending request' : `${verb} a pending request as the token's subject`)
      .option('-m, --comment <text>', 'comment recorded with the decision')
      .option('--json', 'print the request as JSON')
      .action(run((id: string, opts: { comment?: string; json?: boolean }) => decideCommand(verb, id, opts, ctx)))
  }

  program
    .command('eval <query>')
    .description('evaluate a Rego query, like opa eval')
    .option('-d, --data <path>', 'policy or data file or directory (repeatable)', collect, [])
    .option('-i, --input <file>', 'input document file (JSON or YAML)')
    .option('-I, --stdin-input', 'read the input document (JSON) from standard input')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['json', 'pretty']).default('json'))
    .option('--v0-compatible', 'parse files as Rego v0')
    .action(run((query: string, opts: Parameters<typeof evalCommand>[1]) => evalCommand(query, opts, ctx)))

  program
    .command('test <paths...>')
    .description('run test_ rules, like opa test (exit 1 when a test fails)')
    .option('-r, --run <regex>', 'only run tests whose name matches')
    .option('--v0-compatible', 'parse files as Rego v0')
    .action(run((paths: string[], opts: Parameters<typeof testCommand>[1]) => testCommand(paths, opts, ctx)))

  const log = program.command('log').description('the decision log')
  log
    .command('verify')
    .description('check the hash chain; names the first entry that does not check out (exit 1)')
    .option('-c, --config <file>', 'read the database from this configuration instead of asking a server')
    .option('--remote', 'ask the server at --url instead of reading the database')
    .action(run((opts: Parameters<typeof logVerifyCommand>[0]) => logVerifyCommand(opts, ctx)))
  log
    .command('export')
    .description('write the log as OPA decision-log events, one JSON object per line')
    .option('-c, --config <file>', 'configuration file naming the database')
    .option('-o, --output <file>', 'write to a file instead of standard output')
    .action(run((opts: Parameters<typeof logExportCommand>[0]) => logExportCommand(opts, ctx)))

  program
    .command('db')
    .description('database maintenance')
    .command('migrate')
    .description('apply pending migrations')
    .option('-c, --config <file>', 'configuration file naming the database')
    .action(run((opts: { config?: string }) => dbMigrateCommand(opts, ctx)))

  program
    .command('teams')
    .description('Microsoft Teams app')
    .command('manifest')
    .description('write the Teams app package (manifest.json and icons, zipped) for the configured bot')
    .option('-c, --config <file>', 'configuration file with the teams section')
    .option('-o, --out <file>', 'where to write the zip (default signoff-teams.zip)')
    .action(run((opts: { config?: string; out?: string }) => teamsManifestCommand(opts, ctx, packageVersion())))

  return program
}
