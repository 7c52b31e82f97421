import { describe, expect, it } from 'vitest'
import { generateSigningKey, startJwksServer, toJwks } from '../src/index.js'

describe('startJwksServer', () => {
  it('publishes key sets per software on 127.0.0.1 and counts fetches', async () => {
    const server = await startJwksServer()
    try {
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
      const jwks = toJwks(await generateSigningKey('ES256'))
      server.publish('soft-1', jwks)
      expect(await fetch(server.endpoint('soft-1')).then((r) => r.json())).toEqual(jwks)
      expect((await fetch(server.endpoint('other'))).status).toBe(404)
      expect(server.fetches('soft-1')).toBe(1)
      expect(server.fetches('other')).toBe(0)
    } finally {
      await server.close()
    }
  })
})
