import type { Dcr } from '@open-dcr/express'

/** The grant types the sandbox's token endpoint serves; brands let clients register only these. */
export const servedGrantTypes = ['authorization_code', 'client_credentials', 'refresh_token'] as const

/** The ID token claims the sandbox issues. */
const claimsSupported = ['sub', 'iss', 'aud', 'exp', 'iat', 'auth_time', 'nonce', 'c_hash', 's_hash', 'at_hash']

/** What a brand's metadata is built from. */
export interface ServerMetadataInput {
  brandId: string
  dcr: Dcr
  /** The base URL of the listener that serves the document (its URLs follow it). */
  base: string
  /** The base URL of the mutual-TLS listener, for `mtls_endpoint_aliases`. */
  mtlsBase: string
  /** Algs the token endpoint accepts for client assertions. */
  tokenEndpointAuthAlgorithms: readonly string[]
}

/** Endpoints a user's browser calls (RFC 8705 §5 aliases only those a client calls with its certificate). */
const frontChannelEndpoints: ReadonlySet<string> = new Set(['authorization_endpoint'])

/** The brand's endpoints as served at `base`: the OpenID Provider configuration without its aliases. */
function servedEndpoints(input: ServerMetadataInput, base: string): Record<string, unknown> {
  const issuer = `${base}/${input.brandId}`
  const registration = input.dcr.discovery(issuer)
  const served: readonly string[] = servedGrantTypes
  return {
    issuer,
    authorization_endpoint: `${issuer}/authorize`,
    token_endpoint: `${issuer}/token`,
    jwks_uri: `${issuer}/jwks`,
    ...registration,
    token_endpoint_auth_signing_alg_values_supported:
      registration.token_endpoint_auth_signing_alg_values_supported.filter((alg) =>
        input.tokenEndpointAuthAlgorithms.includes(alg),
      ),
    grant_types_supported: registration.grant_types_supported.filter((grant) => served.includes(grant)),
  }
}

/**
 * RFC 8705 §5 `mtls_endpoint_aliases`, derived from the brand's real endpoints: every back-channel
 * `*_endpoint` of the document as the mutual-TLS listener serves it, so a new endpoint gets its alias.
 */
function mtlsEndpointAliases(input: ServerMetadataInput): Record<string, string> {
  const atMtls = servedEndpoints(input, input.mtlsBase)
  return Object.fromEntries(
    Object.entries(atMtls).filter(
      (entry): entry is [string, string] =>
        entry[0].endsWith('_endpoint') && !frontChannelEndpoints.has(entry[0]) && typeof entry[1] === 'string',
    ),
  )
}

/**
 * A brand's authorization server metadata: the OpenID Provider configuration (OIDC Discovery §3)
 * and, with the same members, RFC 8414 metadata. Every URL in it, and every RFC 8705 alias, is
 * served by the listener it names; only grants the token endpoint serves are listed.
 */
export function authorizationServerMetadata(input: ServerMetadataInput): Record<string, unknown> {
  return {
    ...servedEndpoints(input, input.base),
    response_modes_supported: ['query', 'fragment'],
    subject_types_supported: ['public'],
    code_challenge_methods_supported: ['S256'],
    request_parameter_supported: true,
    request_uri_parameter_supported: false,
    claims_parameter_supported: false,
    authorization_response_iss_parameter_supported: true,
    claims_supported: claimsSupported,
    tls_client_certificate_bound_access_tokens: true,
    mtls_endpoint_aliases: mtlsEndpointAliases(input),
  }
}
