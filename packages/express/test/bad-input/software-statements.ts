import { constants, generateKeyPairSync, type KeyObject, randomUUID, sign } from 'node:crypto'
import { createMockDirectory, generateSigningKey, signRegistrationRequest, toJwks } from '@open-dcr/testkit'
import { SignJWT } from 'jose'
import { issuer, sharedPki } from '../fixtures.js'
import { bad, type Family } from './harness.js'
import { b64, post, postJson, register, requestClaims } from './requests.js'
import type { Scene } from './scene.js'

const invalid = 'invalid_software_statement'
const unapproved = 'unapproved_software_statement'
const required = /software_statement is required and must be a signed JWT/

/** The claims of a good software statement for the kit, with `overrides` (`undefined` removes one). */
async function statementClaims(scene: Scene, overrides: Record<string, unknown> = {}) {
  const { directory } = await sharedPki()
  const { kit } = scene
  const claims: Record<string, unknown> = {
    iss: directory.issuer,
    iat: Math.floor(scene.bank.clock.now / 1000),
    jti: randomUUID(),
    software_id: kit.softwareId,
    software_roles: kit.roles,
    software_redirect_uris: kit.redirectUris,
    software_jwks_endpoint: kit.softwareJwksEndpoint,
    org_id: kit.orgId,
    org_status: 'Active',
    ...overrides,
  }
  return Object.fromEntries(Object.entries(claims).filter(([, value]) => value !== undefined))
}

/** A software statement signed with the directory's key (or `key`), with any claims and header members. */
async function statement(
  scene: Scene,
  overrides: Record<string, unknown> = {},
  options: { header?: Record<string, unknown>; key?: KeyObject } = {},
) {
  const { directory } = await sharedPki()
  return new SignJWT(await statementClaims(scene, overrides))
    .setProtectedHeader({ alg: 'PS256', kid: directory.signingKey.kid, typ: 'JWT', ...options.header })
    .sign(options.key ?? directory.signingKey.privateKey)
}

/** A case's request: a registration carrying the software statement `make` builds. */
const carrying = (make: (scene: Scene) => Promise<unknown> | unknown) => async (s: Scene) =>
  register(s, { software_statement: await make(s) })

