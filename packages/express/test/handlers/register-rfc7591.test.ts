import request from 'supertest'
import { afterAll, describe, expect, it } from 'vitest'
import { bankApp, newKit, sharedPki } from '../fixtures.js'

afterAll(async () => (await sharedPki()).jwks.close())

const postJson = (app: Parameters<typeof request>[0], body: unknown, type = 'application/json') =>
  request(app)
    .post('/bank/register')
    .set('content-type', type)
    .send(typeof body === 'string' ? body : JSON.stringify(body))

describe('POST /register (rfc7591)', () => {
  it('registers JSON metadata with a software statement whose claims win', async () => {
    const bank = await bankApp({ profile: 'rfc7591' })
    const { directory } = await sharedPki()
    const kit = await newKit()
    const ssa = await directory.issueSoftwareStatement({
      software_id: kit.softwareId,
      software_redirect_uris: ['https://tpp.example/cb'],
      client_name: 'Name from the directory',
    })
    const res = await postJson(bank.app, {
      software_statement: ssa,
      client_name: 'Name from the JSON',
      scope: 'openid accounts',
    })
    expect(res.status).toBe(201)
    expect(res.body).toMatchObject({
      client_name: 'Name from the directory',
      token_endpoint_auth_method: 'client_secret_basic',
      grant_types: ['authorization_code'],
      response_types: ['code'],
      redirect_uris: ['https://tpp.example/cb'],
      software_id: kit.softwareId,
      client_secret_expires_at: 0,
    })
    expect(res.body.client_secret).toMatch(/^[A-Za-z0-9_-]{36}$/)
    expect(res.body.id_token_signed_response_alg).toBeUndefined()
    expect(bank.store.created).toHaveLength(1)
  })

  it('requires a software statement by default', async () => {
    const bank = await bankApp({ profile: 'rfc7591' })
    const res = await postJson(bank.app, { redirect_uris: ['https://tpp.example/cb'] })
    expect(res.status).toBe(400)
    expect(res.body.error).toBe('invalid_software_statement')
    expect(bank.store.created).toHaveLength(0)
  })

  it('registers plain metadata when the brand makes statements optional', async () => {
    const bank = await bankApp({ profile: 'rfc7591', requireSoftwareStatement: false })
    const res = await postJson(bank.app, {
      redirect_uris: ['https://tpp.example/cb'],
      client_name: 'Plain',
      token_endpoint_auth_method: 'client_secret_post',
    })
    expect(res.status).toBe(201)
    expect(res.body).toMatchObject({
      client_name: 'Plain',
      token_endpoint_auth_method: 'client_secret_post',
      scope: 'openid accounts payments fundsconfirmations',
    })
  })

  it.each([
    ['not JSON', '{"redirect_uris": [', 'application/json', 400, 'invalid_client_metadata'],
    ['a JSON array', '[]', 'application/json', 400, 'invalid_client_metadata'],
    ['a JWS', 'a.b.c', 'application/jose', 415, 'invalid_request'],
  ])('refuses %s and stores nothing', async (_name, body, type, status, error) => {
    const bank = await bankApp({ profile: 'rfc7591', requireSoftwareStatement: false })
    const res = await postJson(bank.app, body, type)
    expect(res.status).toBe(status)
    expect(res.body.error).toBe(error)
    expect(bank.store.created).toHaveLength(0)
  })

  it('refuses a redirect URI outside the statement', async () => {
    const bank = await bankApp({ profile: 'rfc7591' })
    const { directory } = await sharedPki()
    const ssa = await directory.issueSoftwareStatement({
      software_id: 'abc',
      software_redirect_uris: ['https://tpp.example/cb'],
    })
    const res = await postJson(bank.app, { software_statement: ssa, redirect_uris: ['https://evil.example/cb'] })
    expect(res.status).toBe(400)
    expect(res.body.error).toBe('invalid_redirect_uri')
  })
})
