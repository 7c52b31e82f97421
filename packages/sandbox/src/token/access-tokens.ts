import { randomUUID } from 'node:crypto'
import type { AccessTokenVerifier, Clock, RegistrationAuthVerifier } from '@open-dcr/express'
import type { SigningKey } from '@open-dcr/testkit'
import { createLocalJWKSet, jwtVerify, SignJWT } from 'jose'

/** What an issued access token says. */
export interface AccessTokenClaims {
  issuer: string
  clientId: string
  scope: string
  /** RFC 8705 `x5t#S256` of the certificate the client presented, if any. */
  certificateThumbprint?: string
}

/** Issues and checks one brand's access tokens: JWTs signed with the brand's key, so any sandbox instance can verify them. */
export interface AccessTokens {
  issue(claims: AccessTokenClaims): Promise<{ token: string; expiresIn: number }>
  /** The middleware's `management.accessToken` verifier. */
  verify: AccessTokenVerifier
  /** A "DCR service" token for a developer-portal app (eIDAS brands). */
  issuePortal(appId: string, issuer: string): Promise<{ token: string; expiresIn: number }>
  /** The middleware's `registrationAuth` verifier. */
  verifyPortal: RegistrationAuthVerifier
}

/** Creates the access-token issuer and verifier of brand `brandId`. */
export function createAccessTokens(brandId: string, key: SigningKey, lifetime: number, now: Clock): AccessTokens {
  const keys = createLocalJWKSet({ keys: [key.publicJwk] })
  const portalAudience = `${brandId}:dcr-service`
  return {
    async issuePortal(appId, issuer) {
      const at = Math.floor(now() / 1000)
      const token = await new SignJWT({ client_id: appId, scope: 'dcr' })
        .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'at+jwt' })
        .setIssuer(issuer)
        .setSubject(appId)
        .setAudience(portalAudience)
        .setIssuedAt(at)
        .setExpirationTime(at + lifetime)
        .setJti(randomUUID())
        .sign(key.privateKey)
      return { token, expiresIn: lifetime }
    },
    async verifyPortal(token) {
      try {
        const { payload } = await jwtVerify(token, keys, {
          algorithms: [key.alg],
          audience: portalAudience,
          typ: 'at+jwt',
          currentDate: new Date(now()),
          requiredClaims: ['exp', 'client_id'],
        })
        return { appId: String(payload.client_id) }
      } catch {
        return undefined
      }
    },
    async issue(claims) {
      const at = Math.floor(now() / 1000)
      const token = await new SignJWT({
        client_id: claims.clientId,
        scope: claims.scope,
        ...(claims.certificateThumbprint ? { cnf: { 'x5t#S256': claims.certificateThumbprint } } : {}),
      })
        .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'at+jwt' })
        .setIssuer(claims.issuer)
        .setSubject(claims.clientId)
        .setAudience(brandId)
        .setIssuedAt(at)
        .setExpirationTime(at + lifetime)
        .setJti(randomUUID())
        .sign(key.privateKey)
      return { token, expiresIn: lifetime }
    },
    async verify(token) {
      try {
        const { payload } = await jwtVerify(token, keys, {
          algorithms: [key.alg],
          audience: brandId,
          typ: 'at+jwt',
          currentDate: new Date(now()),
          requiredClaims: ['exp', 'client_id'],
        })
        const cnf = payload.cnf as { 'x5t#S256'?: unknown } | undefined
        const thumbprint = cnf?.['x5t#S256']
        return {
          clientId: String(payload.client_id),
          ...(typeof thumbprint === 'string' ? { certificateThumbprint: thumbprint } : {}),
        }
      } catch {
        return undefined
      }
    },
  }
}
