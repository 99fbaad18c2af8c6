import { strict as assert } from 'node:assert'
import { readFileSync } from 'node:fs'
import { describe, it } from 'node:test'
import { ERROR_CODES } from '../src/domain/index.js'

const DOC = readFileSync(new URL('../../../docs/errors.md', import.meta.url), 'utf8')

describe('docs/errors.md', () => {
  const rows = new Map<string, number>()
  for (const m of DOC.matchAll(/^\| `(SIGNOFF_[A-Z_]+)` \| (\d{3}) \|/gm)) rows.set(m[1]!, Number(m[2]))

  it('documents every error code with its status', () => {
    for (const [code, { status }] of Object.entries(ERROR_CODES)) {
      assert.ok(rows.has(code), `${code} is missing from docs/errors.md`)
      assert.equal(rows.get(code), status, `${code} has status ${status} in the code`)
    }
  })

  it('documents no code that does not exist', () => {
    for (const code of rows.keys()) assert.ok(code in ERROR_CODES, `docs/errors.md lists ${code}, which the code no longer has`)
    for (const m of DOC.matchAll(/SIGNOFF_[A-Z_]+/g)) assert.ok(m[0] in ERROR_CODES, `docs/errors.md mentions unknown ${m[0]}`)
  })
})
