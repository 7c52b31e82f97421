import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { JSONWebKeySet } from 'jose'

/** A local HTTP server publishing software JWKS at `/{softwareId}/jwks`. */
export interface JwksServer {
  /** Base URL, e.g. `http://127.0.0.1:53211`. */
  url: string
  /** The URL at which `softwareId`'s keys are published. */
  endpoint(softwareId: string): string
  /** Publishes (or replaces) a software's key set. */
  publish(softwareId: string, jwks: JSONWebKeySet): void
  /** How many times each software's JWKS was fetched. */
  fetches(softwareId: string): number
  close(): Promise<void>
}

/**
 * Starts a JWKS server on 127.0.0.1 and an ephemeral port, for tests of code that fetches
 * `software_jwks_endpoint` (a bank allowing http endpoints in its tests, or a TPP's own tests).
 *
 * @example
 * const jwks = await startJwksServer()
 * jwks.publish(kit.softwareId, toJwks(kit.signingKey))
 */
export async function startJwksServer(): Promise<JwksServer> {
  const sets = new Map<string, JSONWebKeySet>()
  const counts = new Map<string, number>()
  const server = createServer((req, res) => {
    const match = /^\/([^/]+)\/jwks$/.exec(req.url ?? '')
    const id = match?.[1] ? decodeURIComponent(match[1]) : undefined
    const jwks = id === undefined ? undefined : sets.get(id)
    if (id === undefined || !jwks) {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not_found"}')
      return
    }
    counts.set(id, (counts.get(id) ?? 0) + 1)
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(jwks))
  })
  server.keepAliveTimeout = 1000
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    url,
    endpoint: (softwareId) => `${url}/${encodeURIComponent(softwareId)}/jwks`,
    publish: (softwareId, jwks) => sets.set(softwareId, jwks),
    fetches: (softwareId) => counts.get(softwareId) ?? 0,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections()
        server.close((err) => (err ? reject(err) : resolve()))
      }),
  }
}
