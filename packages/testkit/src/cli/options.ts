import { readFile } from 'node:fs/promises'
import { InvalidArgumentError } from 'commander'
import type { KitFile } from '../cli-register.js'

/** Parses a JSON object option (`--metadata`). */
export const jsonObject = (value: string): Record<string, unknown> => {
  let parsed: unknown
  try {
    parsed = JSON.parse(value)
  } catch {}
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new InvalidArgumentError('must be a JSON object')
  const nulls = Object.keys(parsed).filter((name) => (parsed as Record<string, unknown>)[name] === null)
  if (nulls.length > 0) {
    // RFC 7592 drops a field by leaving it out of the update, not by sending null.
    throw new InvalidArgumentError(
      `${nulls.map((name) => `"${name}"`).join(', ')} is null: to drop a field use \`client update --unset ${nulls[0]}\``,
    )
  }
  return parsed as Record<string, unknown>
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
