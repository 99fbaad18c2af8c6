import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))

/** OPA's conformance suite, beside the repository (never copied into it). */
export const SHARED_SUITE = join(here, '../../../../../shared/opa-conformance')
/** Our own cases in OPA's schema, for what the shared suite does not cover. */
export const OWN_CASES = join(here, '../cases')
/** Directories of the shared suite that pass every case; `npm test` keeps it true and growing. */
export const PASSING_FILE = join(here, 'passing.txt')
