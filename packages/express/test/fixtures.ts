import {
  type CertificateAuthority,
  createCertificateAuthority,
  createMockDirectory,
  createTppKit,
  type JwksServer,
  kitRegistrationRequest,
  type MockDirectory,
  type RequestMetadata,
  startJwksServer,
  type TppKit,
  type TppKitOptions,
  toJwks,
} from '@open-dcr/testkit'
import express from 'express'
import request from 'supertest'
import {
  type ClientRecord,
  type ClientStore,
  createDcrRouter,
  createMemoryClientStore,
  createMemoryReplayStore,
  type DcrOptions,
  type ReplayStore,
  silentLogger,
} from '../src/index.js'

export const issuer = 'https://bank.example'

let shared: Promise<{ ca: CertificateAuthority; directory: MockDirectory; jwks: JwksServer }> | undefined

/** One CA, directory and JWKS server per test file: key generation is the slow part. */
export function sharedPki() {
  shared ??= (async () => ({
    ca: createCertificateAuthority(),
    directory: await createMockDirectory(),
    jwks: await startJwksServer(),
  }))()
  return shared
}

/** A kit whose JWKS the shared server publishes. */
export async function newKit(options: Partial<TppKitOptions> = {}): Promise<TppKit> {
  const { ca, directory, jwks } = await sharedPki()
  const kit = await createTppKit({ directory, ca, jwksEndpoint: jwks.endpoint, ...options })
  jwks.publish(kit.softwareId, toJwks(kit.signingKey))
  return kit
}

/** A client store that also lists what was created, to assert that nothing was stored. */
export function recordingStore(): ClientStore & { created: ClientRecord[] } {
  const store = createMemoryClientStore({ logger: silentLogger })
  const created: ClientRecord[] = []
  return {
    ...store,
    created,
    async create(record) {
      await store.create(record)
      created.push(record)
    },
  }
}

/** A replay store that also lists the keys it granted, to assert that a refused request left no claim. */
export function recordingReplayStore(store: ReplayStore): ReplayStore & { claims: string[] } {
  const claims: string[] = []
  return {
    claims,
    async claim(key, expiresAt) {
      const granted = await store.claim(key, expiresAt)
      if (granted) claims.push(key)
      return granted
    },
  }
}

/** A bank app with the DCR router at /bank, memory stores and a controllable clock. */
export async function bankApp(overrides: Partial<DcrOptions> = {}) {
  const { directory, jwks } = await sharedPki()
  const clock = { now: Date.now() }
  const store = recordingStore()
  const replay = recordingReplayStore(createMemoryReplayStore({ logger: silentLogger, now: () => clock.now }))
  const app = express()
  app.use(
    '/bank',
    createDcrRouter({
      issuer,
      profile: 'ob-uk',
      store,
      replayStore: replay,
      directories: [{ issuer: directory.issuer, jwks: directory.jwks }],
      softwareJwks: { trustedOrigins: [jwks.url] },
      logger: silentLogger,
      now: () => clock.now,
      ...overrides,
    }),
  )
  const register = (body: string, contentType = 'application/jose') =>
    request(app).post('/bank/register').set('content-type', contentType).send(body)
  const sign = (
    kit: TppKit,
    metadata: RequestMetadata = {},
    extra: { lifetime?: number; jti?: string; audience?: string; now?: number } = {},
  ) => kitRegistrationRequest(kit, { audience: extra.audience ?? issuer, metadata, now: clock.now, ...extra })
  return { app, store, replay, clock, register, sign }
}
