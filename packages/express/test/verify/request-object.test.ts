import { generateSigningKey, type SigningKey, signRegistrationRequest } from '@open-dcr/testkit'
import { createLocalJWKSet } from 'jose'
import { beforeAll, describe, expect, it } from 'vitest'
import { readRequestObject, verifyRequestObject } from '../../src/verify/request-object.js'
import { expectCheck, rejectedCheck } from '../check-error.js'

let key: SigningKey
const now = Date.now()
const options = () => ({
  algorithms: ['PS256', 'ES256'],
  audiences: ['https://bank.example', 'bank-org-id'],
  maxLifetime: 1800,
  clockTolerance: 30,
  now: () => now,
})
const sign = (extra: Partial<Parameters<typeof signRegistrationRequest>[0]> = {}) =>
  signRegistrationRequest({
    key: key.privateKey,
    kid: key.kid,
    softwareId: 'soft1',
    softwareStatement: 'ssa',
    audience: 'https://bank.example',
    now,
    ...extra,
  })
/** Decodes (once) and verifies, as the ob-uk profile does. */
const verify = (
  jws: string,
  ...rest: Parameters<typeof verifyRequestObject> extends [unknown, ...infer R] ? R : never
) => verifyRequestObject(readRequestObject(jws, ['PS256', 'ES256']), ...rest)
const message = async (promise: Promise<unknown>) => {
  const err = await rejectedCheck(promise)
  expectCheck(err, 'ERR_DCR_REQUEST_OBJECT_INVALID', 'request object', {
    status: 400,
    error: 'invalid_client_metadata',
  })
  return err.message
}

beforeAll(async () => {
  key = await generateSigningKey('PS256')
})

describe('readRequestObject', () => {
  it('returns the unverified payload after the alg check', async () => {
    expect(readRequestObject(await sign(), ['PS256']).payload.software_statement).toBe('ssa')
    expect(() => readRequestObject('a.b.c', ['PS256'])).toThrow(/not a compact JWS/)
  })
})

describe('verifyRequestObject', () => {
  const keys = () => createLocalJWKSet({ keys: [key.publicJwk] })

  it('accepts a request for any configured audience', async () => {
    const opts = options()
    const verified = await verify(await sign({ audience: 'bank-org-id' }), keys(), 'soft1', opts)
    expect(verified.claims).toMatchObject({ iss: 'soft1', aud: 'bank-org-id', software_statement: 'ssa' })
  })
  it('refuses a wrong audience, a wrong issuer, an expired request and an over-long one', async () => {
    expect(await message(verify(await sign({ audience: 'x' }), keys(), 'soft1', options()))).toMatch(/"aud"/)
    expect(await message(verify(await sign(), keys(), 'soft2', options()))).toMatch(/"iss"/)
    expect(await message(verify(await sign({ now: now - 3600_000 }), keys(), 'soft1', options()))).toMatch(/expired/)
    expect(await message(verify(await sign({ lifetime: 7200 }), keys(), 'soft1', options()))).toMatch(
      /lifetime \(exp - iat\) is 7200 s; the maximum is 1800 s/,
    )
  })
  it('tolerates clock skew within the tolerance only', async () => {
    expect((await verify(await sign({ now: now - 320_000 }), keys(), 'soft1', options())).claims.iss).toBe('soft1')
    expect(await message(verify(await sign({ now: now - 340_000 }), keys(), 'soft1', options()))).toMatch(/expired/)
  })
  it('returns the jti to claim (it claims nothing itself), kept until exp plus the tolerance', async () => {
    const verified = await verify(await sign({ jti: 'only-once', lifetime: 600 }), keys(), 'soft1', options())
    expect(verified.singleUse).toEqual({
      key: 'request-object:soft1:only-once',
      expiresAt: (Math.floor(now / 1000) + 600 + 30) * 1000,
      usedMessage: 'registration request jti "only-once" has already been used; sign a new request',
    })
  })
  it('refuses a signature by another key', async () => {
    const other = await generateSigningKey('PS256')
    const jwt = await signRegistrationRequest({
      key: other.privateKey,
      kid: key.kid,
      softwareId: 'soft1',
      softwareStatement: 'ssa',
      audience: 'https://bank.example',
      now,
    })
    expect(await message(verify(jwt, keys(), 'soft1', options()))).toMatch(/signature does not verify/)
  })
})
