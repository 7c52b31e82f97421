import { createDcrRouter, silentLogger } from '@open-dcr/express'
import {
  createCertificateAuthority,
  createMockDirectory,
  createTppKit,
  type JwksServer,
  kitRegistrationRequest,
  type MockDirectory,
  startJwksServer,
  type TppKit,
  toJwks,
} from '@open-dcr/testkit'
import express from 'express'
import request from 'supertest'
import type { LowdbStore } from '../src/index.js'

const issuer = 'https://bank.example'

let shared: Promise<{ directory: MockDirectory; jwks: JwksServer; kit: TppKit }> | undefined

/** One directory, JWKS server and TPP kit per test file: key generation is the slow part. */
export function sharedPki() {
  shared ??= (async () => {
    const directory = await createMockDirectory()
    const jwks = await startJwksServer()
    const kit = await createTppKit({ directory, ca: createCertificateAuthority(), jwksEndpoint: jwks.endpoint })
    jwks.publish(kit.softwareId, toJwks(kit.signingKey))
    return { directory, jwks, kit }
  })()
  return shared
}

/**
 * A bank app with the DCR router at /bank over a lowdb store (clients and replay claims). Clients
 * are managed with access tokens `token-<clientId>`, not registration access tokens, so a GET
 * reads the store without writing it.
 */
export async function lowdbBank(store: LowdbStore) {
  const { directory, jwks, kit } = await sharedPki()
  const app = express()
  app.use(
    '/bank',
    createDcrRouter({
      issuer,
      profile: 'ob-uk',
      store,
      replayStore: store,
      directories: [{ issuer: directory.issuer, jwks: directory.jwks }],
      softwareJwks: { trustedOrigins: [jwks.url] },
      policy: { tokenEndpointAuthMethods: ['client_secret_basic', 'private_key_jwt'] },
      management: {
        registrationAccessToken: false,
        accessToken: async (token) => (token.startsWith('token-') ? { clientId: token.slice(6) } : undefined),
      },
      logger: silentLogger,
    }),
  )
  return {
    /** A new signed registration request (its own `jti`) for a client with a secret. */
    sign: () =>
      kitRegistrationRequest(kit, {
        audience: issuer,
        metadata: { token_endpoint_auth_method: 'client_secret_basic', token_endpoint_auth_signing_alg: undefined },
      }),
    register: (jwt: string) => request(app).post('/bank/register').set('content-type', 'application/jwt').send(jwt),
    read: (clientId: string) =>
      request(app).get(`/bank/register/${clientId}`).set('authorization', `Bearer token-${clientId}`),
    rotateSecret: (clientId: string) =>
      request(app).post(`/bank/register/${clientId}/client-secret`).set('authorization', `Bearer token-${clientId}`),
  }
}
