import {
  buildRegistrationRequest,
  defaultRequestMetadata,
  profileRequestDescriptions,
  type RegistrationRequestDescription as TestkitDescription,
} from '@open-dcr/testkit'
import express from 'express'
import request from 'supertest'
import { afterAll, describe, expect, it } from 'vitest'
import {
  createDcr,
  createMemoryClientStore,
  type DcrOptions,
  defaultRequestDescription,
  profileNames,
  profiles,
  silentLogger,
} from '../../src/index.js'
import { issuer, newKit, sharedPki } from '../fixtures.js'

afterAll(async () => (await sharedPki()).jwks.close())

async function brand(overrides: Partial<DcrOptions>) {
  const { directory, jwks } = await sharedPki()
  return createDcr({
    issuer,
    profile: 'ob-uk',
    store: createMemoryClientStore({ logger: silentLogger }),
    directories: [{ issuer: directory.issuer, jwks: directory.jwks }],
    softwareJwks: { trustedOrigins: [jwks.url] },
    logger: silentLogger,
    ...overrides,
  })
}

describe('profiles', () => {
  it('are listed once, by name', () => {
    expect(profileNames).toEqual(['ob-uk', 'rfc7591', 'eidas'])
    for (const name of profileNames) expect(profiles[name].name).toBe(name)
  })

  it("match the testkit's built-in request descriptions (used by the CLI's --profile)", () => {
    for (const name of profileNames) {
      const published: TestkitDescription = defaultRequestDescription(profiles[name])
      expect(profileRequestDescriptions[name]).toEqual(published)
    }
  })

  it('describe each brand’s registration request from the profile and the brand’s options', async () => {
    expect((await brand({})).registrationRequest).toEqual({
      format: 'signed-jwt',
      content_type: 'application/jose',
      software_statement: 'required',
      identity: 'software-statement',
      http_signature: false,
      portal_token: false,
    })
    const optional = await brand({ profile: 'rfc7591', requireSoftwareStatement: false })
    expect(optional.registrationRequest).toMatchObject({ format: 'json', software_statement: 'optional' })
    const { ca } = await sharedPki()
    const eidas = await brand({
      profile: 'eidas',
      httpSignatures: { trustAnchors: [ca.certPem] },
      registrationAuth: async () => undefined,
    })
    expect(eidas.registrationRequest).toEqual({
      format: 'json',
      content_type: 'application/json',
      software_statement: 'absent',
      identity: 'certificate',
      http_signature: true,
      portal_token: true,
    })
    const bare = await brand({ profile: 'eidas', httpSignatures: { trustAnchors: [ca.certPem], methods: ['PUT'] } })
    expect(bare.registrationRequest).toMatchObject({ http_signature: false, portal_token: false })
  })

  it.each([
    ['ob-uk', {}],
    ['rfc7591', {}],
  ] as const)('%s: a request built from the published description registers', async (profile, extra) => {
    const dcr = await brand({ profile, ...extra })
    const app = express().use('/bank', dcr.router)
    const kit = await newKit()
    const built = await buildRegistrationRequest(
      dcr.registrationRequest,
      {
        metadata: defaultRequestMetadata(kit.roles, kit.redirectUris, kit.signingKey.alg),
        softwareId: kit.softwareId,
        softwareStatement: kit.softwareStatement,
        audience: issuer,
      },
      kit.signingKey,
    )
    const res = await request(app).post('/bank/register').set('content-type', built.contentType).send(built.text)
    expect(res.status).toBe(201)
    expect(res.body.software_id).toBe(kit.softwareId)
  })
})
