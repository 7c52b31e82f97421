import type { ValidatedAuthorization } from './authorization-request.js'
import { consentLifetime } from './context.js'
import type { Sealer } from './sealed-tokens.js'

/** An opened consent transaction: the validated request, and the id that makes it single use. */
export interface ConsentTransaction {
  request: ValidatedAuthorization
  id: string
  /** Epoch seconds. */
  expiresAt: number
}

/** Seals the validated request into the consent form (5 minutes, this brand only). */
export function sealConsentTransaction(
  sealer: Sealer,
  brandId: string,
  request: ValidatedAuthorization,
): Promise<string> {
  return sealer.seal('consent-transaction', brandId, { authorization_request: { ...request } }, consentLifetime)
}

const isRequest = (value: unknown): value is ValidatedAuthorization => {
  const request = value as Partial<ValidatedAuthorization> | undefined
  return (
    typeof request?.clientId === 'string' &&
    typeof request.redirectUri === 'string' &&
    typeof request.issuer === 'string' &&
    typeof request.scope === 'string' &&
    typeof request.codeChallenge === 'string' &&
    (request.responseType === 'code' || request.responseType === 'code id_token') &&
    (request.responseMode === 'query' || request.responseMode === 'fragment')
  )
}

/** Opens a consent transaction of this brand, or says why it cannot be used. */
export async function openConsentTransaction(
  sealer: Sealer,
  brandId: string,
  token: string,
): Promise<{ ok: true; transaction: ConsentTransaction } | { ok: false; reason: 'expired' | 'invalid' }> {
  const opened = await sealer.open('consent-transaction', brandId, token)
  if (!opened.ok) return opened
  const request = opened.claims.authorization_request
  if (!isRequest(request) || typeof opened.claims.jti !== 'string') return { ok: false, reason: 'invalid' }
  return { ok: true, transaction: { request, id: opened.claims.jti, expiresAt: Number(opened.claims.exp) } }
}
