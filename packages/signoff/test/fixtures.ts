import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadConfig, type SignoffConfig } from '../src/config/index.js'
import type { PolicyHost } from '../src/policy/index.js'
import { createServices, type CreateServicesOptions, type SignoffServices } from '../src/services/index.js'
import type { Store } from '../src/store/index.js'

/** A controllable clock (epoch ms). */
export class TestClock {
  constructor(public ms = Date.UTC(2026, 0, 1, 12)) {}
  readonly now = (): number => this.ms
  advance(ms: number): void {
    this.ms += ms
  }
}

/** The rich-form policy used by service tests: production needs `min` of group sre. */
export function richPolicy(min = 2, extra = ''): string {
  return `package signoff
decision := {"allow": true} if input.environment == "dev"
decision := {"allow": false, "reason": "never on friday"} if input.environment == "friday"
decision := {
  "allow": input.approved,
  "reason": "production deploys need SREs",
  "approval": {"approvers": ["group:sre"], "min_approvals": ${min}, "timeout": "1h"${extra}},
} if input.environment == "production"
`
}

/** Writes `files` into a fresh temporary folder and returns its path. */
export function tempDir(files: Record<string, string | Buffer> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'signoff-test-'))
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content)
  return dir
}

/** A configuration for tests: tokens for a requester, three approvers and an admin. */
export function testConfig(overrides: Record<string, unknown> = {}): SignoffConfig {
  return loadConfig({
    file: null,
    env: {},
    overrides: {
      database: 'sqlite::memory:',
      port: 0,
      secret: 'test-secret-test-secret-test-secret-!!',
      groups: { sre: ['alice@example.com', 'bob@example.com', 'carol@example.com'] },
      tokens: [
        { token: 'tok-requester-0000000000', subject: 'ci@example.com', scopes: ['request'] },
        { token: 'tok-alice-000000000000000', subject: 'alice@example.com', scopes: ['approve', 'request'] },
        { token: 'tok-bob-00000000000000000', subject: 'bob@example.com', scopes: ['approve'] },
        { token: 'tok-carol-000000000000000', subject: 'carol@example.com', scopes: ['approve'] },
        { token: 'tok-mallory-0000000000000', subject: 'mallory@example.com', scopes: ['approve'] },
        { token: 'tok-admin-000000000000000', subject: 'root@example.com', scopes: ['admin'] },
      ],
      ...overrides,
    },
  })
}

/** Services over `store` with the policy in `dir` loaded. */
export async function testServices(
  store: Store,
  policyDir: string,
  opts: { clock?: TestClock; config?: Record<string, unknown>; services?: Partial<CreateServicesOptions> } = {},
): Promise<{ services: SignoffServices; policy: PolicyHost; clock: TestClock }> {
  const clock = opts.clock ?? new TestClock()
  const config = testConfig({ policy: { paths: [policyDir], package: 'signoff', watch: false }, ...(opts.config ?? {}) })
  const services = await createServices({ ...(opts.services ?? {}), config, store, now: clock.now })
  const loaded = await services.policyHost!.load()
  if (!loaded.ok) throw new Error(loaded.problems.map((p) => p.message).join('\n'))
  return { services, policy: services.policyHost!, clock }
}
