import { createHash } from 'node:crypto'
import { readdir, readFile, stat } from 'node:fs/promises'
import { basename, dirname, join, relative, sep } from 'node:path'
import { parse as parseYaml } from 'yaml'
import { canonicalJson } from '../domain/index.js'
import { readTarGz } from './tar-reader.js'

/** One Rego module to load. */
export interface PolicyModuleSource {
  /** File name used in error messages (`policies/approvals.rego`, `bundle.tar.gz/x.rego`). */
  readonly file: string
  readonly source: string
  readonly regoVersion: 0 | 1
}

/** Everything a policy load reads: modules, the merged data document and their digest. */
export interface PolicySources {
  readonly modules: readonly PolicyModuleSource[]
  readonly data: Record<string, unknown>
  /** SHA-256 of the sources and data: the policy revision recorded with each decision. */
  readonly revision: string
  /** Files read, to watch for changes. */
  readonly files: readonly string[]
}

/** A source that could not be read, with the file it came from. */
export class PolicySourceError extends Error {
  constructor(readonly file: string, message: string) {
    super(`${file}: ${message}`)
    this.name = 'PolicySourceError'
  }
}

/**
 * Reads policy paths like `opa run` does: `.rego` files, folders (recursively), `data.json` /
 * `data.yaml` (merged at the folder's path below the root), and OPA bundles (`.tar.gz`, whose
 * `.manifest` may set `rego_version`).
 */
export async function readPolicySources(paths: readonly string[], defaultVersion: 0 | 1): Promise<PolicySources> {
  const modules: PolicyModuleSource[] = []
  const data: Record<string, unknown> = {}
  const files: string[] = []
  for (const root of paths) {
    let st
    try {
      st = await stat(root)
    } catch {
      throw new PolicySourceError(root, 'no such file or folder')
    }
    if (st.isDirectory()) {
      for (const file of await walk(root)) {
        files.push(file)
        await addFile(file, relative(root, dirname(file)), await readFile(file), defaultVersion, modules, data)
      }
    } else if (/\.(tar\.gz|tgz)$/.test(root)) {
      files.push(root)
      addBundle(root, await readFile(root), defaultVersion, modules, data)
    } else {
      files.push(root)
      await addFile(root, '', await readFile(root), defaultVersion, modules, data)
    }
  }
  const revision = createHash('sha256')
    .update(canonicalJson({ modules: modules.map((m) => [m.file, m.source, m.regoVersion]), data }))
    .digest('hex')
  return { modules, data, revision, files }
}

async function walk(dir: string): Promise<string[]> {
  const out: string[] = []
  const entries = await readdir(dir, { withFileTypes: true })
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  for (const e of entries) {
    if (e.name.startsWith('.')) continue
    const p = join(dir, e.name)
    if (e.isDirectory()) out.push(...(await walk(p)))
    else if (/\.rego$/.test(e.name) || /^data\.(json|ya?ml)$/.test(e.name)) out.push(p)
  }
  return out
}

async function addFile(
  file: string,
  dataDir: string,
  content: Buffer,
  regoVersion: 0 | 1,
  modules: PolicyModuleSource[],
  data: Record<string, unknown>,
): Promise<void> {
  const name = basename(file)
  if (name.endsWith('.rego')) {
    modules.push({ file, source: content.toString('utf8'), regoVersion })
    return
  }
  const doc = parseData(file, content)
  const path = dataDir === '' ? [] : dataDir.split(sep).filter((p) => p !== '')
  merge(data, path, doc, file)
}

function addBundle(
  file: string,
  content: Buffer,
  defaultVersion: 0 | 1,
  modules: PolicyModuleSource[],
  data: Record<string, unknown>,
): void {
  let entries
  try {
    entries = readTarGz(content)
  } catch (e) {
    throw new PolicySourceError(file, `not a readable bundle: ${(e as Error).message}`)
  }
  let version = defaultVersion
  const perFile: Record<string, number> = {}
  const manifest = entries.find((e) => e.path === '.manifest')
  if (manifest) {
    const m = parseData(`${file}/.manifest`, manifest.content)
    const v = m['rego_version']
    if (v === 0 || v === 1) version = v
    const fv = m['file_rego_versions']
    if (typeof fv === 'object' && fv !== null) Object.assign(perFile, fv)
  }
  for (const e of entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    const name = basename(e.path)
    const inner = `${file}/${e.path}`
    if (name.endsWith('.rego')) {
      const v = perFile[`/${e.path}`] ?? perFile[e.path] ?? version
      modules.push({ file: inner, source: e.content.toString('utf8'), regoVersion: v === 0 ? 0 : 1 })
    } else if (/^data\.(json|ya?ml)$/.test(name)) {
      const dir = dirname(e.path)
      merge(data, dir === '.' ? [] : dir.split('/'), parseData(inner, e.content), inner)
    }
  }
}

function parseData(file: string, content: Buffer): Record<string, unknown> {
  let doc: unknown
  try {
    doc = file.endsWith('.json') || file.endsWith('.manifest') ? JSON.parse(content.toString('utf8')) : parseYaml(content.toString('utf8'))
  } catch (e) {
    throw new PolicySourceError(file, `not valid ${file.endsWith('.json') ? 'JSON' : 'YAML'}: ${(e as Error).message}`)
  }
  if (doc === null || doc === undefined) return {}
  if (typeof doc !== 'object' || Array.isArray(doc)) throw new PolicySourceError(file, 'a data file must hold an object')
  return doc as Record<string, unknown>
}

function merge(target: Record<string, unknown>, path: readonly string[], doc: Record<string, unknown>, file: string): void {
  let cur = target
  for (const p of path) {
    const next = cur[p]
    if (next === undefined) cur[p] = {}
    else if (typeof next !== 'object' || next === null || Array.isArray(next)) throw new PolicySourceError(file, `data conflict at ${path.join('.')}`)
    cur = cur[p] as Record<string, unknown>
  }
  for (const [k, v] of Object.entries(doc)) {
    const existing = cur[k]
    if (existing !== undefined && isObj(existing) && isObj(v)) merge(cur, [k], v, file)
    else if (existing !== undefined) throw new PolicySourceError(file, `data conflict at ${[...path, k].join('.')}`)
    else cur[k] = v
  }
}

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}
