import fc from 'fast-check'
import request from 'supertest'
import { afterAll, describe, expect, it } from 'vitest'
import { bankApp, newKit, sharedPki } from '../fixtures.js'

afterAll(async () => (await sharedPki()).jwks.close())

const codes = [
  'invalid_redirect_uri',
  'invalid_client_metadata',
  'invalid_software_statement',
  'unapproved_software_statement',
  'invalid_request',
]

const claimNames = [
  'redirect_uris',
  'token_endpoint_auth_method',
  'token_endpoint_auth_signing_alg',
  'tls_client_auth_subject_dn',
  'grant_types',
  'response_types',
  'scope',
  'application_type',
  'id_token_signed_response_alg',
  'request_object_signing_alg',
  'software_id',
  'software_statement',
  'client_name',
  'logo_uri',
  'contacts',
  'backchannel_token_delivery_mode',
  'backchannel_client_notification_endpoint',
  'backchannel_authentication_request_signing_alg',
  'backchannel_user_code_parameter_supported',
]

describe('POST /register never answers bad input with a 500', () => {
  it('arbitrary bodies and content types → a 4xx RFC 7591 error, nothing stored', async () => {
    const bank = await bankApp()
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.json(), fc.constant('a.b.c')),
        fc.constantFrom(
          'application/jose',
          'application/jwt',
          'application/json',
          'text/plain',
          'application/jose; charset=latin1',
        ),
        async (body, type) => {
          const res = await bank.register(body, type)
          expect([400, 413, 415]).toContain(res.status)
          expect(codes).toContain(res.body.error)
        },
      ),
      { numRuns: 150 },
    )
    expect(bank.store.created).toHaveLength(0)
  })

  it('validly signed requests with arbitrary values for every known claim → 201 or a 400 with an RFC 7591 code', async () => {
    const bank = await bankApp()
    const kit = await newKit()
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(fc.constantFrom(...claimNames), fc.anything(), { maxKeys: 6 }),
        async (metadata) => {
          const res = await bank.register(await bank.sign(kit, metadata))
          if (res.status === 201) return
          expect(res.status).toBe(400)
          expect(codes).toContain(res.body.error)
          expect(typeof res.body.error_description).toBe('string')
        },
      ),
      { numRuns: 80 },
    )
  })

  it('arbitrary JSON to an rfc7591 brand → 201 or a 4xx RFC 7591 error', async () => {
    const bank = await bankApp({ profile: 'rfc7591', requireSoftwareStatement: false })
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), async (value) => {
        const res = await request(bank.app)
          .post('/bank/register')
          .set('content-type', 'application/json')
          .send(JSON.stringify(value))
        if (res.status === 201) return
        expect([400, 413]).toContain(res.status)
        expect(codes).toContain(res.body.error)
      }),
      { numRuns: 150 },
    )
  })
})
