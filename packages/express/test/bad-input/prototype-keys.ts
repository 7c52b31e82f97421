import { sharedPki } from '../fixtures.js'
import { bad, type Family } from './harness.js'
import {
  editingClaims,
  forged,
  managing,
  post,
  postJson,
  register,
  registering,
  registerWithCertificate,
} from './requests.js'
import { registerJsonClient, type Scene } from './scene.js'
import { signing } from './signatures.js'

const members = ['constructor', '__proto__', 'toString', 'valueOf', 'hasOwnProperty']
const metadata = 'invalid_client_metadata'

/** A software statement for the shared kit with `claims` over its own (given as JSON text, so `__proto__` is a member). */
async function statement(scene: Scene, claims: string): Promise<string> {
  const { directory } = await sharedPki()
  const { kit } = scene
  return directory.issueSoftwareStatement({
    software_id: kit.softwareId,
    software_roles: kit.roles,
    software_redirect_uris: kit.redirectUris,
    software_jwks_endpoint: kit.softwareJwksEndpoint,
    org_id: kit.orgId,
    ...JSON.parse(claims),
  })
}

const withStatement =
  (claims: string, extra: Record<string, unknown> = {}) =>
  async (s: Scene) =>
    register(s, { software_statement: await statement(s, claims), ...extra })

