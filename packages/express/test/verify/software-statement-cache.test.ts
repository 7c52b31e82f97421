import { createMockDirectory } from '@open-dcr/testkit'
import { afterEach, describe, expect, it, vi } from 'vitest'
import * as jwt from '../../src/verify/jwt.js'
import { createSoftwareStatementVerifier } from '../../src/verify/software-statement.js'

vi.mock('../../src/verify/jwt.js', async (original) => {
  const actual = await original<typeof import('../../src/verify/jwt.js')>()
  return { ...actual, verifyJwtSignature: vi.fn(actual.verifyJwtSignature) }
})

afterEach(() => {
  vi.mocked(jwt.verifyJwtSignature).mockClear()
})

describe('a verified software statement is remembered', () => {
  it('checks the signature once in 10 minutes, the time claims every time', async () => {
    const directory = await createMockDirectory()
    const clock = { now: Date.now() }
    const verify = createSoftwareStatementVerifier({
      directories: [{ issuer: directory.issuer, jwks: directory.jwks }],
      algorithms: ['PS256'],
      maxAge: 900,
      clockTolerance: 0,
      requireRoles: true,
      now: () => clock.now,
    })
    const ssa = await directory.issueSoftwareStatement(
      { software_id: 's1', software_roles: ['AISP'] },
      { now: clock.now },
    )
    await verify(ssa)
    await verify(ssa)
    expect(vi.mocked(jwt.verifyJwtSignature)).toHaveBeenCalledTimes(1)
    clock.now += 601_000
    await verify(ssa)
    expect(vi.mocked(jwt.verifyJwtSignature)).toHaveBeenCalledTimes(2)
    // Remembered or not, a statement past its maximum age is refused.
    clock.now += 300_000
    await expect(verify(ssa)).rejects.toThrow(/too old/)
    expect(vi.mocked(jwt.verifyJwtSignature)).toHaveBeenCalledTimes(2)
  })

  it('remembers only what verified: a forged statement is checked (and refused) every time', async () => {
    const directory = await createMockDirectory()
    const impostor = await createMockDirectory()
    const verify = createSoftwareStatementVerifier({
      directories: [{ issuer: directory.issuer, jwks: directory.jwks }],
      algorithms: ['PS256'],
      maxAge: 900,
      clockTolerance: 0,
      requireRoles: true,
      now: Date.now,
    })
    const forged = await impostor.issueSoftwareStatement({ software_id: 's1', software_roles: ['AISP'] })
    await expect(verify(forged)).rejects.toThrow(/not in the trusted key set/)
    await expect(verify(forged)).rejects.toThrow(/not in the trusted key set/)
    expect(vi.mocked(jwt.verifyJwtSignature)).toHaveBeenCalledTimes(2)
  })
})
