import { randomUUID } from 'node:crypto'
import type { AccessTokenVerifier, Clock, RegistrationAuthVerifier } from '@open-dcr/express'
import type { SigningKey } from '@open-dcr/testkit'
import { createLocalJWKSet, type JWTPayload, jwtVerify, SignJWT } from 'jose'

/** What an issued access token says. */
export interface AccessTokenClaims {
  issuer: string
  clientId: string
  /** `sub`: the PSU who approved (code flow); default the client id (client_credentials). */
  subject?: string
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

/**
 * Creates the token issuer and verifiers of brand `brandId`. Client tokens have audience `brandId`,
 * DCR-service tokens `brandId:dcr-service`, so neither is accepted where the other is expected.
 */
export function createAccessTokens(brandId: string, key: SigningKey, lifetime: number, now: Clock): AccessTokens {
  const keys = createLocalJWKSet({ keys: [key.publicJwk] })
  const portalAudience = `${brandId}:dcr-service`

  const sign = async (audience: string, issuer: string, subject: string, claims: JWTPayload) => {
    const at = Math.floor(now() / 1000)
    const token = await new SignJWT({ client_id: subject, ...claims })
      .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'at+jwt' })
      .setIssuer(issuer)
      .setSubject(subject)
      .setAudience(audience)
      .setIssuedAt(at)
      .setExpirationTime(at + lifetime)
      .setJti(randomUUID())
      .sign(key.privateKey)
    return { token, expiresIn: lifetime }
  }

  /** The token's claims when it is ours, for `audience`, and unexpired; otherwise undefined. */
  const check = async (token: string, audience: string): Promise<JWTPayload | undefined> => {
    try {
      const { payload } = await jwtVerify(token, keys, {
        algorithms: [key.alg],
        audience,
        typ: 'at+jwt',
        currentDate: new Date(now()),
        requiredClaims: ['exp', 'client_id'],
      })
      return payload
    } catch {
      return undefined
    }
  }

  return {
    issue: (claims) =>
      sign(brandId, claims.issuer, claims.subject ?? claims.clientId, {
        client_id: claims.clientId,
        scope: claims.scope,
        ...(claims.certificateThumbprint ? { cnf: { 'x5t#S256': claims.certificateThumbprint } } : {}),
      }),
    async verify(token) {
      const payload = await check(token, brandId)
      if (!payload) return undefined
      const thumbprint = (payload.cnf as { 'x5t#S256'?: unknown } | undefined)?.['x5t#S256']
      return {
        clientId: String(payload.client_id),
        ...(typeof thumbprint === 'string' ? { certificateThumbprint: thumbprint } : {}),
      }
    },
    issuePortal: (appId, issuer) => sign(portalAudience, issuer, appId, { scope: 'dcr' }),
    async verifyPortal(token) {
      const payload = await check(token, portalAudience)
      return payload && { appId: String(payload.client_id) }
    },
  }
}