/** Family 8: software statements that are unsigned, mis-signed, untrusted, revoked, stale or incomplete. */
export const softwareStatements: Family = {
  name: 'software statements',
  bank: 'obUk',
  cases: [
    bad(
      'missing',
      [400, invalid, required],
      carrying(() => undefined),
    ),
    bad(
      'empty',
      [400, invalid, required],
      carrying(() => ''),
    ),
    bad(
      'a number',
      [400, invalid, required],
      carrying(() => 42),
    ),
    bad(
      'an object',
      [400, invalid, required],
      carrying(() => ({ software_id: 'x' })),
    ),
    bad(
      'unsigned (alg none)',
      [400, invalid, /software statement alg "none" is not allowed/],
      carrying(async (s) => `${b64({ alg: 'none' })}.${b64(await statementClaims(s))}.`),
    ),
    bad(
      'HS256 keyed with the directory’s public key',
      [400, invalid, /software statement alg "HS256" is not allowed/],
      carrying(async (s) =>
        new SignJWT(await statementClaims(s))
          .setProtectedHeader({ alg: 'HS256' })
          .sign(new TextEncoder().encode(JSON.stringify((await sharedPki()).directory.jwks.keys[0]))),
      ),
    ),
    bad(
      'RS256',
      [400, invalid, /software statement alg "RS256" is not allowed/],
      carrying((s) => statement(s, {}, { header: { alg: 'RS256' } })),
    ),
    bad(
      'crit in its header',
      [400, invalid, /software statement header has "crit"/],
      carrying(async (s) => `${b64({ alg: 'PS256', crit: ['exp'] })}.${b64(await statementClaims(s))}.c2ln`),
    ),
    bad(
      'not a JWS',
      [400, invalid, /software statement is not a compact JWS/],
      carrying(() => 'not-a-jws'),
    ),
    bad(
      'four segments',
      [400, invalid, /software statement is not a compact JWS/],
      carrying(async (s) => `${await statement(s)}.c2ln`),
    ),
    bad(
      'a payload that is not JSON',
      [400, invalid, /software statement payload is not a JSON claims set/],
      carrying(() => `${b64({ alg: 'PS256' })}.${b64('nope')}.c2ln`),
    ),
    bad(
      'no iss',
      [400, invalid, /software statement has no "iss" claim/],
      carrying((s) => statement(s, { iss: undefined })),
    ),
    bad(
      'iss a number',
      [400, invalid, /software statement has no "iss" claim/],
      carrying((s) => statement(s, { iss: 7 })),
    ),
    bad(
      'an untrusted directory',
      [400, unapproved, /software statement issuer "Rogue Directory" is not a trusted directory/],
      carrying(async (s) =>
        (await createMockDirectory({ issuer: 'Rogue Directory' })).issueSoftwareStatement(
          (await statementClaims(s, { iss: undefined })) as { software_id: string },
        ),
      ),
    ),
    bad(
      'the trusted directory’s name, another key',
      [
        400,
        invalid,
        /software statement (signature does not verify|is signed with a key that is not in the trusted key set)/,
      ],
      carrying(async (s) => statement(s, {}, { key: (await generateSigningKey('PS256')).privateKey })),
    ),
    bad(
      'signed by the software’s own key',
      [
        400,
        invalid,
        /software statement (signature does not verify|is signed with a key that is not in the trusted key set)/,
      ],
      carrying((s) => statement(s, {}, { key: s.kit.signingKey.privateKey, header: { kid: s.kit.signingKey.kid } })),
    ),
    bad(
      'a jku header pointing at another key set',
      [
        400,
        invalid,
        /software statement (signature does not verify|is signed with a key that is not in the trusted key set)/,
      ],
      carrying(async (s) => {
        const rogue = await generateSigningKey('PS256')
        const { jwks } = await sharedPki()
        jwks.publish(`rogue-${rogue.kid}`, toJwks(rogue))
        return statement(
          s,
          {},
          { key: rogue.privateKey, header: { kid: rogue.kid, jku: jwks.endpoint(`rogue-${rogue.kid}`) } },
        )
      }),
    ),
    bad(
      'a tampered payload',
      [400, invalid, /software statement signature does not verify/],
      carrying(async (s) => {
        const [header, , signature] = (await statement(s)).split('.')
        return `${header}.${b64(await statementClaims(s, { software_roles: ['AISP', 'PISP', 'CBPII'] }))}.${signature}`
      }),
    ),
    bad(
      'a revoked organisation',
      [400, unapproved, /organisation status is "Revoked", not Active/],
      carrying((s) => statement(s, { org_status: 'Revoked' })),
    ),
    bad(
      'a withdrawn organisation',
      [400, unapproved, /organisation status is "Withdrawn", not Active/],
      carrying((s) => statement(s, { org_status: 'Withdrawn' })),
    ),
    bad(
      'org_status "active" in lower case',
      [400, unapproved, /organisation status is "active", not Active/],
      carrying((s) => statement(s, { org_status: 'active' })),
    ),
    bad(
      'expired',
      [400, invalid, /software statement has expired/],
      carrying((s) =>
        statement(s, {
          iat: Math.floor(s.bank.clock.now / 1000) - 7200,
          exp: Math.floor(s.bank.clock.now / 1000) - 3600,
        }),
      ),
    ),
    bad(
      'older than the brand’s maximum age',
      [400, invalid, /software statement is too old/],
      carrying((s) => statement(s, { iat: Math.floor(s.bank.clock.now / 1000) - 7200 })),
      { options: { softwareStatementMaxAge: 3600 } },
    ),
    bad(
      'issued in the future',
      [400, invalid, /software statement has an invalid "iat" claim/],
      carrying((s) => statement(s, { iat: Math.floor(s.bank.clock.now / 1000) + 3600 })),
    ),
    bad(
      'not valid before a time to come',
      [400, invalid, /software statement has an invalid "nbf" claim/],
      carrying((s) => statement(s, { nbf: Math.floor(s.bank.clock.now / 1000) + 3600 })),
    ),
    bad(
      'no iat',
      [400, invalid, /software statement has an invalid "iat" claim/],
      carrying((s) => statement(s, { iat: undefined })),
    ),
    bad(
      'iat a word',
      [400, invalid, /software statement has an invalid "iat" claim/],
      carrying((s) => statement(s, { iat: 'today' })),
    ),
    bad(
      'no software_id',
      [400, invalid, /software statement has no "software_id" claim/],
      carrying((s) => statement(s, { software_id: undefined })),
    ),
    bad(
      'software_id a number',
      [400, invalid, /software statement has no "software_id" claim/],
      carrying((s) => statement(s, { software_id: 1 })),
    ),
    bad(
      'no software_roles',
      [400, invalid, /software statement has no "software_roles"/],
      carrying((s) => statement(s, { software_roles: undefined })),
    ),
    bad(
      'empty software_roles',
      [400, invalid, /software statement has no "software_roles"/],
      carrying((s) => statement(s, { software_roles: [] })),
    ),
    bad(
      'software_roles a string',
      [400, invalid, /"software_roles" must be an array of strings/],
      carrying((s) => statement(s, { software_roles: 'AISP' })),
    ),
    bad(
      'software_redirect_uris a string',
      [400, invalid, /"software_redirect_uris" must be an array of strings/],
      carrying((s) => statement(s, { software_redirect_uris: 'https://tpp.example/cb' })),
    ),
    bad(
      'no software_jwks_endpoint',
      [400, invalid, /software statement has no valid "software_jwks_endpoint"/],
      carrying((s) => statement(s, { software_jwks_endpoint: undefined })),
    ),
    bad(
      'software_jwks_endpoint not a URL',
      [400, invalid, /software statement has no valid "software_jwks_endpoint"/],
      carrying((s) => statement(s, { software_jwks_endpoint: 'jwks please' })),
    ),
    bad(
      'software_jwks_endpoint over http',
      [400, invalid, /"software_jwks_endpoint" must be an https URL/],
      carrying((s) => statement(s, { software_jwks_endpoint: 'http://jwks.tpp.example/jwks' })),
    ),
    bad(
      'software_jwks_endpoint that answers 404',
      [400, 'invalid_client_metadata', /software JWKS at .* (could not be fetched|did not return a valid JWKS)/],
      carrying(async (s) => statement(s, { software_jwks_endpoint: `${(await sharedPki()).jwks.url}/nobody/jwks` })),
    ),
    bad(
      'software_jwks_endpoint on a loopback address',
      [
        400,
        'invalid_client_metadata',
        /software JWKS at https:\/\/127\.0\.0\.1:9\/jwks is at 127\.0\.0\.1, which is not a public address/,
      ],
      carrying((s) => statement(s, { software_jwks_endpoint: 'https://127.0.0.1:9/jwks' })),
    ),
    bad(
      'software_jwks inline at a brand that does not allow it',
      [400, invalid, /has no valid "software_jwks_endpoint"/],
      carrying((s) => statement(s, { software_jwks_endpoint: undefined, software_jwks: toJwks(s.kit.signingKey) })),
    ),
    bad(
      'software_jwks inline that is not a key set',
      [400, invalid, /"software_jwks" is not a valid JWKS/],
      carrying((s) => statement(s, { software_jwks_endpoint: undefined, software_jwks: { keys: [1, 2] } })),
      { options: { softwareJwks: { allowInline: true } } },
    ),
    bad(
      'software_jwks inline with an RSA key of one byte',
      [400, 'invalid_client_metadata', /registration request is signed with a key that cannot be used/],
      carrying((s) =>
        statement(s, {
          software_jwks_endpoint: undefined,
          software_jwks: { keys: [{ ...s.kit.signingKey.publicJwk, n: 'AA' }] },
        }),
      ),
      { options: { softwareJwks: { allowInline: true } } },
    ),
    bad(
      'software_jwks inline without the signing key',
      [400, 'invalid_client_metadata', /registration request is signed with a key that is not in the trusted key set/],
      carrying(async (s) =>
        statement(s, { software_jwks_endpoint: undefined, software_jwks: toJwks(await generateSigningKey('PS256')) }),
      ),
      { options: { softwareJwks: { allowInline: true } } },
    ),
    bad(
      'a software JWKS holding a 1024-bit RSA key',
      [
        400,
        'invalid_client_metadata',
        /registration request is signed with a key that cannot be used \(RSA keys need 2048 bits or more\)/,
      ],
      async (s) => {
        const { jwks } = await sharedPki()
        const weak = generateKeyPairSync('rsa', { modulusLength: 1024 })
        const endpoint = `weak-${randomUUID()}`
        jwks.publish(endpoint, {
          keys: [{ ...weak.publicKey.export({ format: 'jwk' }), kid: 'weak', alg: 'PS256', use: 'sig' }],
        })
        const header = b64({ alg: 'PS256', kid: 'weak' })
        const payload = b64(
          requestClaims(s, {
            software_statement: await statement(s, { software_jwks_endpoint: jwks.endpoint(endpoint) }),
          }),
        )
        const signature = sign('sha256', Buffer.from(`${header}.${payload}`), {
          key: weak.privateKey,
          padding: constants.RSA_PKCS1_PSS_PADDING,
          saltLength: 32,
        })
        return post(s, `${header}.${payload}.${signature.toString('base64url')}`)
      },
    ),
    bad(
      'a software JWKS holding an EC key off the curve',
      [400, 'invalid_client_metadata', /software JWKS at .* holds a key that cannot be used/],
      async (s) => {
        const { jwks } = await sharedPki()
        const endpoint = `off-curve-${randomUUID()}`
        jwks.publish(endpoint, {
          keys: [{ kty: 'EC', crv: 'P-256', x: 'AA', y: 'AA', kid: 'off-curve', alg: 'ES256' }],
        })
        const ssa = await statement(s, { software_jwks_endpoint: jwks.endpoint(endpoint) })
        return post(
          s,
          `${b64({ alg: 'ES256', kid: 'off-curve' })}.${b64(requestClaims(s, { software_statement: ssa }))}.c2ln`,
        )
      },
    ),
    bad(
      'for another software than the request’s iss',
      [
        400,
        'invalid_client_metadata',
        /registration request "iss" must be the software statement's software_id "someone-else"/,
      ],
      carrying((s) => statement(s, { software_id: 'someone-else' })),
    ),
    bad(
      'the request iss not the software',
      [400, 'invalid_client_metadata', /"iss" must be the software statement's software_id/],
      async (s) =>
        post(
          s,
          await signRegistrationRequest({
            key: s.kit.signingKey.privateKey,
            kid: s.kit.signingKey.kid,
            softwareId: 'SomeoneElse',
            softwareStatement: s.kit.softwareStatement,
            audience: issuer,
            now: s.bank.clock.now,
          }),
        ),
    ),
    bad(
      'the request signed by another software’s key',
      [
        400,
        'invalid_client_metadata',
        /registration request (signature does not verify|is signed with a key that is not in the trusted key set)/,
      ],
      async (s) =>
        post(
          s,
          await signRegistrationRequest({
            key: (await generateSigningKey('PS256')).privateKey,
            kid: s.kit.signingKey.kid,
            softwareId: s.kit.softwareId,
            softwareStatement: s.kit.softwareStatement,
            audience: issuer,
            now: s.bank.clock.now,
          }),
        ),
    ),
    bad(
      'the request for another bank (aud)',
      [400, 'invalid_client_metadata', /registration request has an invalid "aud" claim/],
      async (s) =>
        post(
          s,
          await signRegistrationRequest({
            key: s.kit.signingKey.privateKey,
            kid: s.kit.signingKey.kid,
            softwareId: s.kit.softwareId,
            softwareStatement: s.kit.softwareStatement,
            audience: 'https://other-bank.example',
            now: s.bank.clock.now,
          }),
        ),
    ),
    bad(
      'rfc7591: required and missing',
      [400, invalid, /"software_statement" is required by this brand/],
      (s) => postJson(s, { redirect_uris: ['https://tpp.example/callback'] }),
      { bank: 'rfc7591' },
    ),
    bad(
      'rfc7591: a revoked organisation',
      [400, unapproved, /organisation status is "Revoked"/],
      async (s) =>
        postJson(s, {
          software_statement: await statement(s, { org_status: 'Revoked' }),
        }),
      { bank: 'rfc7591' },
    ),
  ],
}
