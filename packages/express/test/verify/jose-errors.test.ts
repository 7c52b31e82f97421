import { errors } from 'jose'
import { describe, expect, it } from 'vitest'
import { CheckError, DcrError, toErrorResponse } from '../../src/index.js'
import { fromJoseError } from '../../src/verify/jose-errors.js'

const statement = {
  code: 'ERR_DCR_SOFTWARE_STATEMENT_INVALID',
  subject: 'software statement',
  what: 'software statement',
} as const

describe('fromJoseError', () => {
  it.each([
    [new errors.JWTExpired('x', {}, 'exp', 'check_failed'), 'has expired (exp is in the past)'],
    [new errors.JWTExpired('x', {}, 'iat', 'check_failed'), 'is too old (its iat is beyond the maximum age)'],
    [new errors.JWTClaimValidationFailed('x', {}, 'aud', 'check_failed'), 'has an invalid "aud" claim: check_failed'],
    [new errors.JWSSignatureVerificationFailed(), 'signature does not verify with the trusted key'],
    [new errors.JWKSNoMatchingKey(), 'is signed with a key that is not in the trusted key set (check kid and alg)'],
    [new errors.JWSInvalid('x'), 'is not a well-formed signed JWT'],
    [new errors.JWKSTimeout(), 'key set could not be fetched in time'],
  ])('turns %s into a CheckError with the given code and subject', (err, because) => {
    const mapped = fromJoseError(err, statement)
    expect(mapped).toBeInstanceOf(CheckError)
    expect((mapped as CheckError).code).toBe('ERR_DCR_SOFTWARE_STATEMENT_INVALID')
    expect((mapped as CheckError).subject).toBe('software statement')
    expect((mapped as CheckError).message).toBe(`software statement ${because}`)
    expect((mapped as CheckError).cause).toBe(err)
    expect(toErrorResponse(mapped).body.error).toBe('invalid_software_statement')
  })
  it('passes other errors through untouched', () => {
    const other = new Error('boom')
    expect(fromJoseError(other, statement)).toBe(other)
    const dcr = new DcrError('invalid_redirect_uri', 'y')
    expect(fromJoseError(dcr, statement)).toBe(dcr)
    const check = new CheckError('ERR_DCR_REDIRECT_URI_INVALID', 'client metadata', 'y')
    expect(fromJoseError(check, statement)).toBe(check)
  })
})
