/**
 * A string of HTML that is already safe to insert. Only {@link html} and {@link trustedHtml}
 * make one, so every other value that reaches a template is escaped.
 */
export interface Html {
  readonly kind: 'Html'
  /** The markup. */
  readonly value: string
}

const ESCAPES: Readonly<Record<string, string>> = Object.freeze({
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
})

/** Escapes text for use in element content and in quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`]/g, (c) => ESCAPES[c] ?? c)
}

/** Marks markup the caller has built safely itself (constants only: never user data). */
export function trustedHtml(markup: string): Html {
  return Object.freeze({ kind: 'Html', value: markup })
}

function isHtml(x: unknown): x is Html {
  return typeof x === 'object' && x !== null && (x as { kind?: unknown }).kind === 'Html'
}

function interpolate(x: unknown): string {
  if (x === null || x === undefined || x === false) return ''
  if (isHtml(x)) return x.value
  if (Array.isArray(x)) return x.map(interpolate).join('')
  if (typeof x === 'string') return escapeHtml(x)
  if (typeof x === 'number' || typeof x === 'bigint' || x === true) return String(x)
  return escapeHtml(JSON.stringify(x) ?? '')
}

/**
 * Tagged template for HTML: interpolated strings are escaped, {@link Html} values are inserted
 * as they are, arrays are concatenated, and `null`, `undefined` and `false` render as nothing.
 */
export function html(strings: TemplateStringsArray, ...values: readonly unknown[]): Html {
  let out = strings[0] ?? ''
  for (let i = 0; i < values.length; i++) out += interpolate(values[i]) + (strings[i + 1] ?? '')
  return trustedHtml(out)
}
