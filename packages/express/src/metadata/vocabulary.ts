/** Token endpoint client authentication methods (RFC 7591 §2, RFC 8705 §2.1). */
export const tokenEndpointAuthMethods = [
  'private_key_jwt',
  'client_secret_jwt',
  'client_secret_basic',
  'client_secret_post',
  'tls_client_auth',
] as const
export type TokenEndpointAuthMethod = (typeof tokenEndpointAuthMethods)[number]

/** The methods for which the bank issues a client secret. */
export const secretAuthMethods: readonly TokenEndpointAuthMethod[] = [
  'client_secret_basic',
  'client_secret_post',
  'client_secret_jwt',
]

/** Grant types UK OB clients register. */
export const grantTypes = [
  'authorization_code',
  'client_credentials',
  'refresh_token',
  'urn:openid:params:grant-type:ciba',
] as const
export type GrantType = (typeof grantTypes)[number]

/** Response types UK OB (FAPI) allows. */
export const responseTypes = ['code', 'code id_token'] as const
export type ResponseType = (typeof responseTypes)[number]

/** Asymmetric JWS algorithms open-dcr can accept; FAPI allows PS256 and ES256 only. */
export const signingAlgorithms = ['PS256', 'ES256', 'RS256'] as const
export type SigningAlgorithm = (typeof signingAlgorithms)[number]

/** HMAC algorithms for `client_secret_jwt`. */
export const hmacAlgorithms = ['HS256', 'HS384', 'HS512'] as const

/** `application_type` values: OB v3.3 text says mobile, its schema native; both are accepted. */
export const applicationTypes = ['web', 'mobile', 'native'] as const

/** CIBA token delivery modes. */
export const backchannelDeliveryModes = ['poll', 'ping', 'push'] as const
