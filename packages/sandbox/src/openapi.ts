import { existsSync, readFileSync } from 'node:fs'
import { parse } from 'yaml'

/**
 * A file of the repository's `openapi/` folder: the package's own copy (put there when it is
 * packed), else the repository's (running from the workspace).
 */
function openapiFile(name: string): URL {
  const candidates = [
    new URL(`../openapi/${name}`, import.meta.url),
    new URL(`../../../openapi/${name}`, import.meta.url),
  ]
  const found = candidates.find((candidate) => existsSync(candidate))
  if (!found) throw new Error(`${name} not found beside the sandbox package nor in the repository`)
  return found
}

/** The OpenAPI document, parsed once. */
export function loadOpenApi(): Record<string, unknown> {
  return parse(readFileSync(openapiFile('open-dcr.yaml'), 'utf8')) as Record<string, unknown>
}

/** The Postman collection generated from it (`pnpm openapi:postman`). */
export function loadPostmanCollection(): Record<string, unknown> {
  return JSON.parse(readFileSync(openapiFile('open-dcr.postman_collection.json'), 'utf8')) as Record<string, unknown>
}
