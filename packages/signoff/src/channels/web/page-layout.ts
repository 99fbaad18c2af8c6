import { createHash } from 'node:crypto'
import { html, trustedHtml, type Html } from './html.js'

/** The only stylesheet; inline, allowed by its hash in the Content-Security-Policy. */
export const PAGE_STYLE = `
:root{color-scheme:light dark;--fg:#1b1f24;--muted:#57606a;--bg:#fff;--line:#d0d7de;--ok:#1a7f37;--bad:#cf222e;--wait:#9a6700;--acc:#0969da}
@media (prefers-color-scheme:dark){:root{--fg:#e6edf3;--muted:#8d96a0;--bg:#0d1117;--line:#30363d;--ok:#3fb950;--bad:#f85149;--wait:#d29922;--acc:#4493f8}}
*{box-sizing:border-box}
body{font:15px/1.5 system-ui,sans-serif;color:var(--fg);background:var(--bg);margin:0 auto;max-width:60rem;padding:1.5rem}
header{display:flex;justify-content:space-between;align-items:baseline;border-bottom:1px solid var(--line);margin-bottom:1rem}
header a,header>span{color:inherit;text-decoration:none;font-weight:600}
h1{font-size:1.4rem;margin:.5rem 0}
h2{font-size:1.1rem;margin:1.5rem 0 .5rem}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem;margin:0}
dt{color:var(--muted)}
dd{margin:0;overflow-wrap:anywhere}
pre,code{font:13px/1.4 ui-monospace,monospace}
pre{background:color-mix(in srgb,var(--line) 30%,transparent);padding:.75rem;overflow:auto;border-radius:6px}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:.35rem .5rem;border-bottom:1px solid var(--line);vertical-align:top}
th{color:var(--muted);font-weight:500}
.status{display:inline-block;padding:0 .5rem;border-radius:1rem;border:1px solid currentColor;font-size:.85rem}
.status-approved,.status-allowed{color:var(--ok)}
.status-rejected,.status-denied,.status-expired,.status-cancelled{color:var(--bad)}
.status-pending{color:var(--wait)}
.notice{padding:.75rem 1rem;border-radius:6px;border:1px solid var(--line);margin:1rem 0}
.notice-error{border-color:var(--bad)}
.notice-ok{border-color:var(--ok)}
form.decide{display:flex;gap:.5rem;flex-wrap:wrap;align-items:flex-end;margin-top:.5rem}
form.filters{display:flex;gap:.5rem;flex-wrap:wrap;align-items:flex-end;margin-bottom:1rem}
label{display:flex;flex-direction:column;font-size:.85rem;color:var(--muted)}
input,select,textarea{font:inherit;color:inherit;background:var(--bg);border:1px solid var(--line);border-radius:6px;padding:.35rem .5rem}
textarea{min-width:20rem;min-height:3rem}
button{font:inherit;border-radius:6px;border:1px solid var(--line);padding:.4rem 1rem;cursor:pointer;background:var(--bg);color:inherit}
button.approve{background:var(--ok);border-color:var(--ok);color:#fff}
button.reject{background:var(--bad);border-color:var(--bad);color:#fff}
.muted{color:var(--muted)}
`

/** `'sha256-…'` source expression for {@link PAGE_STYLE}. */
export const PAGE_STYLE_HASH = `'sha256-${createHash('sha256').update(PAGE_STYLE).digest('base64')}'`

/**
 * The Content-Security-Policy of every web page: nothing loads from anywhere, no script runs,
 * the one inline stylesheet is allowed by hash, forms post only to this origin and the pages
 * cannot be framed.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  `style-src ${PAGE_STYLE_HASH}`,
  "img-src 'self' data:",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ')

/** The headers every web page is sent with (the CSP, no caching, no referrer, no sniffing). */
export const PAGE_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
})

/** Options for {@link pageLayout}. */
export interface PageLayoutOptions {
  readonly title: string
  readonly body: Html
  /** Where the header's name links to; `/ui` on dashboard pages, nothing on approval pages. */
  readonly home?: string
  /** Extra header content on the right, e.g. a sign-out form. */
  readonly nav?: Html
}

/** Wraps a page body in the document shell. */
export function pageLayout(options: PageLayoutOptions): string {
  const brand = options.home ? html`<a href="${options.home}">signoff</a>` : html`<span>signoff</span>`
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${options.title} · signoff</title>
<style>${trustedHtml(PAGE_STYLE)}</style>
</head>
<body>
<header>${brand}${options.nav}</header>
<main>
${options.body}
</main>
</body>
</html>
`.value
}
