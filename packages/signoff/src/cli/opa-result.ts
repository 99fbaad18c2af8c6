/** One expression's value in a result row, as `opa eval` prints it. */
export interface OpaExpression {
  readonly value: unknown
  readonly text: string
  readonly location: { readonly row: number; readonly col: number }
}

/** One row of `opa eval --format json`'s `result` array. */
export interface OpaResultRow {
  readonly expressions: readonly OpaExpression[]
  /** Present only when the query has variables. */
  readonly bindings?: Readonly<Record<string, unknown>>
}

/** `--format json`: OPA's shape (`{}` when undefined, `{"result": [...]}` otherwise). */
export function formatJson(rows: readonly OpaResultRow[]): string {
  return JSON.stringify(rows.length ? { result: rows } : {}, null, 2)
}

function cell(v: unknown): string {
  return JSON.stringify(v) ?? 'undefined'
}

/**
 * `--format pretty`: `undefined` with no rows; the value alone (indented JSON) for one row of one
 * expression without variables; otherwise a table of the variables (or the expressions).
 */
export function formatPretty(rows: readonly OpaResultRow[]): string {
  if (rows.length === 0) return 'undefined'
  const first = rows[0] as OpaResultRow
  const names = Object.keys(first.bindings ?? {})
  if (rows.length === 1 && names.length === 0 && first.expressions.length === 1) {
    return JSON.stringify(first.expressions[0]?.value, null, 2) ?? 'undefined'
  }
  const header = names.length ? names : first.expressions.map((e) => e.text)
  const table = rows.map((r) => (names.length ? names.map((n) => cell(r.bindings?.[n])) : r.expressions.map((e) => cell(e.value))))
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => (row[i] ?? '').length)))
  const rule = `+${widths.map((w) => '-'.repeat(w + 2)).join('+')}+`
  const line = (cells: readonly string[]): string => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`
  return [rule, line(header), rule, ...table.map(line), rule].join('\n')
}
