import { folderVariables, kitToDeleteFolder } from './kit-to-delete.js'

type Json = Record<string, unknown>

/** Generated ids are random: dropped (optional in Collection v2.1), so the file is the same on every run. */
function withoutIds(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutIds)
  if (typeof value !== 'object' || value === null) return value
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => key !== 'id' && key !== '_postman_id')
      .map(([key, member]) => [key, withoutIds(member)]),
  )
}

/**
 * Bodies without an example are faked from their schema with random values. The faker keeps the
 * `Math.random` it finds when it loads, and a string generator calls `Math.random` itself: both get
 * this seeded generator, reset for every build, so the committed file is the same on every run.
 */
let seed = 0
function seededRandom(): number {
  seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648
  return seed / 2_147_483_648
}

async function withSeededRandom<T>(work: (converter: typeof import('openapi-to-postmanv2')) => Promise<T>): Promise<T> {
  const random = Math.random
  seed = 20_261_122
  Math.random = seededRandom
  try {
    return await work(await import('openapi-to-postmanv2'))
  } finally {
    Math.random = random
  }
}

/**
 * The Postman collection (v2.1) of the OpenAPI document: every operation, by tag, from
 * openapi-to-postmanv2, with the "Kit to delete" folder first and its variables declared.
 */
export async function buildPostmanCollection(openapiYaml: string): Promise<Json> {
  const converted = await withSeededRandom(
    ({ convert }) =>
      new Promise<Json>((resolve, reject) => {
        convert(
          { type: 'string', data: openapiYaml },
          {
            folderStrategy: 'Tags',
            requestParametersResolution: 'Example',
            exampleParametersResolution: 'Example',
            includeAuthInfoInExample: false,
          },
          (err, result) => {
            const output =
              (result as { result?: boolean; reason?: string; output?: { data: Json }[] } | undefined) ?? {}
            if (err || !output.result || !output.output?.[0])
              reject(err ?? new Error(output.reason ?? 'conversion failed'))
            else resolve(output.output[0].data)
          },
        )
      }),
  )
  const collection = withoutIds(converted) as Json & { item: Json[]; variable?: { key: string; value: string }[] }
  const variables = collection.variable ?? []
  for (const key of folderVariables) {
    if (!variables.some((variable) => variable.key === key))
      variables.push({ key, value: key === 'brand' ? 'northbank-personal' : '' })
  }
  return {
    ...collection,
    info: { ...(collection.info as Json), _postman_id: '6f1b6f2e-2a55-4c56-9d0a-0d4c0b1f7e01' },
    variable: variables,
    item: [kitToDeleteFolder(), ...collection.item],
  }
}
