import { existsSync, readFileSync } from 'node:fs'
import { parse } from 'yaml'

/**
 * Where the OpenAPI document is: the package's own copy (put there when it is packed), else the
 * repository's `openapi/open-dcr.yaml` (running from the workspace).
 */
const candidates = [
  new URL('../openapi/open-dcr.yaml', import.meta.url),
  new URL('../../../openapi/open-dcr.yaml', import.meta.url),
]

/** The OpenAPI document, parsed once. */
export function loadOpenApi(): Record<string, unknown> {
  const file = candidates.find((candidate) => existsSync(candidate))
  if (!file) throw new Error('open-dcr.yaml not found beside the sandbox package nor in the repository')
  return parse(readFileSync(file, 'utf8')) as Record<string, unknown>
}
