import { readFile } from 'node:fs/promises'
import { InvalidArgumentError } from 'commander'
import type { KitFile } from '../cli-register.js'

/** Parses a JSON object option (`--metadata`). */
export const jsonObject = (value: string): Record<string, unknown> => {
  try {
    const parsed = JSON.parse(value) as unknown
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed))
      return parsed as Record<string, unknown>
  } catch {}
  throw new InvalidArgumentError('must be JSON')
}

/** Parses a comma-separated list option (`--redirect-uris`). */
export const list = (value: string): string[] =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean)

/** Collects a repeatable option (`--unset a --unset b`), also comma-separated. */
export const collect = (value: string, previous: string[] = []): string[] => [...previous, ...list(value)]

/** Reads a kit JSON file as `open-dcr kit create` wrote it. */
export const readKit = async (path: string): Promise<KitFile> => JSON.parse(await readFile(path, 'utf8')) as KitFile
