import { readdir, readFile, stat } from 'node:fs/promises'
import { extname, join, relative, resolve, sep } from 'node:path'
import { parse as parseYaml } from 'yaml'
import { CliError } from './cli-error.js'

/** A Rego source file. */
export interface PolicySource {
  /** Path as the user will recognise it in messages (relative to the working directory when inside it). */
  readonly file: string
  readonly source: string
}

/** What `-d` paths load to: policy modules and one merged data document. */
export interface PolicyFiles {
  readonly modules: readonly PolicySource[]
  readonly data: Record<string, unknown>
}

const DATA_EXTENSIONS = new Set(['.json', '.yaml', '.yml'])

function isPlainObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x)
}

function mergeAt(root: Record<string, unknown>, path: readonly string[], value: unknown, file: string): void {
  let node = root
  for (const key of path) {
    const next = node[key]
    if (next === undefined) node[key] = {}
    else if (!isPlainObject(next)) throw new CliError(`${file}: data conflicts at data.${path.join('.')}`)
    node = node[key] as Record<string, unknown>
  }
  if (!isPlainObject(value)) {
    if (path.length === 0) throw new CliError(`${file}: a data file at the root must hold an object`)
    throw new CliError(`${file}: data files must hold objects`)
  }
  for (const [k, v] of Object.entries(value)) {
    if (node[k] === undefined) node[k] = v
    else if (isPlainObject(node[k]) && isPlainObject(v)) mergeAt(node, [k], v, file)
    else throw new CliError(`${file}: data conflicts at data.${[...path, k].join('.')}`)
  }
}

async function walk(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true })
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  const out: string[] = []
  for (const e of entries) {
    if (e.name.startsWith('.')) continue
    const p = join(dir, e.name)
    if (e.isDirectory()) out.push(...(await walk(p)))
    else if (e.isFile()) out.push(p)
  }
  return out
}

/**
 * Loads `-d` paths as `opa eval` does: `.rego` files are modules; `.json`/`.yaml` files are data,
 * placed at their directory's path below the given directory (a file named directly goes at the
 * root); directories are walked recursively in name order, skipping dot-files.
 */
export async function loadPolicyFiles(paths: readonly string[], cwd: string): Promise<PolicyFiles> {
  const modules: PolicySource[] = []
  const data: Record<string, unknown> = {}
  const display = (abs: string): string => {
    const rel = relative(cwd, abs)
    return rel && !rel.startsWith('..') ? rel : abs
  }
  for (const given of paths) {
    const abs = resolve(cwd, given)
    let info
    try {
      info = await stat(abs)
    } catch {
      throw new CliError(`${given}: no such file or directory`)
    }
    const files = info.isDirectory() ? (await walk(abs)).map((f) => ({ f, base: abs })) : [{ f: abs, base: null }]
    for (const { f, base } of files) {
      const ext = extname(f).toLowerCase()
      if (ext === '.rego') {
        modules.push({ file: display(f), source: await readFile(f, 'utf8') })
      } else if (DATA_EXTENSIONS.has(ext)) {
        const text = await readFile(f, 'utf8')
        let value: unknown
        try {
          value = ext === '.json' ? JSON.parse(text) : parseYaml(text)
        } catch (e) {
          throw new CliError(`${display(f)}: ${(e as Error).message}`)
        }
        const dir = base === null ? [] : relative(base, resolve(f, '..')).split(sep).filter(Boolean)
        mergeAt(data, dir, value ?? {}, display(f))
      }
    }
  }
  return { modules, data }
}
