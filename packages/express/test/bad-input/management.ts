import { sharedPki } from '../fixtures.js'
import { bad, type Family } from './harness.js'
import { managing, post, signed } from './requests.js'
import { type RegisteredClient, registerJsonClient, registerSignedClient, type Scene } from './scene.js'

const invalidToken = { headers: { 'www-authenticate': /^Bearer error="invalid_token"$/ } }
const otherClient = { headers: { 'www-authenticate': /^Bearer error="insufficient_scope"$/ } }
const notValid = /the token is not valid for this client registration endpoint/
const malformed = /the Authorization header must be "Bearer <token>"/
const unknownId = '00000000-0000-4000-8000-000000000000'

/** The scene's client (arranged for every case of this family). */
const client = (s: Scene): RegisteredClient => {
  if (!s.client) throw new Error('the management family arranges a client')
  return s.client
}
const other = (s: Scene): RegisteredClient => {
  if (!s.other) throw new Error('the management family arranges a second client')
  return s.other
}
/** Calls as the scene's client, with its token. */
const mine = (s: Scene) => managing(s, client(s).token)
/** An update of the scene's client: its registered metadata, its id, and `patch`. */
const update = (s: Scene, patch: Record<string, unknown>) => ({
  ...client(s).metadata,
  client_id: client(s).clientId,
  ...patch,
})

