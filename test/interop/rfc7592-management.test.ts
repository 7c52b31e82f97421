// RFC 7592 client configuration management, done as the RFC tells a client to: openid-client 6 has no
// RFC 7592 helpers, so after registering with its dynamicClientRegistration() this file speaks to the
// `registration_client_uri` with plain fetch (undici over real TLS) and `Authorization: Bearer
// <registration_access_token>`. The server may issue a new registration access token in any answer
// (RFC 7592 §3); the client then MUST use the newest one it got.
import type { RunningSandbox } from '@open-dcr/sandbox'
import * as client from 'openid-client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cleanUp, sandbox } from '../helpers.js'
import { closeAgents, jsonRequest, newKit, registerObUk, type TlsFetch, tlsFetch } from './fixtures.js'

const brand = 'meridian-connect'

let bank: RunningSandbox
let tls: TlsFetch
beforeAll(async () => {
  bank = await sandbox()
  tls = tlsFetch(bank.state.ca.certPem)
})
afterAll(async () => {
  await closeAgents()
  await bank?.close()
  await cleanUp()
})

/** Members RFC 7592 §2.2 forbids in an update request: the server owns them. */
const serverOwned = [
  'registration_access_token',
  'registration_client_uri',
  'client_secret_expires_at',
  'client_id_issued_at',
]

/** A client_secret_basic client registered by openid-client; the registration response as it came. */
async function registerClient(): Promise<Record<string, unknown> & { client_id: string }> {
  const kit = await newKit(bank)
  const config = await client.dynamicClientRegistration(
    new URL(`${bank.urls.mtls}/${brand}`),
    {
      client_name: 'RFC 7592 interop',
      grant_types: ['client_credentials'],
      token_endpoint_auth_method: 'client_secret_basic',
      software_statement: kit.software_statement,
    },
    client.ClientSecretBasic(),
    { [client.customFetch]: tls.fetch },
  )
  const registered = config.clientMetadata()
  expect(registered.registration_client_uri).toEqual(expect.any(String))
  expect(registered.registration_access_token).toEqual(expect.any(String))
  // JSON round trip: only the response members (openid-client keeps its clock settings under symbols).
  return JSON.parse(JSON.stringify(registered))
}

/**
 * The client side of RFC 7592: requests to the client configuration endpoint with the newest
 * registration access token, adopting any new one an answer carries.
 */
function management(registered: Record<string, unknown>, via: TlsFetch = tls) {
  const uri = String(registered.registration_client_uri)
  let newest = String(registered.registration_access_token)
  return {
    uri,
    newest: () => newest,
    async send(method: 'GET' | 'PUT' | 'DELETE', body?: unknown, token = newest) {
      const res = await jsonRequest(via.fetch, uri, {
        method,
        ...(body === undefined ? {} : { body }),
        headers: { authorization: `Bearer ${token}` },
      })
      if (typeof res.body.registration_access_token === 'string') newest = res.body.registration_access_token
      return res
    },
  }
}

describe('RFC 7592 management of an openid-client registration on meridian-connect', () => {
  it('GET → 200 carrying registration_client_uri AND registration_access_token (§3); that token works', async () => {
    const registered = await registerClient()
    const api = management(registered)
    const read = await api.send('GET')
    expect(read.status).toBe(200)
    expect(read.body.client_id).toBe(registered.client_id)
    expect(read.body.registration_client_uri).toBe(api.uri)
    expect(read.body.registration_access_token).toEqual(expect.any(String))
    const again = await api.send('GET', undefined, read.body.registration_access_token as string)
    expect(again.status).toBe(200)
  })

  it('PUT with all metadata and client_id (§2.2) → 200 carrying both members; GET with the PUT answer’s token works', async () => {
    const registered = await registerClient()
    const api = management(registered)
    // §2.2: every metadata value from the last response, client_id, and (allowed) the current client_secret;
    // none of the server-owned members.
    const update = Object.fromEntries(Object.entries(registered).filter(([name]) => !serverOwned.includes(name)))
    update.client_name = 'RFC 7592 interop, renamed'
    const put = await api.send('PUT', update)
    expect(put.body.error_description).toBeUndefined()
    expect(put.status).toBe(200)
    expect(put.body).toMatchObject({ client_id: registered.client_id, client_name: 'RFC 7592 interop, renamed' })
    expect(put.body.registration_client_uri).toBe(api.uri)
    expect(put.body.registration_access_token).toEqual(expect.any(String))

    const read = await api.send('GET', undefined, put.body.registration_access_token as string)
    expect(read.status).toBe(200)
    expect(read.body.client_name).toBe('RFC 7592 interop, renamed')
  })

  it('DELETE → 204; then GET → 401 (§2.3)', async () => {
    const registered = await registerClient()
    const api = management(registered)
    const deleted = await api.send('DELETE')
    expect(deleted.status).toBe(204)
    const read = await api.send('GET')
    expect(read.status).toBe(401)
    expect(read.headers.get('www-authenticate')).toMatch(/^Bearer\b/)
  })

  it('two concurrent GETs with the same token both succeed, and the token in each answer works', async () => {
    const registered = await registerClient()
    const api = management(registered)
    const token = api.newest()
    const answers = await Promise.all([api.send('GET', undefined, token), api.send('GET', undefined, token)])
    expect(answers.map((answer) => answer.status)).toEqual([200, 200])
    const tokens = answers.map((answer) => answer.body.registration_access_token)
    expect(tokens).toEqual([expect.any(String), expect.any(String)])
    // Two workers of one client, each continuing with the token it was given: a token replaced a moment
    // ago must still be accepted for a short grace period (SPEC-NOTES §6), or one of them is locked out.
    const next = await Promise.all(tokens.map((next) => api.send('GET', undefined, next as string)))
    expect(next.map((answer) => answer.status)).toEqual([200, 200])
  })
})

describe('RFC 7592 reads on harbour-smallbiz, the brand that issues a new registration access token on use', () => {
  /** An ob-uk client registered over mutual TLS; management calls go over the same certificate. */
  async function registerObClient() {
    const kit = await newKit(bank)
    const mtls = tlsFetch(bank.state.ca.certPem, kit.transport)
    const created = await registerObUk(
      bank,
      kit,
      'harbour-smallbiz',
      `${bank.urls.mtls}/harbour-smallbiz/register`,
      mtls,
      {
        token_endpoint_auth_method: 'private_key_jwt',
      },
    )
    expect(created.status).toBe(201)
    return management(created.body, mtls)
  }

  it('each GET answer carries a new token, and the client goes on with the newest', async () => {
    const api = await registerObClient()
    for (let read = 0; read < 3; read++) {
      const before = api.newest()
      const res = await api.send('GET')
      expect(res.status).toBe(200)
      expect(res.body.registration_access_token).toEqual(expect.any(String))
      expect(api.newest()).not.toBe(before)
    }
  })

  it('two concurrent GETs with the same token both succeed, and the token in each answer works', async () => {
    const api = await registerObClient()
    const token = api.newest()
    const answers = await Promise.all([api.send('GET', undefined, token), api.send('GET', undefined, token)])
    expect(answers.map((answer) => answer.status)).toEqual([200, 200])
    const tokens = answers.map((answer) => answer.body.registration_access_token)
    expect(tokens).toEqual([expect.any(String), expect.any(String)])
    const next = await Promise.all(tokens.map((next) => api.send('GET', undefined, next as string)))
    expect(next.map((answer) => answer.status)).toEqual([200, 200])
  })
})
