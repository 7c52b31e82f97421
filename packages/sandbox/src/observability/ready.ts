import type { ClientStore } from '@open-dcr/express'
import express, { type Router } from 'express'

/** Longest a readiness probe waits for the store. */
const probeTimeoutMs = 2000

/**
 * `GET /ready`: 200 `{"status":"ready"}` when the client store answers a read (a client id that
 * cannot exist) within 2 s, else 503 `{"status":"not_ready"}` with `Retry-After`. `/health` stays
 * the liveness probe: a sandbox whose database is down is alive but should get no traffic.
 */
export function readyRoutes(store: ClientStore): Router {
  const router = express.Router()
  router.get('/ready', async (_req, res) => {
    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error('store probe timed out')), probeTimeoutMs)
    })
    try {
      await Promise.race([store.get('open-dcr-readiness-probe'), timeout])
      res.set('Cache-Control', 'no-store').json({ status: 'ready' })
    } catch {
      // Why the store failed is the store's log line, not the probe's answer.
      res.status(503).set({ 'Cache-Control': 'no-store', 'Retry-After': '5' }).json({ status: 'not_ready' })
    } finally {
      clearTimeout(timer)
    }
  })
  return router
}
