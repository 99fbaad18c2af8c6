/**
 * `semver.compare` and `semver.is_valid` (OPA `topdown/semver.go` over its copy of coreos/go-semver):
 * `MAJOR.MINOR.PATCH[-pre][+meta]`, pre-release identifiers compared numerically when numeric.
 */
import { BuiltinError, type BuiltinRegistry } from './builtin.js'
import { stringOperand } from './operands.js'
import { goQuote } from './strings-util.js'

interface Version {
  readonly parts: readonly bigint[]
  readonly pre: string
}

const IDENT = /^[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*$/
const INT64 = /^[+-]?[0-9]+$/

/** go-semver's `NewVersion`; undefined when the string is not a version. */
export function parseSemver(s: string): Version | undefined {
  let rest = s
  let meta = ''
  const plus = rest.indexOf('+')
  if (plus >= 0) {
    meta = rest.slice(plus + 1)
    rest = rest.slice(0, plus)
  }
  let pre = ''
  const dash = rest.indexOf('-')
  if (dash >= 0) {
    pre = rest.slice(dash + 1)
    rest = rest.slice(0, dash)
  }
  const dot = rest.split('.')
  if (dot.length < 3) return undefined
  const tri = [dot[0]!, dot[1]!, dot.slice(2).join('.')]
  if (pre !== '' && !IDENT.test(pre)) return undefined
  if (meta !== '' && !IDENT.test(meta)) return undefined
  const parts: bigint[] = []
  for (const p of tri) {
    if (!INT64.test(p)) return undefined
    const v = BigInt(p)
    if (v > 9223372036854775807n || v < -9223372036854775808n) return undefined
    parts.push(v)
  }
  return { parts, pre }
}

const ATOI = /^[+-]?[0-9]+$/

function comparePre(a: readonly string[], b: readonly string[]): number {
  for (let i = 0; ; i++) {
    if (i >= a.length) return i >= b.length ? 0 : -1
    if (i >= b.length) return 1
    const x = a[i]!
    const y = b[i]!
    const xi = ATOI.test(x)
    const yi = ATOI.test(y)
    if (xi && !yi) return -1
    if (!xi && yi) return 1
    if (xi && yi) {
      const d = BigInt(x) - BigInt(y)
      if (d !== 0n) return d > 0n ? 1 : -1
    }
    if (x !== y) return x > y ? 1 : -1
  }
}

export function compareSemver(a: Version, b: Version): number {
  for (let i = 0; i < 3; i++) {
    if (a.parts[i]! !== b.parts[i]!) return a.parts[i]! > b.parts[i]! ? 1 : -1
  }
  if (a.pre === '' && b.pre !== '') return 1
  if (b.pre === '' && a.pre !== '') return -1
  if (a.pre === '') return 0
  return comparePre(a.pre.split('.'), b.pre.split('.'))
}

export function register(reg: BuiltinRegistry): void {
  // OPA formats the operand with %s, which quotes a Rego string.
  reg.register({
    name: 'semver.compare',
    args: [
      { name: 'a', type: 'string', description: 'first version string' },
      { name: 'b', type: 'string', description: 'second version string' },
    ],
    result: { name: 'result', type: 'number', description: '`-1` if `a < b`; `1` if `a > b`; `0` if `a == b`' },
    description: 'Compares valid SemVer formatted version strings.',
    categories: ['semver'],
    impl([x, y]) {
      const sa = stringOperand(x!, 1)
      const sb = stringOperand(y!, 2)
      const a = parseSemver(sa)
      if (a === undefined) throw new BuiltinError(`operand 1: string ${goQuote(sa)} is not a valid SemVer`)
      const b = parseSemver(sb)
      if (b === undefined) throw new BuiltinError(`operand 2: string ${goQuote(sb)} is not a valid SemVer`)
      return compareSemver(a, b)
    },
  })
  reg.register({
    name: 'semver.is_valid',
    args: [{ name: 'vsn', type: 'any', description: 'input to validate' }],
    result: { name: 'result', type: 'boolean', description: '`true` if `vsn` is a valid SemVer; `false` otherwise' },
    description: 'Validates that the input is a valid SemVer string.',
    categories: ['semver'],
    impl: ([v]) => typeof v === 'string' && parseSemver(v) !== undefined,
  })
}
