import { readFileSync } from 'node:fs'
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js'
import addFormatsModule from 'ajv-formats'
import { parse } from 'yaml'

type Json = Record<string, unknown>

const spec = parse(readFileSync(new URL('../openapi/open-dcr.yaml', import.meta.url), 'utf8')) as Json
const ajv = new Ajv2020({ strict: false, allErrors: true })
// ajv-formats is CommonJS; its default export arrives wrapped under ESM.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (
  a: Ajv2020,
) => void
addFormats(ajv)
ajv.addSchema(spec, 'open-dcr')

const paths = Object.entries(spec.paths as Record<string, Json>).map(([template, item]) => ({
  template,
  item,
  pattern: new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`),
  params: (template.match(/\{/g) ?? []).length,
}))
// Literal segments win over parameters (e.g. /sandbox/tpps before /{brand}/...).
paths.sort((a, b) => a.params - b.params)

const resolve = (node: Json | undefined): Json | undefined => {
  const ref = node?.$ref
  if (typeof ref !== 'string') return node
  return ref
    .replace(/^#\//, '')
    .split('/')
    .reduce<unknown>((at, key) => (at as Json | undefined)?.[key], spec) as Json | undefined
}

const compiled = new Map<string, ValidateFunction>()

/**
 * Checks a response against the spec: the operation (path and method) and the status must be
 * described, and a JSON body must match the described schema. Throws a readable error otherwise.
 */
export function assertResponseMatchesSpec(
  method: string,
  url: string,
  status: number,
  body: unknown,
  contentType: string | null,
): void {
  const path = new URL(url).pathname
  if (path.startsWith('/docs')) return
  const candidates = paths.filter((entry) => entry.pattern.test(path) && entry.item[method.toLowerCase()] !== undefined)
  const entry = candidates[0]
  if (!entry) throw new Error(`OpenAPI: ${method} ${path} is not described`)
  const operation = entry.item[method.toLowerCase()] as Json
  const responses = operation.responses as Record<string, Json>
  const response = resolve(responses[String(status)])
  if (!response) throw new Error(`OpenAPI: ${method} ${entry.template} does not describe status ${status}`)
  if (!contentType?.includes('application/json')) return
  const content = response.content as Record<string, { schema?: Json }> | undefined
  const schema = content?.['application/json']?.schema
  if (!schema) throw new Error(`OpenAPI: ${method} ${entry.template} ${status} describes no JSON body`)
  const key = `${method} ${entry.template} ${status}`
  let validate = compiled.get(key)
  if (!validate) {
    const pointer = `${['paths', entry.template, method.toLowerCase(), 'responses', String(status)].map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`
    const rooted =
      typeof (responses[String(status)] as Json).$ref === 'string'
        ? `${(responses[String(status)] as Json).$ref}`
        : `#/${pointer}`
    validate = ajv.compile({ $ref: `open-dcr${rooted}/content/application~1json/schema` })
    compiled.set(key, validate)
  }
  if (!validate(body)) {
    throw new Error(
      `OpenAPI: ${key} body does not match the spec: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(body).slice(0, 400)}`,
    )
  }
}

/** Every `examples` entry attached to a JSON response, with the schema it must satisfy. */
export function responseExamples(): { where: string; value: unknown; validate: ValidateFunction }[] {
  const found: { where: string; value: unknown; validate: ValidateFunction }[] = []
  for (const [template, item] of Object.entries(spec.paths as Record<string, Json>)) {
    for (const [method, operation] of Object.entries(item)) {
      const responses = (operation as Json).responses as Record<string, Json> | undefined
      for (const [status, raw] of Object.entries(responses ?? {})) {
        const ref = typeof raw.$ref === 'string' ? raw.$ref : undefined
        const response = resolve(raw)
        const media = (response?.content as Record<string, Json> | undefined)?.['application/json']
        for (const [name, example] of Object.entries((media?.examples as Record<string, Json> | undefined) ?? {})) {
          const pointer =
            ref ??
            `#/${['paths', template, method, 'responses', status].map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`
          found.push({
            where: `${method.toUpperCase()} ${template} ${status} (${name})`,
            value: resolve(example)?.value,
            validate: ajv.compile({ $ref: `open-dcr${pointer}/content/application~1json/schema` }),
          })
        }
      }
    }
  }
  return found
}
