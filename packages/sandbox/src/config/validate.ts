import type { ErrorObject } from 'ajv'
import { Ajv2020 } from 'ajv/dist/2020.js'
import { sandboxConfigSchema } from './schema.js'

/** One thing wrong in a config file: where (in the file's own terms, e.g. `brands[3].mtls`) and what. */
export interface ConfigProblem {
  path: string
  message: string
}

/** A config file that does not validate; the message lists every problem, one a line. */
export class SandboxConfigError extends Error {
  constructor(
    readonly problems: readonly ConfigProblem[],
    source = 'sandbox config',
  ) {
    super(`${source}:\n${problems.map((p) => `  ${p.path}: ${p.message}`).join('\n')}`)
    this.name = 'SandboxConfigError'
  }
}

const ajv = new Ajv2020({ allErrors: true, strict: true, verbose: true })
// Our own annotation: the message an author reads when a pattern does not match.
ajv.addKeyword({ keyword: 'x-message', schemaType: 'string' })
const validate = ajv.compile(sandboxConfigSchema)

/** `/brands/3/mtls` → `brands[3].mtls`. */
export function jsonPath(pointer: string, key?: string): string {
  const segments = pointer.split('/').slice(1)
  if (key !== undefined) segments.push(key)
  const path = segments
    .map((raw) => raw.replaceAll('~1', '/').replaceAll('~0', '~'))
    .map((segment, index) => (/^\d+$/.test(segment) ? `[${segment}]` : index === 0 ? segment : `.${segment}`))
    .join('')
  return path === '' ? '(root)' : path
}

const typeNames: Record<string, string> = {
  object: 'an object',
  array: 'an array',
  string: 'a string',
  boolean: 'true or false',
  integer: 'a whole number',
  number: 'a number',
}

const quoted = (values: readonly unknown[]) => values.map((value) => JSON.stringify(value)).join(', ')

/** Edit distance, to suggest the key an author probably meant. */
function distance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, i) => i)
  for (let i = 1; i <= a.length; i++) {
    const next = [i]
    for (let j = 1; j <= b.length; j++) {
      next[j] = Math.min((row[j] ?? 0) + 1, (next[j - 1] ?? 0) + 1, (row[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1))
    }
    row = next
  }
  return row[b.length] ?? 0
}

function unknownKey(key: string, parentSchema: unknown): string {
  const known = Object.keys((parentSchema as { properties?: object }).properties ?? {})
  const near = known
    .map((name) => ({ name, d: distance(key.toLowerCase(), name.toLowerCase()) }))
    .filter(({ d }) => d <= Math.max(2, Math.floor(key.length / 3)))
    .sort((x, y) => x.d - y.d)[0]
  return near ? `unknown key (did you mean "${near.name}"?)` : `unknown key (known: ${known.join(', ')})`
}

/** An Ajv error in the file's own terms. */
function describe(error: ErrorObject): ConfigProblem {
  const at = jsonPath(error.instancePath)
  const params = error.params as Record<string, unknown>
  const custom = (error.parentSchema as Record<string, unknown> | undefined)?.['x-message']
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String(params.additionalProperty)
      return { path: jsonPath(error.instancePath, key), message: unknownKey(key, error.parentSchema) }
    }
    case 'required':
      return { path: jsonPath(error.instancePath, String(params.missingProperty)), message: 'is required' }
    case 'type':
      return { path: at, message: `must be ${typeNames[String(params.type)] ?? String(params.type)}` }
    case 'enum':
      return { path: at, message: `must be one of ${quoted(params.allowedValues as unknown[])}` }
    case 'minLength':
      return {
        path: at,
        message:
          params.limit === 1 ? 'must be a non-empty string' : `must be at least ${String(params.limit)} characters`,
      }
    case 'minimum':
      return { path: at, message: `must be at least ${String(params.limit)}` }
    case 'maximum':
      return { path: at, message: `must be at most ${String(params.limit)}` }
    case 'minItems':
      return { path: at, message: `must list at least ${String(params.limit)}` }
    case 'uniqueItems':
      return { path: at, message: `lists the same value twice (items ${String(params.j)} and ${String(params.i)})` }
    case 'pattern':
      return { path: at, message: typeof custom === 'string' ? custom : `must match ${String(params.pattern)}` }
    default:
      return { path: at, message: error.message ?? 'is not valid' }
  }
}

/** The problems the schema finds in a parsed config document (none: it is valid). */
export function schemaProblems(document: unknown): ConfigProblem[] {
  if (validate(document)) return []
  return (validate.errors ?? []).map(describe)
}
