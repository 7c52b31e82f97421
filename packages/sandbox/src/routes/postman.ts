import express, { type Router } from 'express'
import { baseUrl } from '../base-url.js'
import { loadPostmanCollection } from '../openapi.js'

/**
 * `GET /sandbox/postman-collection.json`: the Postman collection (v2.1) generated from the OpenAPI
 * document, its `baseUrl` variable set to the listener that served it. Import it in Postman (or run
 * its "Kit to delete" folder with newman) to go from a kit to a deleted client without copying.
 */
export function postmanRoutes(): Router {
  const router = express.Router()
  const collection = loadPostmanCollection()
  const variables = (collection.variable ?? []) as { key: string; value: string }[]
  router.get('/sandbox/postman-collection.json', (req, res) => {
    const here = baseUrl(req)
    const variable = variables.map((entry) => (entry.key === 'baseUrl' ? { ...entry, value: here } : entry))
    res
      .type('json')
      .attachment('open-dcr-sandbox.postman_collection.json')
      .json({ ...collection, variable })
  })
  return router
}
