/**
 * One benchmark target, run as its own process so the load generator does not share its event
 * loop: `bare` (a Fastify route that parses and answers JSON) or `signoff` (the full app on a
 * SQLite file with the rich example policy). Prints `READY <port>` when listening.
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Fastify from 'fastify'
import { loadConfig, startServer } from 'signoff'

export const BENCH_TOKEN = 'bench-token-0123456789abcdef'

async function main(mode: string): Promise<void> {
  if (mode === 'bare') {
    const app = Fastify({ logger: false })
    app.post('/bare', { schema: { body: { type: 'object', properties: { input: { type: 'object' } } } } }, async (req) => ({ ok: true, echo: req.body }))
    await app.listen({ port: 0, host: '127.0.0.1' })
    process.stdout.write(`READY ${(app.server.address() as { port: number }).port}\n`)
    return
  }
  const dir = mkdtempSync(join(tmpdir(), 'signoff-bench-'))
  const config = loadConfig({
    file: null,
    env: {},
    overrides: {
      database: `sqlite:${join(dir, 'signoff.db')}`,
      port: 0,
      log_level: 'warn',
      policy: { paths: [new URL('../../../examples/rich', import.meta.url).pathname], package: 'signoff', watch: false },
      groups: { sre: ['alice@example.com', 'bob@example.com'] },
      tokens: [{ token: BENCH_TOKEN, subject: 'bench@example.com', scopes: ['request'] }],
    },
  })
  const server = await startServer({ config, print: () => {} })
  process.stdout.write(`READY ${new URL(server.url).port}\n`)
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(0))
if (process.argv[2]) void main(process.argv[2])
