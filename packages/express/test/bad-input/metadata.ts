import type { RequestMetadata } from '@open-dcr/testkit'
import { bad, type Family } from './harness.js'
import { postJson, registering } from './requests.js'

const code = 'invalid_client_metadata'
const ciba = 'urn:openid:params:grant-type:ciba'
const tlsClientAuth = { token_endpoint_auth_method: 'tls_client_auth', token_endpoint_auth_signing_alg: undefined }

/** A registration asking for the CIBA grant (only), with `claims`. */
const cibaRequest = (claims: RequestMetadata) =>
  registering({ grant_types: [ciba], response_types: undefined, ...claims })

/** A registration asking for `claims` with tls_client_auth. */
const tls = (claims: RequestMetadata) => registering({ ...tlsClientAuth, ...claims })

/** Family 7: every client metadata claim with wrong types and unsupported values. */
export const metadata: Family = {
  name: 'client metadata',
  bank: 'obUk',
  cases: [
    bad(
      'auth method as an array',
      [400, code, /"token_endpoint_auth_method" must be a single string, not an array/],
      registering({ token_endpoint_auth_method: ['private_key_jwt'] }),
    ),
    bad(
      'auth method a number',
      [400, code, /"token_endpoint_auth_method" must be a non-empty string/],
      registering({ token_endpoint_auth_method: 1 }),
    ),
    bad(
      'auth method empty',
      [400, code, /"token_endpoint_auth_method" must be a non-empty string/],
      registering({ token_endpoint_auth_method: '' }),
    ),
    bad(
      'auth method "none"',
      [400, code, /"token_endpoint_auth_method" "none" is not supported; use one of/],
      registering({ token_endpoint_auth_method: 'none' }),
    ),
    bad(
      'auth method self_signed_tls_client_auth',
      [400, code, /"self_signed_tls_client_auth" is not supported/],
      registering({ token_endpoint_auth_method: 'self_signed_tls_client_auth' }),
    ),
    bad(
      'auth method the brand does not offer',
      [
        400,
        code,
        /token_endpoint_auth_method "client_secret_basic" is not supported by this brand; use one of private_key_jwt, tls_client_auth/,
      ],
      registering({ token_endpoint_auth_method: 'client_secret_basic', token_endpoint_auth_signing_alg: undefined }),
    ),
    bad(
      'auth method client_secret_jwt',
      [400, code, /"client_secret_jwt" is not supported by this brand/],
      registering({ token_endpoint_auth_method: 'client_secret_jwt', token_endpoint_auth_signing_alg: 'HS256' }),
    ),
    bad(
      'auth method missing at an ob-uk brand',
      [400, code, /"token_endpoint_auth_method" is required; this brand supports private_key_jwt, tls_client_auth/],
      registering({ token_endpoint_auth_method: undefined }),
    ),
    bad(
      'signing alg none',
      [
        400,
        code,
        /token_endpoint_auth_signing_alg "none" is not supported with private_key_jwt; use one of PS256, ES256/,
      ],
      registering({ token_endpoint_auth_signing_alg: 'none' }),
    ),
    bad(
      'signing alg HS256 with private_key_jwt',
      [400, code, /"HS256" is not supported with private_key_jwt/],
      registering({ token_endpoint_auth_signing_alg: 'HS256' }),
    ),
    bad(
      'signing alg RS256 where the brand allows PS256 and ES256',
      [400, code, /"RS256" is not supported with private_key_jwt/],
      registering({ token_endpoint_auth_signing_alg: 'RS256' }),
    ),
    bad(
      'signing alg as an array',
      [400, code, /"token_endpoint_auth_signing_alg" must be a single string, not an array/],
      registering({ token_endpoint_auth_signing_alg: ['PS256'] }),
    ),
    bad(
      'signing alg missing with private_key_jwt',
      [400, code, /"token_endpoint_auth_signing_alg" is required with private_key_jwt/],
      registering({ token_endpoint_auth_signing_alg: undefined }),
    ),
    bad(
      'signing alg with tls_client_auth',
      [400, code, /"token_endpoint_auth_signing_alg" is only allowed with private_key_jwt or client_secret_jwt/],
      tls({ token_endpoint_auth_signing_alg: 'PS256', tls_client_auth_subject_dn: 'CN=app,O=OpenBanking,C=GB' }),
    ),
    bad(
      'subject DN missing with tls_client_auth',
      [400, code, /"tls_client_auth_subject_dn" is required with tls_client_auth/],
      tls({}),
    ),
    bad(
      'subject DN a number',
      [400, code, /"tls_client_auth_subject_dn" must be a non-empty string/],
      tls({ tls_client_auth_subject_dn: 42 }),
    ),
    bad(
      'subject DN with private_key_jwt',
      [400, code, /"tls_client_auth_subject_dn" is only allowed with tls_client_auth/],
      registering({ tls_client_auth_subject_dn: 'CN=app' }),
    ),
    bad(
      'subject DN that does not parse',
      [400, code, /is not an RFC 4514 distinguished name/],
      tls({ tls_client_auth_subject_dn: 'no equals sign' }),
    ),
    bad(
      'subject DN of 513 characters',
      [400, code, /"tls_client_auth_subject_dn" is longer than 512 characters/],
      tls({ tls_client_auth_subject_dn: `CN=${'a'.repeat(510)}` }),
    ),
    bad('subject DN with a hex value', [400, code, /hex-encoded/], tls({ tls_client_auth_subject_dn: 'CN=#04024869' })),
    bad(
      'subject DN with an unknown attribute',
      [400, code, /has an unknown attribute type "FOO"/],
      tls({ tls_client_auth_subject_dn: 'FOO=bar' }),
    ),
    bad(
      'subject DN with an empty value',
      [400, code, /has an empty or binary value|is not an RFC 4514/],
      tls({ tls_client_auth_subject_dn: 'CN=,O=x' }),
    ),
    bad(
      'grant_types a string',
      [400, code, /"grant_types" must be an array of non-empty strings/],
      registering({ grant_types: 'authorization_code' }),
    ),
    bad('grant_types empty', [400, code, /"grant_types" must not be empty/], registering({ grant_types: [] })),
    bad(
      'grant type implicit',
      [400, code, /grant type "implicit" is not supported; use any of/],
      registering({ grant_types: ['implicit'] }),
    ),
    bad(
      'grant type password',
      [400, code, /grant type "password" is not supported/],
      registering({ grant_types: ['password'] }),
    ),
    bad(
      'grant type a number',
      [400, code, /"grant_types" must be an array of non-empty strings/],
      registering({ grant_types: [1] }),
    ),
    bad(
      'grant type empty',
      [400, code, /"grant_types" must be an array of non-empty strings/],
      registering({ grant_types: [''] }),
    ),
    bad(
      'grant_types missing at an ob-uk brand',
      [400, code, /"grant_types" is required/],
      registering({ grant_types: undefined }),
    ),
    bad(
      'CIBA at a brand that does not offer it',
      [400, code, /grant type "urn:openid:params:grant-type:ciba" is not supported/],
      cibaRequest({ backchannel_token_delivery_mode: 'poll' }),
      { options: { policy: { grantTypes: ['authorization_code', 'client_credentials', 'refresh_token'] } } },
    ),
    bad(
      'response type token',
      [400, code, /response type "token" is not supported; use "code" or "code id_token"/],
      registering({ response_types: ['token'] }),
    ),
    bad(
      'response types id_token and token',
      [400, code, /response type "id_token" is not supported/],
      registering({ response_types: ['id_token', 'token'] }),
    ),
    bad(
      'response type "code token"',
      [400, code, /response type "code token" is not supported/],
      registering({ response_types: ['code token'] }),
    ),
    bad(
      'response_types a string',
      [400, code, /"response_types" must be an array of non-empty strings/],
      registering({ response_types: 'code' }),
    ),
    bad('response_types empty', [400, code, /"response_types" must not be empty/], registering({ response_types: [] })),
    bad(
      'response_types without authorization_code',
      [400, code, /"response_types" needs the authorization_code grant type/],
      registering({ grant_types: ['client_credentials'], response_types: ['code'] }),
    ),
    bad(
      'scope a number',
      [400, code, /"scope" must be a non-empty space-separated string/],
      registering({ scope: 42 }),
    ),
    bad('scope empty', [400, code, /"scope" must be a non-empty space-separated string/], registering({ scope: '' })),
    bad(
      'scope only spaces',
      [400, code, /"scope" must be a non-empty space-separated string/],
      registering({ scope: '   ' }),
    ),
    bad(
      'scope as an array',
      [400, code, /"scope" must be a non-empty space-separated string/],
      registering({ scope: ['openid'] }),
    ),
    bad(
      'scope of 257 characters',
      [400, code, /"scope" is longer than 256 characters/],
      registering({ scope: `openid ${'accounts '.repeat(28)}x` }),
    ),
    bad(
      'scope beyond the software roles',
      [400, code, /scope payments is not allowed by software_roles \[AISP\]; allowed: openid accounts/],
      registering({ scope: 'openid accounts payments' }),
    ),
    bad('scope unknown', [400, code, /scope admin is not allowed/], registering({ scope: 'openid admin' })),
    bad(
      'application_type desktop',
      [400, code, /"application_type" "desktop" is not supported; use one of web, mobile, native/],
      registering({ application_type: 'desktop' }),
    ),
    bad(
      'application_type a number',
      [400, code, /"application_type" must be a non-empty string/],
      registering({ application_type: 1 }),
    ),
    bad(
      'id_token_signed_response_alg as an array',
      [400, code, /"id_token_signed_response_alg" must be a single string, not an array/],
      registering({ id_token_signed_response_alg: ['PS256'] }),
    ),
    bad(
      'id_token_signed_response_alg none',
      [400, code, /"id_token_signed_response_alg" "none" is not supported; use one of PS256, ES256/],
      registering({ id_token_signed_response_alg: 'none' }),
    ),
    bad(
      'id_token_signed_response_alg HS256',
      [400, code, /"id_token_signed_response_alg" "HS256" is not supported/],
      registering({ id_token_signed_response_alg: 'HS256' }),
    ),
    bad(
      'request_object_signing_alg none',
      [400, code, /"request_object_signing_alg" "none" is not supported/],
      registering({ request_object_signing_alg: 'none' }),
    ),
    bad(
      'request_object_signing_alg RS256',
      [400, code, /"request_object_signing_alg" "RS256" is not supported/],
      registering({ request_object_signing_alg: 'RS256' }),
    ),
    bad(
      'software_id of another software',
      [400, code, /software_id "another" does not match the software statement's/],
      registering({ software_id: 'another' }),
    ),
    bad(
      'software_id a number',
      [400, code, /"software_id" must be a non-empty string/],
      registering({ software_id: 7 }),
    ),
    bad(
      'software_id of 257 characters',
      [400, code, /"software_id" is longer than 256 characters/],
      registering({ software_id: 's'.repeat(257) }),
    ),
    bad(
      'client_name a number',
      [400, code, /"client_name" must be a non-empty string/],
      registering({ client_name: 1 }),
    ),
    bad('client_name empty', [400, code, /"client_name" must be a non-empty string/], registering({ client_name: '' })),
    bad(
      'client_name of 257 characters',
      [400, code, /"client_name" is longer than 256 characters/],
      registering({ client_name: 'n'.repeat(257) }),
    ),
    bad(
      'logo_uri over http',
      [400, code, /"logo_uri" must be an https URL/],
      registering({ logo_uri: 'http://tpp.example/logo.png' }),
    ),
    bad(
      'client_uri not a URL',
      [400, code, /"client_uri" must be an https URL/],
      registering({ client_uri: 'tpp dot example' }),
    ),
    bad(
      'tos_uri javascript:',
      [400, code, /"tos_uri" must be an https URL/],
      registering({ tos_uri: 'javascript:alert(1)' }),
    ),
    bad(
      'policy_uri of 513 characters',
      [400, code, /"policy_uri" is longer than 512 characters/],
      registering({ policy_uri: `https://tpp.example/${'p'.repeat(493)}` }),
    ),
    bad(
      'jwks_uri over http',
      [400, code, /"jwks_uri" must be an https URL/],
      registering({ jwks_uri: 'http://tpp.example/jwks' }),
    ),
    bad(
      'contacts a string',
      [400, code, /"contacts" must be an array of non-empty strings/],
      registering({ contacts: 'ops@tpp.example' }),
    ),
    bad(
      'contacts holding a number',
      [400, code, /"contacts" must be an array of non-empty strings/],
      registering({ contacts: [1] }),
    ),
    bad(
      'contacts holding an empty string',
      [400, code, /"contacts" must be an array of non-empty strings/],
      registering({ contacts: [''] }),
    ),
    bad(
      'CIBA without a delivery mode',
      [400, code, /"backchannel_token_delivery_mode" is required with the CIBA grant type \(poll, ping, push\)/],
      cibaRequest({}),
    ),
    bad(
      'CIBA delivery mode sms',
      [400, code, /"backchannel_token_delivery_mode" "sms" is not supported; use one of poll, ping, push/],
      cibaRequest({ backchannel_token_delivery_mode: 'sms' }),
    ),
    bad(
      'CIBA delivery mode as an array',
      [400, code, /"backchannel_token_delivery_mode" must be a single string/],
      cibaRequest({ backchannel_token_delivery_mode: ['poll'] }),
    ),
    bad(
      'CIBA ping without a notification endpoint',
      [400, code, /"backchannel_client_notification_endpoint" is required with delivery mode ping/],
      cibaRequest({ backchannel_token_delivery_mode: 'ping' }),
    ),
    bad(
      'CIBA push to an http endpoint',
      [400, code, /"backchannel_client_notification_endpoint" must be an https URL/],
      cibaRequest({
        backchannel_token_delivery_mode: 'push',
        backchannel_client_notification_endpoint: 'http://tpp.example/notify',
      }),
    ),
    bad(
      'CIBA ping to something that is not a URL',
      [400, code, /"backchannel_client_notification_endpoint" must be an https URL/],
      cibaRequest({ backchannel_token_delivery_mode: 'ping', backchannel_client_notification_endpoint: 'notify me' }),
    ),
    bad(
      'CIBA request signing alg none',
      [400, code, /"backchannel_authentication_request_signing_alg" "none" is not supported/],
      cibaRequest({ backchannel_token_delivery_mode: 'poll', backchannel_authentication_request_signing_alg: 'none' }),
    ),
    bad(
      'CIBA user code supported',
      [400, code, /"backchannel_user_code_parameter_supported" must be false/],
      cibaRequest({ backchannel_token_delivery_mode: 'poll', backchannel_user_code_parameter_supported: true }),
    ),
    bad(
      'CIBA user code "false" as a string',
      [400, code, /"backchannel_user_code_parameter_supported" must be false/],
      cibaRequest({ backchannel_token_delivery_mode: 'poll', backchannel_user_code_parameter_supported: 'false' }),
    ),
    bad(
      'CIBA claims without the CIBA grant',
      [
        400,
        code,
        /"backchannel_token_delivery_mode" is only allowed with the urn:openid:params:grant-type:ciba grant type/,
      ],
      registering({ backchannel_token_delivery_mode: 'poll' }),
    ),
    bad(
      'a CIBA notification endpoint without the CIBA grant',
      [400, code, /"backchannel_client_notification_endpoint" is only allowed with/],
      registering({ backchannel_client_notification_endpoint: 'https://tpp.example/notify' }),
    ),
    bad(
      'rfc7591: a signing alg with client_secret_post',
      [400, code, /"token_endpoint_auth_signing_alg" is only allowed with private_key_jwt or client_secret_jwt/],
      async (s) =>
        postJson(s, {
          software_statement: s.kit.softwareStatement,
          token_endpoint_auth_method: 'client_secret_post',
          token_endpoint_auth_signing_alg: 'PS256',
        }),
      { bank: 'rfc7591' },
    ),
  ],
}
