import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { CliError } from './cli-error.js'
import type { CliIo } from './cli-io.js'

async function readStdin(io: CliIo): Promise<string> {
  let text = ''
  for await (const chunk of io.stdin) text += typeof chunk === 'string' ? chunk : chunk.toString('utf8')
  return text
}

/**
 * Reads a JSON document given as `--input`: inline JSON, `@path/to/file.json`, or `-` for
 * standard input. Errors name the option and the source.
 */
export async function readJsonArgument(value: string, option: string, io: CliIo): Promise<unknown> {
  let text: string
  let source: string
  if (value === '-') {
    text = await readStdin(io)
    source = 'standard input'
  } else if (value.startsWith('@')) {
    const file = resolve(io.cwd, value.slice(1))
    try {
      text = await readFile(file, 'utf8')
    } catch (e) {
      throw new CliError(`${option}: cannot read ${file}: ${(e as Error).message}`)
    }
    source = file
  } else {
    text = value
    source = 'the argument'
  }
  try {
    return JSON.parse(text)
  } catch (e) {
    throw new CliError(`${option}: ${source} is not JSON: ${(e as Error).message}`)
  }
}
