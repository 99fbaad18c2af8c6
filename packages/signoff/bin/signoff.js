#!/usr/bin/env node
// The `signoff` executable. It runs the compiled CLI in dist/, never the TypeScript sources.
// Right after `npm install` nothing is compiled yet, so the first run builds the package once
// (tsc -b, the same build `npm run build` and `npm start` do) and then goes on.
import { spawnSync } from 'node:child_process'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'

const entry = new URL('../dist/cli/index.js', import.meta.url)

async function load() {
  try {
    return await import(entry.href)
  } catch (e) {
    if (e && e.code === 'ERR_MODULE_NOT_FOUND' && String(e.message).includes(fileURLToPath(entry))) return null
    throw e
  }
}

let cli = await load()
if (cli === null) {
  process.stderr.write('signoff: compiling the CLI once (tsc -b)...\n')
  let tsc
  try {
    tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc')
  } catch {
    process.stderr.write('signoff: TypeScript is not installed; run `npm install` and `npm run build` in the repository root\n')
    process.exit(3)
  }
  const built = spawnSync(process.execPath, [tsc, '-b', fileURLToPath(new URL('..', import.meta.url))], { stdio: ['ignore', 'inherit', 'inherit'] })
  cli = built.status === 0 ? await load() : null
  if (cli === null) {
    process.stderr.write('signoff: the build failed; run `npm run build` in the repository root to see why\n')
    process.exit(3)
  }
}
process.exitCode = await cli.main(process.argv.slice(2), cli.processIo())
