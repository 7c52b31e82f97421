import { readFile } from 'node:fs/promises'
import type { RunningSandbox } from '@open-dcr/sandbox'
import newman from 'newman'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parse as parseYaml } from 'yaml'
import { buildPostmanCollection } from '../scripts/postman/collection.js'
import { cleanUp, sandbox } from './helpers.js'

// The collection is checked by Postman's own runner (newman): it loads it as a v2.1 collection and
// runs the "Kit to delete" folder against a live sandbox, every request's tests included.

interface Item {
  name: string
  item?: Item[]
  request?: { method: string; url: string | { raw?: string; path?: string[] } }
}

const yamlFile = new URL('../openapi/open-dcr.yaml', import.meta.url)
const collectionFile = new URL('../openapi/open-dcr.postman_collection.json', import.meta.url)
let bank: RunningSandbox
let served: { item: Item[]; variable: { key: string; value: string }[] }

beforeAll(async () => {
  bank = await sandbox()
  const res = await fetch(`${bank.urls.http}/sandbox/postman-collection.json`)
  expect(res.status).toBe(200)
  expect(res.headers.get('content-disposition')).toContain('open-dcr-sandbox.postman_collection.json')
  served = (await res.json()) as typeof served
})
afterAll(async () => {
  await bank?.close()
  await cleanUp()
})

const requests = (items: Item[]): Item[] => items.flatMap((item) => (item.item ? requests(item.item) : [item]))

describe('the Postman collection', () => {
  it('is the one pnpm openapi:postman writes from the OpenAPI document (committed in step)', async () => {
    const committed = JSON.parse(await readFile(collectionFile, 'utf8')) as unknown
    expect(committed).toEqual(await buildPostmanCollection(await readFile(yamlFile, 'utf8')))
  })

  it('has a request for every operation of the OpenAPI document', async () => {
    const document = parseYaml(await readFile(yamlFile, 'utf8')) as { paths: Record<string, Record<string, unknown>> }
    const operations = Object.entries(document.paths).flatMap(([path, item]) =>
      ['get', 'post', 'put', 'delete']
        .filter((method) => item[method])
        .map((method) => `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`),
    )
    const generated = served.item.slice(1).flatMap((folder) => requests(folder.item ?? []))
    const present = new Set(
      generated.map((item) => {
        const url = item.request?.url
        const path = typeof url === 'object' ? `/${(url.path ?? []).join('/')}` : ''
        return `${item.request?.method} ${path}`
      }),
    )
    expect(operations.length).toBeGreaterThan(30)
    expect(operations.filter((operation) => !present.has(operation))).toEqual([])
  })

  it('is served with baseUrl set to the listener that served it, and the kit-to-delete folder first, in order', () => {
    expect(served.variable.find((variable) => variable.key === 'baseUrl')?.value).toBe(bank.urls.http)
    const [folder] = served.item
    expect(folder?.name).toBe('Kit to delete')
    expect(folder?.item?.map((item) => item.name)).toEqual([
      '1. Create a TPP kit',
      '2. Build the signed registration request',
      '3. Register the client',
      '4. Get an access token (client_credentials)',
      '5. Read the client',
      '6. Rotate the client secret',
      '7. Delete the client',
    ])
  })

  it('runs its "Kit to delete" folder in newman against the sandbox: every request and test passes', async () => {
    const summary = await new Promise<newman.NewmanRunSummary>((resolve, reject) => {
      newman.run(
        { collection: served as never, folder: 'Kit to delete', reporters: [], timeoutRequest: 60_000 },
        (err, result) => (err ? reject(err) : resolve(result)),
      )
    })
    const failures = summary.run.failures.map((failure) => `${failure.source?.name}: ${failure.error.message}`)
    expect(failures).toEqual([])
    expect(summary.run.stats.requests.total).toBe(7)
    expect(summary.run.stats.assertions.total).toBe(7)
    expect(summary.run.stats.assertions.failed).toBe(0)
    const statuses = summary.run.executions.map((execution) => execution.response?.code)
    expect(statuses).toEqual([201, 200, 201, 200, 200, 200, 204])
    // The client it registered is gone again.
    const registered = summary.run.executions[2]?.response?.stream?.toString('utf8') ?? '{}'
    const clientId = String((JSON.parse(registered) as { client_id?: string }).client_id)
    expect(clientId).toMatch(/^[0-9a-f-]{36}$/)
    expect(await bank.store.get(clientId)).toBeUndefined()
  })
})
