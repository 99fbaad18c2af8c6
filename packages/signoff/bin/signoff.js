#!/usr/bin/env node
// The `signoff` executable. It runs the compiled CLI in dist/ (built by `npm run build`, which
// `npm install` runs through the workspace's prepare script), never the TypeScript sources.
let cli
try {
  cli = await import('../dist/cli/index.js')
} catch (e) {
  if (e && e.code === 'ERR_MODULE_NOT_FOUND' && String(e.message).includes('/dist/cli/')) {
    process.stderr.write('signoff: the CLI is not built yet; run `npm run build` in the repository root\n')
    process.exit(3)
  }
  throw e
}
process.exitCode = await cli.main(process.argv.slice(2), cli.processIo())
