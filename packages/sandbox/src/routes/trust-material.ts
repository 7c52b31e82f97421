import express, { type Router } from 'express'
import type { SandboxState } from '../state.js'

/** The public keys and certificates TPPs trust: `GET /directory/jwks` (mock directory) and `GET /sandbox/ca.pem` (sandbox root). */
export function trustMaterialRoutes(state: SandboxState): Router {
  const router = express.Router()
  router.get('/directory/jwks', (_req, res) => {
    res.json(state.directory.jwks)
  })
  router.get('/sandbox/ca.pem', (_req, res) => {
    res.type('application/x-pem-file').send(state.ca.certPem)
  })
  return router
}
