import express, { type Router } from 'express'
import { sandboxConfigSchema } from '../config/schema.js'

/** `GET /sandbox/config.schema.json`: the JSON Schema the sandbox validates its config file with. */
export function configSchemaRoutes(): Router {
  const router = express.Router()
  router.get('/sandbox/config.schema.json', (_req, res) => {
    res.type('application/schema+json').json(sandboxConfigSchema)
  })
  return router
}