/** Family 9: management calls with missing, malformed, forged or foreign tokens, and updates that must change nothing. */
export const management: Family = {
  name: 'management (RFC 7592)',
  bank: 'rfc7591',
  async arrange(s) {
    if (s.name === 'managedByAccessToken') {
      s.client = await registerSignedClient(s)
      s.other = await registerSignedClient(s)
      return
    }
    s.client = await registerJsonClient(s)
    s.other = await registerJsonClient(s)
  },
  cases: [
    bad(
      'GET without Authorization',
      [401, 'invalid_token', /an Authorization: Bearer token is required/],
      (s) => managing(s, undefined).get(client(s).clientId),
      invalidToken,
    ),
    bad(
      'GET with Basic credentials',
      [401, 'invalid_token', malformed],
      (s) => managing(s, undefined, 'Basic dXNlcjpwYXNz').get(client(s).clientId),
      invalidToken,
    ),
    bad(
      'GET with an empty Bearer',
      [401, 'invalid_token', malformed],
      (s) => managing(s, undefined, 'Bearer ').get(client(s).clientId),
      invalidToken,
    ),
    bad(
      'GET with two tokens',
      [401, 'invalid_token', malformed],
      (s) => managing(s, undefined, `Bearer ${client(s).token} ${client(s).token}`).get(client(s).clientId),
      invalidToken,
    ),
    bad(
      'GET with a token of characters outside RFC 6750',
      [401, 'invalid_token', malformed],
      (s) => managing(s, 'a%b{c}').get(client(s).clientId),
      invalidToken,
    ),
    bad(
      'GET with a token without an owner',
      [401, 'invalid_token', notValid],
      (s) => managing(s, 'abcdef').get(client(s).clientId),
      invalidToken,
    ),
    bad(
      'GET with the right owner and a forged secret',
      [401, 'invalid_token', notValid],
      (s) => managing(s, `${client(s).clientId}.${'A'.repeat(43)}`).get(client(s).clientId),
      invalidToken,
    ),
    bad(
      'GET with a token of 4,000 characters',
      [401, 'invalid_token', notValid],
      (s) => managing(s, `${client(s).clientId}.${'A'.repeat(4000)}`).get(client(s).clientId),
      invalidToken,
    ),
    bad(
      'GET with the client secret as the token',
      [401, 'invalid_token', notValid],
      (s) => managing(s, client(s).clientSecret).get(client(s).clientId),
      invalidToken,
    ),
    bad(
      'GET with another client’s token',
      [403, 'insufficient_scope', /the token was issued to another client/],
      (s) => managing(s, other(s).token).get(client(s).clientId),
      otherClient,
    ),
    bad(
      'GET of an unknown client with a valid token',
      [403, 'insufficient_scope', /the token was issued to another client/],
      (s) => mine(s).get(unknownId),
      otherClient,
    ),
    bad(
      'GET of a deleted client with its last token',
      [401, 'invalid_token', notValid],
      (s) => mine(s).get(client(s).clientId),
      {
        ...invalidToken,
        arrange: async (s) => {
          const deleted = await mine(s).delete(client(s).clientId)
          if (deleted.status !== 204) throw new Error(`arranging a deletion failed: ${deleted.text}`)
        },
      },
    ),
    bad(
      'GET with a token replaced beyond its grace period',
      [401, 'invalid_token', notValid],
      (s) => mine(s).get(client(s).clientId),
      {
        ...invalidToken,
        arrange: async (s) => {
          const read = await mine(s).get(client(s).clientId)
          s.secrets.push(read.body.registration_access_token)
          s.bank.clock.now += 61_000
        },
      },
    ),
    bad(
      'a client id that is not valid percent-encoding',
      [400, 'invalid_request', /the request path is not valid percent-encoding/],
      (s) => mine(s).get('%ZZ'),
    ),
    bad('a client id with a truncated UTF-8 escape', [400, 'invalid_request', /not valid percent-encoding/], (s) =>
      mine(s).get('%E0%A4%A'),
    ),
    bad(
      'secret rotation of a client id that is not valid percent-encoding',
      [400, 'invalid_request', /not valid percent-encoding/],
      (s) => mine(s).rotate('%C0%AF'),
    ),
    bad('a client id with an encoded slash', [403, 'insufficient_scope', /another client/], (s) =>
      mine(s).get(`${client(s).clientId}%2F..`),
    ),
    ...['registration_access_token', 'registration_client_uri', 'client_secret_expires_at', 'client_id_issued_at'].map(
      (member) =>
        bad(
          `PUT carrying ${member}`,
          [
            400,
            'invalid_client_metadata',
            new RegExp(`"${member}" must not be sent in an update \\(RFC 7592 §2\\.2\\)`),
          ],
          (s) => mine(s).put(client(s).clientId, update(s, { [member]: member.endsWith('_at') ? 0 : 'x' })),
        ),
    ),
    bad('PUT without client_id', [400, 'invalid_client_metadata', /"client_id" is required in an update/], (s) =>
      mine(s).put(client(s).clientId, update(s, { client_id: undefined })),
    ),
    bad(
      'PUT with another client_id',
      [400, 'invalid_client_metadata', /"client_id" does not match the client being updated/],
      (s) => mine(s).put(client(s).clientId, update(s, { client_id: other(s).clientId })),
    ),
    bad('PUT with client_id a number', [400, 'invalid_client_metadata', /"client_id" does not match/], (s) =>
      mine(s).put(client(s).clientId, update(s, { client_id: 7 })),
    ),
    bad(
      'PUT with a wrong client_secret',
      [400, 'invalid_client_metadata', /"client_secret" does not match the client's current secret/],
      (s) => mine(s).put(client(s).clientId, update(s, { client_secret: 'guess' })),
    ),
    bad('PUT with client_secret an object', [400, 'invalid_client_metadata', /"client_secret" does not match/], (s) =>
      mine(s).put(client(s).clientId, update(s, { client_secret: { toString: 1 } })),
    ),
    bad('PUT with another client’s secret', [400, 'invalid_client_metadata', /"client_secret" does not match/], (s) =>
      mine(s).put(client(s).clientId, update(s, { client_secret: other(s).clientSecret })),
    ),
    bad(
      'PUT with a software statement of another software',
      [
        400,
        'invalid_client_metadata',
        /the software statement is for software "another-software"; this client belongs to/,
      ],
      async (s) => {
        const ssa = await (await sharedPki()).directory.issueSoftwareStatement({
          software_id: 'another-software',
          software_roles: ['AISP'],
          software_redirect_uris: s.kit.redirectUris,
        })
        return mine(s).put(client(s).clientId, update(s, { software_statement: ssa }))
      },
    ),
    bad(
      'PUT with a redirect URI outside the software statement',
      [400, 'invalid_redirect_uri', /is not in the software statement/],
      (s) => mine(s).put(client(s).clientId, update(s, { redirect_uris: ['https://evil.example/cb'] })),
    ),
    bad(
      'PUT with an unsupported auth method',
      [400, 'invalid_client_metadata', /"token_endpoint_auth_method" "none" is not supported/],
      (s) => mine(s).put(client(s).clientId, update(s, { token_endpoint_auth_method: 'none' })),
    ),
    bad('PUT as text/plain', [415, 'invalid_request', /content type must be application\/json/], (s) =>
      mine(s).put(client(s).clientId, update(s, {}), 'text/plain'),
    ),
    bad('PUT of JSON that does not parse', [400, 'invalid_client_metadata', /not valid JSON/], (s) =>
      mine(s).put(client(s).clientId, '{"client_id":'),
    ),
    bad('PUT of 70,000 bytes', [413, 'invalid_request', /65536 bytes/], (s) =>
      mine(s).put(client(s).clientId, update(s, { client_name: 'n'.repeat(70_000) })),
    ),
    bad(
      'PUT without a token',
      [401, 'invalid_token', /Bearer token is required/],
      (s) => managing(s, undefined).put(client(s).clientId, update(s, {})),
      invalidToken,
    ),
    bad(
      'PUT with another client’s token',
      [403, 'insufficient_scope', /another client/],
      (s) => managing(s, other(s).token).put(client(s).clientId, update(s, {})),
      otherClient,
    ),
    bad(
      'DELETE without a token',
      [401, 'invalid_token', /Bearer token is required/],
      (s) => managing(s, undefined).delete(client(s).clientId),
      invalidToken,
    ),
    bad(
      'DELETE with a forged token',
      [401, 'invalid_token', notValid],
      (s) => managing(s, `${client(s).clientId}.${'B'.repeat(43)}`).delete(client(s).clientId),
      invalidToken,
    ),
    bad(
      'DELETE with another client’s token',
      [403, 'insufficient_scope', /another client/],
      (s) => managing(s, other(s).token).delete(client(s).clientId),
      otherClient,
    ),
    bad(
      'DELETE of a client already deleted',
      [401, 'invalid_token', notValid],
      (s) => mine(s).delete(client(s).clientId),
      {
        ...invalidToken,
        arrange: async (s) => {
          await mine(s).delete(client(s).clientId)
        },
      },
    ),
    bad(
      'secret rotation without a token',
      [401, 'invalid_token', /Bearer token is required/],
      (s) => managing(s, undefined).rotate(client(s).clientId),
      invalidToken,
    ),
    bad(
      'secret rotation of a client without a secret',
      [400, 'invalid_request', /this client authenticates with private_key_jwt; it has no client secret to rotate/],
      (s) => mine(s).rotate(client(s).clientId),
      {
        arrange: async (s) => {
          s.client = await registerJsonClient(s, {
            token_endpoint_auth_method: 'private_key_jwt',
            token_endpoint_auth_signing_alg: 'PS256',
          })
        },
      },
    ),
    bad(
      'PATCH',
      [405, 'invalid_request', /PATCH is not supported here; use GET, PUT, DELETE/],
      (s) => mine(s).patch(client(s).clientId),
      { headers: { allow: /^GET, PUT, DELETE$/ } },
    ),
    bad(
      'GET of the registration endpoint',
      [405, 'invalid_request', /GET is not supported here; use POST/],
      (s) => managing(s, undefined).get(''),
      { headers: { allow: /^POST$/ } },
    ),
    bad(
      'GET where reading is switched off',
      [405, 'invalid_request', /^GET is not supported here$/],
      (s) => mine(s).get(client(s).clientId),
      { bank: 'switchedOff' },
    ),
    bad(
      'PUT where updating is switched off',
      [405, 'invalid_request', /^PUT is not supported here$/],
      (s) => mine(s).put(client(s).clientId, update(s, {})),
      { bank: 'switchedOff' },
    ),
    bad(
      'DELETE where deleting is switched off',
      [405, 'invalid_request', /^DELETE is not supported here$/],
      (s) => mine(s).delete(client(s).clientId),
      { bank: 'switchedOff' },
    ),
    bad(
      'secret rotation where it is switched off',
      [405, 'invalid_request', /^POST is not supported here$/],
      (s) => mine(s).rotate(client(s).clientId),
      { bank: 'switchedOff' },
    ),
    bad(
      'an access token nobody issued',
      [401, 'invalid_token', notValid],
      (s) => managing(s, 'access-unknown').get(client(s).clientId),
      { bank: 'managedByAccessToken', ...invalidToken },
    ),
    bad(
      'another client’s access token',
      [403, 'insufficient_scope', /another client/],
      (s) => managing(s, other(s).token).get(client(s).clientId),
      { bank: 'managedByAccessToken', ...otherClient },
    ),
    bad(
      'a registration access token where the brand takes access tokens only',
      [401, 'invalid_token', notValid],
      (s) => managing(s, `${client(s).clientId}.${'C'.repeat(43)}`).get(client(s).clientId),
      { bank: 'managedByAccessToken', ...invalidToken },
    ),
    bad(
      'a certificate-bound access token without the certificate',
      [401, 'invalid_token', /the access token is bound to a client certificate that this request did not present/],
      (s) => mine(s).get(client(s).clientId),
      {
        bank: 'managedByAccessToken',
        ...invalidToken,
        arrange: async (s) => {
          s.client = await registerSignedClient(s, 'bound-to-a-certificate-thumbprint')
        },
      },
    ),
    bad(
      'an access token of a client since deleted',
      [401, 'invalid_token', /the client is not registered \(or was deleted\)/],
      (s) => mine(s).get(client(s).clientId),
      {
        bank: 'managedByAccessToken',
        ...invalidToken,
        arrange: async (s) => {
          await s.bank.store.delete(client(s).clientId)
        },
      },
    ),
    bad(
      'ob-uk PUT with a redirect URI outside the software statement',
      [400, 'invalid_redirect_uri', /is not in the software statement/],
      async (s) =>
        mine(s).put(
          client(s).clientId,
          await signed(s, { claims: { redirect_uris: ['https://evil.example/cb'] } }),
          'application/jose',
        ),
      { bank: 'managedByAccessToken' },
    ),
    bad(
      'ob-uk PUT replaying a used jti',
      [400, 'invalid_client_metadata', /jti "put-once" has already been used/],
      async (s) =>
        mine(s).put(client(s).clientId, await signed(s, { claims: { jti: 'put-once' } }), 'application/jose'),
      {
        bank: 'managedByAccessToken',
        arrange: async (s) => {
          const first = await post(s, await signed(s, { claims: { jti: 'put-once' } }))
          if (first.status !== 201) throw new Error(`arranging a registration failed: ${first.text}`)
          s.secrets.push(...[first.body.client_secret].filter(Boolean))
        },
      },
    ),
  ],
}
