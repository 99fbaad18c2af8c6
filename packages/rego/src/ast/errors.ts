import type { Location } from './location.js'

/** OPA's error codes, verbatim, for the parse and compile layers and for evaluation. */
export type RegoErrorCode =
  | 'rego_parse_error'
  | 'rego_compile_error'
  | 'rego_type_error'
  | 'rego_unsafe_var_error'
  | 'rego_recursion_error'
  | 'eval_conflict_error'
  | 'eval_type_error'
  | 'eval_builtin_error'
  | 'eval_with_merge_error'
  | 'eval_cancel_error'
  | 'eval_internal_error'

/**
 * Every error the engine reports. The Error message reads `file:row:col: code: message` for parse
 * and compile errors (editors jump to the column) and `file:row: code: message` for evaluation
 * errors, exactly as OPA prints them, so tooling that matches OPA's text keeps working.
 * `detail` is the message alone.
 */
export class RegoError extends Error {
  readonly code: RegoErrorCode
  readonly location: Location | undefined
  /** The message without the location and code prefix. */
  readonly detail: string

  constructor(code: RegoErrorCode, detail: string, location?: Location) {
    super(location ? `${location.file}:${location.row}${code.startsWith('rego_') ? `:${location.col}` : ''}: ${code}: ${detail}` : `${code}: ${detail}`)
    this.name = 'RegoError'
    this.code = code
    this.detail = detail
    this.location = location
  }
}

/** Several compile errors reported together, as OPA's compiler does. */
export class RegoErrors extends Error {
  readonly errors: readonly RegoError[]

  constructor(errors: readonly RegoError[]) {
    super(errors.length === 1 ? errors[0]!.message : `${errors.length} errors occurred:\n${errors.map((e) => e.message).join('\n')}`)
    this.name = 'RegoErrors'
    this.errors = errors
  }

  /** The code of the first error: what callers usually switch on. */
  get code(): string {
    return this.errors[0]?.code ?? 'rego_compile_error'
  }
}
