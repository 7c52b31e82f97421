import { type Claims, invalidMetadata, missing, optionalOneOf, optionalString, optionalStringArray } from './claims.js'
import { backchannelDeliveryModes, type GrantType, type ResponseType } from './vocabulary.js'

const ciba = 'urn:openid:params:grant-type:ciba'

/** Checks `grant_types` against the brand's list; omitted → `fallback` (or required when there is none). */
export function checkGrantTypes(
  claims: Claims,
  allowed: readonly GrantType[],
  fallback: readonly GrantType[] | undefined,
): GrantType[] {
  const requested = optionalStringArray(claims, 'grant_types') ?? fallback
  if (requested === undefined) missing('grant_types', `; this brand supports ${allowed.join(', ')}`)
  if (requested.length === 0) throw invalidMetadata('"grant_types" must not be empty')
  for (const grant of requested) {
    if (!(allowed as readonly string[]).includes(grant)) {
      throw invalidMetadata(`grant type "${grant}" is not supported; use any of ${allowed.join(', ')}`)
    }
  }
  return [...new Set(requested)] as GrantType[]
}

/**
 * Checks `response_types`: only with authorization_code, each one the brand supports
 * (`code`, `code id_token`); omitted with authorization_code → `["code"]`.
 */
export function checkResponseTypes(
  claims: Claims,
  grants: readonly GrantType[],
  allowed: readonly ResponseType[],
): ResponseType[] | undefined {
  const requested = optionalStringArray(claims, 'response_types')
  if (!grants.includes('authorization_code')) {
    if (requested !== undefined && requested.length > 0) {
      throw invalidMetadata('"response_types" needs the authorization_code grant type')
    }
    return undefined
  }
  if (requested === undefined) return ['code']
  if (requested.length === 0) throw invalidMetadata('"response_types" must not be empty')
  for (const type of requested) {
    if (!(allowed as readonly string[]).includes(type)) {
      throw invalidMetadata(
        `response type "${type}" is not supported; use ${allowed.map((t) => `"${t}"`).join(' or ')}`,
      )
    }
  }
  return [...new Set(requested)] as ResponseType[]
}

/** The CIBA part of registered metadata. */
export interface CibaMetadata {
  backchannel_token_delivery_mode?: string
  backchannel_client_notification_endpoint?: string
  backchannel_authentication_request_signing_alg?: string
  backchannel_user_code_parameter_supported?: boolean
}

const cibaClaims = [
  'backchannel_token_delivery_mode',
  'backchannel_client_notification_endpoint',
  'backchannel_authentication_request_signing_alg',
  'backchannel_user_code_parameter_supported',
] as const

/** Checks the CIBA claims: present iff the CIBA grant type is, with OB's rules on each. */
export function checkCiba(claims: Claims, grants: readonly GrantType[], algorithms: readonly string[]): CibaMetadata {
  if (!grants.includes(ciba)) {
    const stray = cibaClaims.find((name) => claims[name] !== undefined && claims[name] !== null)
    if (stray) throw invalidMetadata(`"${stray}" is only allowed with the ${ciba} grant type`)
    return {}
  }
  const mode = optionalOneOf(claims, 'backchannel_token_delivery_mode', backchannelDeliveryModes)
  if (mode === undefined)
    missing('backchannel_token_delivery_mode', ` with the CIBA grant type (${backchannelDeliveryModes.join(', ')})`)
  const result: CibaMetadata = { backchannel_token_delivery_mode: mode }

  const endpoint = optionalString(claims, 'backchannel_client_notification_endpoint', 256)
  if (mode !== 'poll') {
    if (endpoint === undefined) missing('backchannel_client_notification_endpoint', ` with delivery mode ${mode}`)
    if (!URL.canParse(endpoint) || new URL(endpoint).protocol !== 'https:') {
      throw invalidMetadata('"backchannel_client_notification_endpoint" must be an https URL')
    }
  }
  if (endpoint !== undefined) result.backchannel_client_notification_endpoint = endpoint

  const alg = optionalOneOf(claims, 'backchannel_authentication_request_signing_alg', algorithms)
  if (alg !== undefined) result.backchannel_authentication_request_signing_alg = alg

  const userCode = claims.backchannel_user_code_parameter_supported
  if (userCode !== undefined && userCode !== false) {
    throw invalidMetadata('"backchannel_user_code_parameter_supported" must be false')
  }
  if (userCode === false) result.backchannel_user_code_parameter_supported = false
  return result
}
