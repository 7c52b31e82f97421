// `pnpm openapi:postman`: writes openapi/open-dcr.postman_collection.json from openapi/open-dcr.yaml.
// test/postman.e2e.test.ts fails while the committed file differs from what this writes.
import { readFile, writeFile } from 'node:fs/promises'
import { buildPostmanCollection } from './postman/collection.js'

const yaml = await readFile(new URL('../openapi/open-dcr.yaml', import.meta.url), 'utf8')
const collection = await buildPostmanCollection(yaml)
await writeFile(
  new URL('../openapi/open-dcr.postman_collection.json', import.meta.url),
  `${JSON.stringify(collection, null, 2)}\n`,
)
console.log('openapi/open-dcr.postman_collection.json written')
