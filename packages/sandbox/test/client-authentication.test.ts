import { createMemoryClientStore, createMemoryReplayStore, createTrustStore, silentLogger } from '@open-dcr/express'
import { createCertificateAuthority, generateSigningKey, signClientAssertion, toJwks } from '@open-dcr/testkit'
import type { Request } from 'express'
import { describe, expect, it } from 'vitest'
import { createClientKeyResolver } from '../src/client-keys.js'
import { authenticateClient } from '../src/token/client-authentication.js'

const request = { get: () => undefined, socket: {} } as unknown as Request

describe('private_key_jwt client authentication', () => {
  it('tries each key of the software JWKS when the assertion has no kid', async () => {
    const [first, second, third] = await Promise.all([
      generateSigningKey('PS256'),
      generateSigningKey('ES256'),
      generateSigningKey('PS256'),
    ])
    if (!first || !second || !third) throw new Error('keys')
    const store = {
      ...createMemoryClientStore({ logger: silentLogger }),
      ...createMemoryReplayStore({ logger: silentLogger }),
    }
    await store.create({
      clientId: 'c1',
      tenant: 'bank',
      metadata: { token_endpoint_auth_method: 'private_key_jwt', software_jwks: toJwks(first, second, third) },
      secrets: [],
      createdAt: 0,
      updatedAt: 0,
      version: 1,
    })
    const context = {
      tenant: 'bank',
      store,
      now: Date.now,
      assertionAudiences: ['https://bank.example/token'],
      dnAnyOrder: false,
      algorithms: ['PS256', 'ES256'],
      trust: createTrustStore([createCertificateAuthority().certPem], [], 'test'),
      clientKeys: createClientKeyResolver({ trustedOrigins: [] }),
    }
    const form = (assertion: string) => ({
      grant_type: 'client_credentials',
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: assertion,
    })
    const byThird = await signClientAssertion({
      key: third.privateKey,
      clientId: 'c1',
      audience: 'https://bank.example/token',
    })
    expect((await authenticateClient(request, form(byThird), context)).record.clientId).toBe('c1')
    const stranger = await generateSigningKey('PS256')
    const byStranger = await signClientAssertion({
      key: stranger.privateKey,
      clientId: 'c1',
      audience: 'https://bank.example/token',
    })
    await expect(authenticateClient(request, form(byStranger), context)).rejects.toThrow(
      /does not verify with the software's keys/,
    )
  })
})
