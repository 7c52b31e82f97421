import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  createCertificateAuthority,
  createMockDirectory,
  createTppKit,
  generateSigningKey,
  jwtBearerAssertionType,
  kitRegistrationRequest,
  type MockDirectory,
  type SigningKey,
  signClientAssertion,
  signingKeyFromJwk,
  type TppKit,
  toJwks,
} from '../src/index.js'

let directory: MockDirectory
let kit: TppKit

beforeAll(async () => {
  directory = await createMockDirectory()
  kit = await createTppKit({
    directory,
    ca: createCertificateAuthority(),
    jwksEndpoint: (id) => `https://tpp.example/${id}/jwks`,
    roles: ['AISP', 'CBPII'],
  })
})

describe('generateSigningKey', () => {
  it.each(['PS256', 'ES256'] as const)(
    'makes a %s key whose kid is its thumbprint and whose JWK round-trips',
    async (alg) => {
      const key: SigningKey = await generateSigningKey(alg)
      expect(key.publicJwk).toMatchObject({ kid: key.kid, alg, use: 'sig', kty: alg === 'PS256' ? 'RSA' : 'EC' })
      expect(key.publicJwk).not.toHaveProperty('d')
      expect(key.privateJwk).toHaveProperty('d')
      const again = await signingKeyFromJwk(key.privateJwk)
      expect(again.kid).toBe(key.kid)
      expect(again.alg).toBe(alg)
    },
  )
})

describe('createMockDirectory', () => {
  it('signs statements with every OB claim, verifiable with its JWKS', async () => {
    const jws = await directory.issueSoftwareStatement({ software_id: 'abc', software_roles: ['PISP'] })
    const { payload, protectedHeader } = await jwtVerify(jws, createLocalJWKSet(directory.jwks), {
      issuer: 'OpenBanking Ltd',
    })
    expect(protectedHeader).toMatchObject({ alg: 'PS256', kid: directory.signingKey.kid })
    for (const claim of [
      'iat',
      'jti',
      'software_id',
      'software_client_id',
      'software_client_name',
      'software_client_description',
      'software_version',
      'software_environment',
      'software_mode',
      'software_redirect_uris',
      'software_roles',
      'software_logo_uri',
      'software_policy_uri',
      'software_tos_uri',
      'software_on_behalf_of_org',
      'org_id',
      'org_name',
      'org_status',
      'org_contacts',
      'organisation_competent_authority_claims',
    ]) {
      expect(payload, claim).toHaveProperty(claim)
    }
    expect(payload.software_roles).toEqual(['PISP'])
    expect(payload.exp).toBeUndefined()
  })
})

describe('createTppKit', () => {
  it('ties the SSA, the key and the certificates to one software and organisation', () => {
    expect(kit.softwareId).toMatch(/^[0-9A-Za-z]{22}$/)
    expect(kit.orgId).toMatch(/^[0-9A-Za-z]{18}$/)
    expect(kit.softwareJwksEndpoint).toBe(`https://tpp.example/${kit.softwareId}/jwks`)
    expect(kit.transport.subjectDn).toBe(`CN=${kit.softwareId},OU=${kit.orgId},O=OpenBanking,C=GB`)
    expect(kit.seal.subjectDn).toBe(kit.transport.subjectDn)
    expect(kit.seal.serialNumber).not.toBe(kit.transport.serialNumber)
  })
})

describe('kitRegistrationRequest', () => {
  it('signs a request the bank can verify with the kit JWKS, with defaults for the roles', async () => {
    const jwt = await kitRegistrationRequest(kit, {
      audience: 'https://bank.example',
      metadata: { client_name: 'App' },
    })
    expect(decodeProtectedHeader(jwt)).toMatchObject({ alg: 'PS256', kid: kit.signingKey.kid, typ: 'JWT' })
    const { payload } = await jwtVerify(jwt, createLocalJWKSet(toJwks(kit.signingKey)), {
      issuer: kit.softwareId,
      audience: 'https://bank.example',
    })
    expect(payload).toMatchObject({
      software_id: kit.softwareId,
      software_statement: kit.softwareStatement,
      scope: 'openid accounts fundsconfirmations',
      redirect_uris: kit.redirectUris,
      client_name: 'App',
    })
    expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBe(300)
    expect(payload.jti).toMatch(/^[0-9a-f-]{36}$/)
  })
  it('registers the kit key’s own alg for client assertions and request objects (an ES256 kit)', async () => {
    const es = await createTppKit({
      directory,
      ca: createCertificateAuthority(),
      jwksEndpoint: () => 'https://tpp.example/jwks',
      alg: 'ES256',
    })
    const payload = decodeJwt(await kitRegistrationRequest(es, { audience: 'x' }))
    expect(payload).toMatchObject({ token_endpoint_auth_signing_alg: 'ES256', request_object_signing_alg: 'ES256' })
  })
  it('leaves out claims set to undefined', async () => {
    const jwt = await kitRegistrationRequest(kit, { audience: 'x', metadata: { scope: undefined } })
    const { payload } = await jwtVerify(jwt, createLocalJWKSet(toJwks(kit.signingKey)))
    expect(payload).not.toHaveProperty('scope')
  })
})

describe('signClientAssertion', () => {
  it('signs an RFC 7523 assertion, with or without kid', async () => {
    const key = await generateSigningKey('ES256')
    const assertion = await signClientAssertion({
      key: key.privateKey,
      alg: 'ES256',
      clientId: 'c1',
      audience: 'https://bank.example/token',
    })
    expect(decodeProtectedHeader(assertion)).toEqual({ alg: 'ES256' })
    const { payload } = await jwtVerify(assertion, createLocalJWKSet(toJwks(key)), {
      audience: 'https://bank.example/token',
    })
    expect(payload).toMatchObject({ iss: 'c1', sub: 'c1' })
    const withKid = await signClientAssertion({
      key: key.privateKey,
      alg: 'ES256',
      kid: key.kid,
      clientId: 'c1',
      audience: 'a',
    })
    expect(decodeProtectedHeader(withKid).kid).toBe(key.kid)
    expect(jwtBearerAssertionType).toBe('urn:ietf:params:oauth:client-assertion-type:jwt-bearer')
  })
})
