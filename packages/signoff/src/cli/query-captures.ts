/** One expression of an `eval` query, as `opa eval` reports it. */
export interface QueryExpression {
  /** The expression's text as the user wrote it. */
  readonly text: string
  /** 1-based position of the expression in the query. */
  readonly row: number
  readonly col: number
  /** The variable that captures its value, for term expressions; `null` for the others (value `true`). */
  readonly capture: string | null
}

/** A query rewritten so every term expression's value is captured, as OPA's `rego` package does. */
export interface CapturedQuery {
  /** The rewritten query to evaluate. */
  readonly query: string
  readonly expressions: readonly QueryExpression[]
}

interface Part {
  readonly text: string
  readonly start: number
}

/** Splits on `;` and newlines outside brackets, strings and comments, keeping each part's offset. */
function splitTopLevel(query: string): Part[] {
  const parts: Part[] = []
  let depth = 0
  let start = 0
  const push = (end: number): void => {
    const raw = query.slice(start, end)
    const lead = raw.length - raw.trimStart().length
    const text = raw.trim()
    if (text !== '') parts.push({ text, start: start + lead })
  }
  for (let i = 0; i < query.length; i++) {
    const c = query[i]
    if (c === '"') {
      for (i++; i < query.length && query[i] !== '"'; i++) if (query[i] === '\\') i++
    } else if (c === '`') {
      i = query.indexOf('`', i + 1)
      if (i < 0) i = query.length
    } else if (c === '#') {
      const end = query.indexOf('\n', i)
      // A comment ends the expression text; keep the newline as the separator.
      const before = query.slice(start, i)
      i = end < 0 ? query.length : end
      if (depth === 0) {
        const lead = before.length - before.trimStart().length
        if (before.trim() !== '') parts.push({ text: before.trim(), start: start + lead })
        start = i + 1
      }
    } else if (c === '(' || c === '[' || c === '{') depth++
    else if (c === ')' || c === ']' || c === '}') depth = Math.max(0, depth - 1)
    else if (depth === 0 && (c === ';' || c === '\n')) {
      push(i)
      start = i + 1
    }
  }
  push(query.length)
  return parts
}

/** Index of the first top-level ` with ` (outside brackets and strings), or -1. */
function topLevelWith(text: string): number {
  let depth = 0
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (c === '"') {
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++
    } else if (c === '`') {
      i = text.indexOf('`', i + 1)
      if (i < 0) return -1
    } else if (c === '(' || c === '[' || c === '{') depth++
    else if (c === ')' || c === ']' || c === '}') depth--
    else if (depth === 0 && /\s/.test(c ?? '') && /^\s+with\s/.test(text.slice(i))) return i
  }
  return -1
}

/** A term expression: a ref, call or literal, with no operator, assignment or keyword at the top. */
function isTerm(text: string): boolean {
  const flat = text.replace(/"(?:[^"\\]|\\.)*"|`[^`]*`/g, '""')
  return !/[=<>!:|&+*/%]|(?:^|\s)(?:not|some|every|in|if|contains|default|import|package)\s/.test(` ${flat} `)
}

function position(query: string, offset: number): { row: number; col: number } {
  const before = query.slice(0, offset)
  const row = before.split('\n').length
  return { row, col: offset - before.lastIndexOf('\n') }
}

/**
 * Rewrites a query the way `opa eval` reports it: each term expression `t` (a ref, a call, a
 * literal) becomes `capture = (t)`, keeping its `with` modifiers, so its value is reported even
 * when it is `false`; every other expression (comparisons, assignments, `not`, `some`) reports
 * `true` when the query succeeds.
 */
export function captureQuery(query: string, prefix = 'signoffEvalValue'): CapturedQuery {
  const expressions: QueryExpression[] = []
  const sources: string[] = []
  splitTopLevel(query).forEach((part, i) => {
    const at = topLevelWith(part.text)
    const head = at < 0 ? part.text : part.text.slice(0, at)
    const mods = at < 0 ? '' : part.text.slice(at)
    const capture = isTerm(head) ? `${prefix}${i}` : null
    sources.push(capture ? `${capture} = (${head.trim()})${mods}` : part.text)
    expressions.push({ text: part.text, ...position(query, part.start), capture })
  })
  return { query: sources.join('; '), expressions }
}
