import type { RequestListener } from 'node:http'
import { createDcr, type ManagementOptions } from '@open-dcr/express'
import express from 'express'
import type { TrustSpec } from '../harness/fixture.js'
import type { ManagementSpec, StoreSpec } from '../harness/protocol.js'
import { quietLogger } from '../harness/quiet-logger.js'
import { instrumented, openStore } from '../harness/stores.js'

/** Prefix of the stand-in OB access tokens the scale benchmark sends: `bench-at.<clientId>`. */
export const accessTokenPrefix = 'bench-at.'

/**
 * Stand-in for the bank's access token check (introspection or a JWT verified by the token
 * endpoint's key): the token names its client. No store access, so a GET measures the store read.
 */
const management = (spec: ManagementSpec): ManagementOptions =>
  spec === 'access-token'
    ? {
        registrationAccessToken: false,
        accessToken: async (token) =>
          token.startsWith(accessTokenPrefix) ? { clientId: token.slice(accessTokenPrefix.length) } : undefined,
      }
    : {}

/**
 * open-dcr as a bank would mount it: the `ob-uk` profile (SSA verified against the directory's
 * keys, request JWS verified with the software's keys fetched from its JWKS endpoint, claims,
 * metadata policy, secret hashing, durable store write, replay claim). Mutual TLS is left to the
 * TLS terminator, as for the oidc-provider peer: no client certificate is checked here.
 */
export async function openDcrServer(
  trust: TrustSpec,
  storeSpec: StoreSpec,
  managementSpec: ManagementSpec,
  onRegistered: () => void,
): Promise<{ handler: RequestListener; close(): Promise<void> }> {
  const { store, replayStore, close, quiet } = instrumented(await openStore(storeSpec), onRegistered)
  const dcr = createDcr({
    issuer: trust.issuer,
    profile: 'ob-uk',
    store,
    replayStore,
    directories: [{ issuer: trust.directoryIssuer, jwks: trust.directoryJwks }],
    softwareJwks: { trustedOrigins: [trust.jwksOrigin] },
    management: management(managementSpec),
    logger: quietLogger,
  })
  const app = express()
  app.use(dcr.router)
  return {
    handler: app,
    async close() {
      await quiet(300, 10_000)
      await close()
    },
  }
}
