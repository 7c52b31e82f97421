import { readFileSync } from 'node:fs'
import { parse } from 'yaml'

/** The OpenAPI document (openapi/open-dcr.yaml at the repository root), parsed once. */
export function loadOpenApi(): Record<string, unknown> {
  const file = new URL('../../../openapi/open-dcr.yaml', import.meta.url)
  return parse(readFileSync(file, 'utf8')) as Record<string, unknown>
}
