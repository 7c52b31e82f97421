import { createMockDirectory, generateSigningKey, type MockDirectory, toJwks } from '@open-dcr/testkit'
import { SignJWT } from 'jose'
import { beforeAll, describe, expect, it } from 'vitest'
import { toErrorResponse } from '../../src/index.js'
import { createSoftwareStatementVerifier } from '../../src/verify/software-statement.js'
import { rejectedCheck } from '../check-error.js'

let directory: MockDirectory
const now = Date.now()
const verifier = (overrides: Partial<Parameters<typeof createSoftwareStatementVerifier>[0]> = {}) =>
  createSoftwareStatementVerifier({
    directories: [{ issuer: directory.issuer, jwks: directory.jwks }],
    algorithms: ['PS256', 'ES256'],
    maxAge: 3600,
    clockTolerance: 30,
    requireRoles: true,
    now: () => now,
    ...overrides,
  })
/** `CODE → rfc_error: description` of the CheckError (subject: software statement) the promise rejects with. */
const failure = async (promise: Promise<unknown>) => {
  const err = await rejectedCheck(promise)
  expect(err.subject).toBe('software statement')
  return `${err.code} → ${toErrorResponse(err).body.error}: ${err.message}`
}

beforeAll(async () => {
  directory = await createMockDirectory()
})

describe('verifySoftwareStatement', () => {
  it('returns the claims of a valid statement', async () => {
    const jws = await directory.issueSoftwareStatement({ software_id: 's1', software_roles: ['AISP'] }, { now })
    const verified = await verifier()(jws)
    expect(verified.jws).toBe(jws)
    expect(verified.claims).toMatchObject({
      iss: 'OpenBanking Ltd',
      software_id: 's1',
      software_roles: ['AISP'],
      org_status: 'Active',
    })
  })
  it('refuses a missing or non-string statement', async () => {
    expect(await failure(verifier()(undefined))).toMatch(
      /^ERR_DCR_SOFTWARE_STATEMENT_INVALID → invalid_software_statement: software_statement is required/,
    )
    expect(await failure(verifier()({ jwt: 'x' }))).toMatch(
      /^ERR_DCR_SOFTWARE_STATEMENT_INVALID → invalid_software_statement/,
    )
  })
  it('refuses an untrusted issuer as unapproved', async () => {
    const other = await createMockDirectory({ issuer: 'Elsewhere' })
    const jws = await other.issueSoftwareStatement({ software_id: 's1' }, { now })
    expect(await failure(verifier()(jws))).toBe(
      'ERR_DCR_SOFTWARE_STATEMENT_UNAPPROVED → unapproved_software_statement: software statement issuer "Elsewhere" is not a trusted directory',
    )
  })
  it('refuses a statement older than the maximum age, and one from the future', async () => {
    const old = await directory.issueSoftwareStatement({ software_id: 's1' }, { now: now - 7200_000 })
    expect(await failure(verifier()(old))).toMatch(
      /^ERR_DCR_SOFTWARE_STATEMENT_INVALID → invalid_software_statement: software statement is too old/,
    )
    const future = await directory.issueSoftwareStatement({ software_id: 's1' }, { now: now + 600_000 })
    expect(await failure(verifier()(future))).toMatch(
      /^ERR_DCR_SOFTWARE_STATEMENT_INVALID → invalid_software_statement: .*"iat"/,
    )
  })
  it('refuses an expired statement', async () => {
    const expired = await directory.issueSoftwareStatement({ software_id: 's1' }, { now: now - 600_000, lifetime: 60 })
    expect(await failure(verifier()(expired))).toMatch(/has expired/)
  })
  it('refuses an alg outside the allow-list before looking at keys', async () => {
    const key = await generateSigningKey('ES256')
    const jws = await new SignJWT({ software_id: 's1' })
      .setProtectedHeader({ alg: 'ES256' })
      .setIssuer(directory.issuer)
      .setIssuedAt()
      .sign(key.privateKey)
    expect(await failure(verifier({ algorithms: ['PS256'] })(jws))).toMatch(/alg "ES256" is not allowed/)
  })
  it('requires software_id and, for UK OB, software_roles', async () => {
    const noId = await new SignJWT({})
      .setProtectedHeader({ alg: 'PS256', kid: directory.signingKey.kid })
      .setIssuer(directory.issuer)
      .setIssuedAt(Math.floor(now / 1000))
      .sign(directory.signingKey.privateKey)
    expect(await failure(verifier()(noId))).toMatch(/no "software_id"/)
    const noRoles = await directory.issueSoftwareStatement({ software_id: 's1', software_roles: [] }, { now })
    expect(await failure(verifier()(noRoles))).toMatch(/no "software_roles"/)
    expect((await verifier({ requireRoles: false })(noRoles)).claims.software_id).toBe('s1')
  })
  it('refuses Revoked and Withdrawn organisations as unapproved', async () => {
    for (const status of ['Revoked', 'Withdrawn'] as const) {
      const jws = await directory.issueSoftwareStatement({ software_id: 's1', org_status: status }, { now })
      expect(await failure(verifier()(jws))).toBe(
        `ERR_DCR_SOFTWARE_STATEMENT_UNAPPROVED → unapproved_software_statement: organisation status is "${status}", not Active`,
      )
    }
  })
  it('refuses a statement signed by another key under the trusted name', async () => {
    const impostor = await createMockDirectory()
    const jws = await impostor.issueSoftwareStatement({ software_id: 's1' }, { now })
    expect(await failure(verifier()(jws))).toMatch(
      /^ERR_DCR_SOFTWARE_STATEMENT_INVALID → invalid_software_statement: software statement (is signed with a key|signature)/,
    )
  })
  it('accepts any of several keys of a directory (key rollover)', async () => {
    const next = await generateSigningKey('ES256')
    const rolled = await createMockDirectory({ signingKey: next })
    const jws = await rolled.issueSoftwareStatement({ software_id: 's1' }, { now })
    const both = verifier({
      directories: [{ issuer: directory.issuer, jwks: { keys: [...directory.jwks.keys, ...toJwks(next).keys] } }],
    })
    expect((await both(jws)).claims.software_id).toBe('s1')
  })
})
