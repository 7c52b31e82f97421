import type { SoftwareStatementClaims } from '../verify/software-statement.js'
import { checkAuthMethod } from './auth-method.js'
import { type Claims, invalidMetadata, optionalOneOf, optionalString, optionalStringArray } from './claims.js'
import { checkCiba, checkGrantTypes, checkResponseTypes } from './grant-types.js'
import { checkRedirectUris, type RedirectUriPolicy } from './redirect-uris.js'
import { allowedScopes, checkScope } from './scope.js'
import { applicationTypes, type GrantType, type ResponseType, type TokenEndpointAuthMethod } from './vocabulary.js'

/** A brand's rules for client metadata, resolved from the options at startup. */
export interface MetadataPolicy {
  tokenEndpointAuthMethods: readonly TokenEndpointAuthMethod[]
  grantTypes: readonly GrantType[]
  responseTypes: readonly ResponseType[]
  /** Asymmetric algs for private_key_jwt, ID tokens, request objects and CIBA requests. */
  signingAlgorithms: readonly string[]
  redirectUris: RedirectUriPolicy
  /** Software role → scopes it allows. */
  roleScopes: Readonly<Record<string, readonly string[]>>
  /** Scopes every client may have, e.g. openid. */
  alwaysScopes: readonly string[]
  /** Used when the request omits the claim; absent means the claim is required. */
  defaults: {
    tokenEndpointAuthMethod?: TokenEndpointAuthMethod
    grantTypes?: readonly GrantType[]
    /** Fill id_token_signed_response_alg and request_object_signing_alg with the first signing alg. */
    signingAlgs: boolean
  }
}

/** Registered client metadata: what the bank stores and returns. */
export type RegisteredMetadata = Record<string, unknown>

const descriptiveUris = ['client_uri', 'logo_uri', 'tos_uri', 'policy_uri', 'jwks_uri'] as const

/**
 * Applies the brand's policy to requested metadata (and the verified software statement): every
 * rule of UK OB DCR v3.3 §"Data model" and RFC 7591 §2. Unknown claims are ignored; an unsupported
 * value is rejected with the RFC 7591 code and a description that says what to send instead.
 */
export function applyMetadataPolicy(
  claims: Claims,
  statement: SoftwareStatementClaims | undefined,
  policy: MetadataPolicy,
): RegisteredMetadata {
  const roles = statement?.software_roles
  const grants = checkGrantTypes(claims, policy.grantTypes, policy.defaults.grantTypes)
  const metadata: RegisteredMetadata = {
    redirect_uris: checkRedirectUris(claims.redirect_uris, statement?.software_redirect_uris, policy.redirectUris),
    ...checkAuthMethod(
      claims,
      policy.tokenEndpointAuthMethods,
      policy.signingAlgorithms,
      policy.defaults.tokenEndpointAuthMethod,
    ),
    grant_types: grants,
    scope: checkScope(claims.scope, allowedScopes(roles, policy.roleScopes, policy.alwaysScopes), roles),
    application_type: optionalOneOf(claims, 'application_type', applicationTypes) ?? 'web',
    ...checkCiba(claims, grants, policy.signingAlgorithms),
  }
  const responseTypes = checkResponseTypes(claims, grants, policy.responseTypes)
  if (responseTypes) metadata.response_types = responseTypes

  const fallbackAlg = policy.defaults.signingAlgs ? policy.signingAlgorithms[0] : undefined
  for (const name of ['id_token_signed_response_alg', 'request_object_signing_alg']) {
    const alg = optionalOneOf(claims, name, policy.signingAlgorithms) ?? fallbackAlg
    if (alg !== undefined) metadata[name] = alg
  }

  const softwareId = checkSoftwareId(claims, statement)
  if (softwareId !== undefined) metadata.software_id = softwareId

  const clientName = optionalString(claims, 'client_name', 256)
  if (clientName !== undefined) metadata.client_name = clientName
  for (const name of descriptiveUris) {
    const uri = optionalString(claims, name, 512)
    if (uri === undefined) continue
    if (!URL.canParse(uri) || new URL(uri).protocol !== 'https:') {
      throw invalidMetadata(`"${name}" must be an https URL`)
    }
    metadata[name] = uri
  }
  const contacts = optionalStringArray(claims, 'contacts')
  if (contacts !== undefined) metadata.contacts = contacts
  return metadata
}

function checkSoftwareId(claims: Claims, statement: SoftwareStatementClaims | undefined): string | undefined {
  const requested = optionalString(claims, 'software_id', 256)
  if (statement === undefined) return requested
  if (requested !== undefined && requested !== statement.software_id) {
    throw invalidMetadata(
      `software_id "${requested}" does not match the software statement's "${statement.software_id}"`,
    )
  }
  return statement.software_id
}
