import { generateKeyPairSync } from 'node:crypto'
import type { IncomingMessage, RequestListener } from 'node:http'
import { createLocalJWKSet, type JWK, jwtVerify } from 'jose'
import Provider from 'oidc-provider'
import type { TrustSpec } from '../harness/fixture.js'
import { peerRegistrationPath } from '../harness/protocol.js'

const bodyLimit = 64 * 1024

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length
    if (size > bodyLimit) throw new Error('request body too large')
    chunks.push(chunk)
  }
  return JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>
}

/**
 * The peer: panva's oidc-provider with dynamic registration on (memory adapter, its default), plus
 * what a bank on it must add for UK OB: one middleware that verifies the software statement with
 * jose's `jwtVerify` against the directory's keys and takes the software's identity and key set
 * from it. No request JWS (the body is JSON metadata), no replay store. Mutual TLS is left to the
 * TLS terminator, as for open-dcr.
 */
export async function oidcProviderServer(
  trust: TrustSpec,
  onRegistered: () => void,
): Promise<{ handler: RequestListener; close(): Promise<void> }> {
  const signingKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' }) as JWK
  const provider = new Provider(trust.issuer, {
    jwks: { keys: [{ ...signingKey, kid: 'bank-1', use: 'sig' }] },
    features: {
      registration: { enabled: true },
      clientCredentials: { enabled: true },
      devInteractions: { enabled: false },
    },
    routes: { registration: peerRegistrationPath },
    scopes: ['openid', 'offline_access', 'accounts', 'payments', 'fundsconfirmations'],
    responseTypes: ['code id_token', 'code'],
    enabledJWA: {
      idTokenSigningAlgValues: ['PS256', 'RS256'],
      requestObjectSigningAlgValues: ['PS256', 'ES256'],
      clientAuthSigningAlgValues: ['PS256', 'ES256'],
    },
    extraClientMetadata: { properties: ['software_id', 'org_id', 'software_statement'] },
  })
  provider.on('registration_create.success', onRegistered)

  const directoryKeys = createLocalJWKSet(trust.directoryJwks)
  provider.use(async (ctx, next) => {
    if (ctx.method === 'POST' && ctx.path === peerRegistrationPath) {
      const { software_statement, jti: _unique, ...metadata } = await readJson(ctx.req)
      let claims: Record<string, unknown>
      try {
        const verified = await jwtVerify(String(software_statement), directoryKeys, {
          issuer: trust.directoryIssuer,
          algorithms: ['PS256', 'ES256'],
        })
        claims = verified.payload
      } catch (err) {
        ctx.status = 400
        ctx.body = { error: 'invalid_software_statement', error_description: (err as Error).message }
        return
      }
      // oidc-provider reads an already parsed body (and warns once that it did).
      ;(ctx.request as { body?: unknown }).body = {
        ...metadata,
        software_id: claims.software_id,
        org_id: claims.org_id,
        jwks_uri: claims.software_jwks_endpoint,
        software_statement,
      }
    }
    await next()
  })
  return { handler: provider.callback(), close: async () => {} }
}
