import { createServer, request } from 'node:http'
import type { AddressInfo } from 'node:net'

/** A reverse proxy standing in for a bank's load balancer in front of several instances. */
export interface LoadBalancer {
  url: string
  /** Base URLs of the instances; set once they listen. */
  backends: string[]
  /** How many requests each backend got. */
  served: number[]
  close(): Promise<void>
}

/** The header that pins a request to one backend (its index), so a test says which instance answers. */
export const backendHeader = 'x-test-backend'

/**
 * Forwards each request, Host header and all, to a backend: the one `x-test-backend` names, else
 * the next in turn. Answers 502 when the backend cannot be reached.
 */
export async function startLoadBalancer(): Promise<LoadBalancer> {
  const balancer: LoadBalancer = { url: '', backends: [], served: [], close: async () => {} }
  let next = 0
  const server = createServer((req, res) => {
    const pinned = req.headers[backendHeader]
    const index = typeof pinned === 'string' ? Number(pinned) : next++ % Math.max(balancer.backends.length, 1)
    const backend = balancer.backends[index]
    if (!backend) {
      res.writeHead(502).end()
      return
    }
    balancer.served[index] = (balancer.served[index] ?? 0) + 1
    const headers = { ...req.headers }
    delete headers[backendHeader]
    const target = new URL(req.url ?? '/', backend)
    const upstream = request(target, { method: req.method, headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers)
      answer.pipe(res)
    })
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502)
      res.end()
    })
    req.pipe(upstream)
  })
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
  const { port } = server.address() as AddressInfo
  balancer.url = `http://127.0.0.1:${port}`
  balancer.close = () =>
    new Promise<void>((done) => {
      server.close(() => done())
      server.closeAllConnections()
    })
  return balancer
}
