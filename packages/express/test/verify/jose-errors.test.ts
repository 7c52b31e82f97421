import { errors } from 'jose'
import { describe, expect, it } from 'vitest'
import { DcrError } from '../../src/index.js'
import { fromJoseError } from '../../src/verify/jose-errors.js'

describe('fromJoseError', () => {
  it.each([
    [new errors.JWTExpired('x', {}, 'exp', 'check_failed'), 'has expired (exp is in the past)'],
    [new errors.JWTExpired('x', {}, 'iat', 'check_failed'), 'is too old (its iat is beyond the maximum age)'],
    [new errors.JWTClaimValidationFailed('x', {}, 'aud', 'check_failed'), 'has an invalid "aud" claim: check_failed'],
    [new errors.JWSSignatureVerificationFailed(), 'signature does not verify with the trusted key'],
    [new errors.JWKSNoMatchingKey(), 'is signed with a key that is not in the trusted key set (check kid and alg)'],
    [new errors.JWSInvalid('x'), 'is not a well-formed signed JWT'],
    [new errors.JWKSTimeout(), 'key set could not be fetched in time'],
  ])('turns %s into a DcrError with the given code', (err, because) => {
    const mapped = fromJoseError(err, 'invalid_software_statement', 'software statement')
    expect(mapped).toBeInstanceOf(DcrError)
    expect((mapped as DcrError).code).toBe('invalid_software_statement')
    expect((mapped as DcrError).message).toBe(`software statement ${because}`)
    expect((mapped as DcrError).cause).toBe(err)
  })
  it('passes other errors through untouched', () => {
    const other = new Error('boom')
    expect(fromJoseError(other, 'invalid_client_metadata', 'x')).toBe(other)
    const dcr = new DcrError('invalid_redirect_uri', 'y')
    expect(fromJoseError(dcr, 'invalid_client_metadata', 'x')).toBe(dcr)
  })
})