/** Family 6: names of Object.prototype members as roles, DN attribute names, claim names, scopes, header names. */
export const prototypeKeys: Family = {
  name: 'keys that name Object.prototype members',
  bank: 'obUk',
  cases: [
    ...members.map((role) =>
      bad(
        `software role "${role}"`,
        [400, metadata, new RegExp(`scope accounts is not allowed by software_roles \\[${role}\\]`)],
        withStatement(JSON.stringify({ software_roles: [role] })),
      ),
    ),
    ...members.map((scope) =>
      bad(
        `scope "${scope}"`,
        [400, metadata, new RegExp(`scope ${scope} is not allowed by software_roles \\[AISP\\]`)],
        registering({ scope: `openid ${scope}` }),
      ),
    ),
    ...members.map((name) =>
      bad(
        `DN attribute "${name}"`,
        [
          400,
          metadata,
          name.includes('_')
            ? /is not an RFC 4514 distinguished name/
            : new RegExp(`has an unknown attribute type "${name}"`),
        ],
        registering({
          token_endpoint_auth_method: 'tls_client_auth',
          token_endpoint_auth_signing_alg: undefined,
          tls_client_auth_subject_dn: `CN=app,${name}=x`,
        }),
      ),
    ),
    bad(
      '__proto__ standing in for a missing claim',
      [400, metadata, /"token_endpoint_auth_method" is required/],
      editingClaims((json) =>
        json.replace(
          '"token_endpoint_auth_method":"private_key_jwt"',
          '"__proto__":{"token_endpoint_auth_method":"private_key_jwt"}',
        ),
      ),
    ),
    bad(
      'constructor, toString, valueOf and hasOwnProperty as claims beside a bad one',
      [400, metadata, /response type "token" is not supported/],
      registering({
        constructor: { prototype: { admin: true } },
        toString: 1,
        valueOf: 'x',
        hasOwnProperty: null,
        response_types: ['token'],
      }),
    ),
    bad(
      'grant type "constructor"',
      [400, metadata, /grant type "constructor" is not supported/],
      registering({ grant_types: ['constructor'] }),
    ),
    bad(
      'auth method "__proto__"',
      [400, metadata, /"token_endpoint_auth_method" "__proto__" is not supported/],
      registering({ token_endpoint_auth_method: '__proto__' }),
    ),
    bad(
      'application_type "toString"',
      [400, metadata, /"application_type" "toString" is not supported/],
      registering({ application_type: 'toString' }),
    ),
    bad(
      'response type "__proto__"',
      [400, metadata, /response type "__proto__" is not supported/],
      registering({ response_types: ['__proto__'] }),
    ),
    bad(
      'id_token_signed_response_alg "valueOf"',
      [400, metadata, /"id_token_signed_response_alg" "valueOf" is not supported/],
      registering({ id_token_signed_response_alg: 'valueOf' }),
    ),
    bad('a JWS header alg with its own toString', [400, metadata, /alg "an object" is not allowed/], (s) =>
      post(s, forged(s, '{"alg":{"toString":1}}')),
    ),
    bad('a JWS header whose alg is only under __proto__', [400, metadata, /alg "undefined" is not allowed/], (s) =>
      post(s, forged(s, '{"__proto__":{"alg":"PS256"}}')),
    ),
    bad(
      'an SSA org_status with its own toString',
      [400, 'unapproved_software_statement', /organisation status is "an object", not Active/],
      withStatement('{"org_status":{"toString":1}}'),
    ),
    bad(
      'an SSA org_id with its own toString, shown when the certificate does not match it',
      [400, metadata, /does not belong to the software statement's organisation "an object"/],
      async (s) =>
        registerWithCertificate(s, undefined, { software_statement: await statement(s, '{"org_id":{"toString":1}}') }),
      { bank: 'mtls' },
    ),
    bad(
      'an SSA software_id under __proto__ only',
      [400, 'invalid_software_statement', /has no "software_id" claim/],
      async (s) => {
        const { directory } = await sharedPki()
        return register(s, {
          software_statement: await directory.issueSoftwareStatement(
            JSON.parse(`{"__proto__":{"software_id":"${s.kit.softwareId}"}}`),
          ),
        })
      },
    ),
    bad(
      'rfc7591: a software statement only under __proto__',
      [400, 'invalid_software_statement', /"software_statement" is required by this brand/],
      (s) => postJson(s, `{"__proto__":{"software_statement":"${s.kit.softwareStatement}"}}`),
      { bank: 'rfc7591' },
    ),
    bad(
      'rfc7591: constructor and __proto__ beside an unsupported method',
      [400, metadata, /token_endpoint_auth_method "none"|"token_endpoint_auth_method" "none"/],
      (s) =>
        postJson(
          s,
          `{"software_statement":"${s.kit.softwareStatement}","__proto__":{"redirect_uris":["https://evil.example/cb"]},"constructor":{"prototype":{"x":1}},"token_endpoint_auth_method":"none"}`,
        ),
      { bank: 'rfc7591' },
    ),
    bad(
      'a signature covering a "constructor" header',
      [400, 'invalid_request', /header "constructor" is listed in the signature but missing from the request/],
      signing({ headers: ['(request-target)', 'date', 'digest', 'constructor'] }),
      { bank: 'signing' },
    ),
    bad(
      'a signature covering a "__proto__" header',
      [400, 'invalid_request', /header "__proto__" is listed in the signature but missing from the request/],
      signing({ headers: ['(request-target)', 'date', 'digest', '__proto__'] }),
      { bank: 'signing' },
    ),
    bad(
      'a Signature parameter named __proto__',
      [400, 'invalid_request', /cannot read a name="value" parameter at position \d+/],
      signing({ rewrite: (sig) => `${sig},__proto__="x"` }),
      { bank: 'signing' },
    ),
    bad(
      'a Signature parameter named constructor',
      [400, 'invalid_request', /unknown parameter "constructor"/],
      signing({ rewrite: (sig) => `${sig},constructor="x"` }),
      { bank: 'signing' },
    ),
    bad(
      'a keyId CA naming constructor',
      [401, 'invalid_client', /keyId CA "constructor=x" does not match the certificate's issuer/],
      signing((s) => ({ keyId: `SN=${s.kit.seal.serialNumber},CA=constructor=x` })),
      { bank: 'signing' },
    ),
    bad(
      'XFCC keys __proto__ and constructor without Cert',
      [401, 'invalid_client', /x-forwarded-client-cert header does not hold a certificate/],
      (s) => registerWithCertificate(s, '__proto__=x;constructor=y;toString=z', {}, 'x-forwarded-client-cert'),
      { bank: 'xfcc' },
    ),
    bad(
      'management of client "__proto__" with another client’s token',
      [403, 'insufficient_scope', /the token was issued to another client/],
      (s) => managing(s, s.client?.token).get('__proto__'),
      {
        bank: 'rfc7591',
        arrange: async (s) => {
          s.client = await registerJsonClient(s)
        },
      },
    ),
    bad(
      'a token whose owner is "constructor"',
      [401, 'invalid_token', /the token is not valid/],
      (s) => managing(s, `constructor.${'A'.repeat(43)}`).get('constructor'),
      { bank: 'rfc7591' },
    ),
    bad(
      'a token whose owner is "__proto__"',
      [401, 'invalid_token', /the token is not valid/],
      (s) => managing(s, `__proto__.${'A'.repeat(43)}`).get('__proto__'),
      { bank: 'rfc7591' },
    ),
  ],
}
