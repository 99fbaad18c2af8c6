/** Where a node came from: file, 1-based row and column, and the source text span. */
export interface Location {
  readonly file: string
  readonly row: number
  readonly col: number
  /** Offset of the first character in the file's text. */
  readonly offset: number
  /** Length of the node's text. */
  readonly length: number
}

export function formatLocation(loc: Location | undefined): string {
  if (loc === undefined) return ''
  return `${loc.file}:${loc.row}:${loc.col}`
}
