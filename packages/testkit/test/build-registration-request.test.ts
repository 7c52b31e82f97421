import { decodeJwt, decodeProtectedHeader } from 'jose'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  buildRegistrationRequest,
  createCertificateAuthority,
  createMockDirectory,
  createTppKit,
  profileRequestDescriptions,
  readRequestDescription,
  type TppKit,
} from '../src/index.js'

let kit: TppKit
beforeAll(async () => {
  kit = await createTppKit({
    directory: await createMockDirectory(),
    ca: createCertificateAuthority(),
    jwksEndpoint: (id) => `https://tpp.example/${id}/jwks`,
  })
})

const input = () => ({
  metadata: { redirect_uris: ['https://tpp.example/cb'], client_name: 'App', scope: undefined },
  softwareId: kit.softwareId,
  softwareStatement: kit.softwareStatement,
  organizationIdentifier: 'PSDGB-FCA-123456',
  audience: 'https://bank.example',
})

describe('buildRegistrationRequest', () => {
  it('signed-jwt: a JWT signed with the key, carrying the software statement and the metadata', async () => {
    const built = await buildRegistrationRequest(profileRequestDescriptions['ob-uk'], input(), kit.signingKey)
    expect(built.contentType).toBe('application/jose')
    expect(built.body).toBe(built.text)
    expect(decodeProtectedHeader(built.text)).toMatchObject({ alg: kit.signingKey.alg, kid: kit.signingKey.kid })
    const claims = decodeJwt(built.text)
    expect(claims).toMatchObject({
      iss: kit.softwareId,
      aud: 'https://bank.example',
      software_id: kit.softwareId,
      software_statement: kit.softwareStatement,
      client_name: 'App',
    })
    expect(claims).not.toHaveProperty('scope')
  })

  it('json with a software statement: the statement and the metadata, as the exact text sent', async () => {
    const built = await buildRegistrationRequest(profileRequestDescriptions.rfc7591, input())
    expect(built.contentType).toBe('application/json')
    expect(built.body).toEqual({
      software_statement: kit.softwareStatement,
      redirect_uris: ['https://tpp.example/cb'],
      client_name: 'App',
    })
    expect(JSON.parse(built.text)).toEqual(built.body)
  })

  it('json with certificate identity: iss is the organizationIdentifier and no statement is sent', async () => {
    const built = await buildRegistrationRequest(profileRequestDescriptions.eidas, input())
    expect(built.body).toEqual({
      iss: 'PSDGB-FCA-123456',
      redirect_uris: ['https://tpp.example/cb'],
      client_name: 'App',
    })
  })

  it('sends an optional statement when the TPP has one, and says what a required part lacks', async () => {
    const optional = { ...profileRequestDescriptions.rfc7591, software_statement: 'optional' as const }
    const { softwareStatement: _none, ...anonymous } = input()
    expect((await buildRegistrationRequest(optional, anonymous)).body).not.toHaveProperty('software_statement')
    await expect(buildRegistrationRequest(profileRequestDescriptions.rfc7591, anonymous)).rejects.toThrow(
      /needs a software statement/,
    )
    await expect(buildRegistrationRequest(profileRequestDescriptions['ob-uk'], input())).rejects.toThrow(
      /needs a signing key/,
    )
  })
})

describe('readRequestDescription', () => {
  it('accepts a published description and names every wrong member', () => {
    expect(readRequestDescription({ ...profileRequestDescriptions.eidas })).toEqual(profileRequestDescriptions.eidas)
    expect(() => readRequestDescription({ format: 'xml', identity: 'x' })).toThrow(
      /format must be one of signed-jwt, json; content_type must be a string; .*identity must be one of/,
    )
  })
})
