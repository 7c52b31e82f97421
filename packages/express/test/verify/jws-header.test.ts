import { describe, expect, it } from 'vitest'
import { CheckError, toErrorResponse } from '../../src/index.js'
import { readJwsHeader } from '../../src/verify/jws-header.js'

const request = { code: 'ERR_DCR_REQUEST_OBJECT_INVALID', subject: 'request object', what: 'request' } as const
const statement = {
  code: 'ERR_DCR_SOFTWARE_STATEMENT_INVALID',
  subject: 'software statement',
  what: 'statement',
} as const
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')
const jws = (header: unknown) => `${b64(header)}.${b64({ a: 1 })}.c2ln`

describe('readJwsHeader', () => {
  it('returns the header of an allowed alg', () => {
    expect(readJwsHeader(jws({ alg: 'PS256', kid: 'k1' }), ['PS256'], request)).toEqual({
      alg: 'PS256',
      kid: 'k1',
    })
  })
  it.each(['none', 'HS256', 'RS256', undefined, 5])('refuses alg %s with the given code', (alg) => {
    const fn = () => readJwsHeader(jws({ alg }), ['PS256', 'ES256'], statement)
    expect(fn).toThrow(CheckError)
    expect(fn).toThrow(expect.objectContaining({ code: statement.code, subject: statement.subject }))
    expect(fn).toThrow(/^statement alg .* is not allowed; use one of PS256, ES256$/)
    let thrown: unknown
    try {
      fn()
    } catch (err) {
      thrown = err
    }
    expect(toErrorResponse(thrown)).toMatchObject({ status: 400, body: { error: 'invalid_software_statement' } })
  })
  it.each(['', 'abc', 'a.b', '!!.!!.!!', `${b64('x')}.e30.`, 'a.b.c.d.e'])('refuses malformed input %j', (input) => {
    expect(() => readJwsHeader(input, ['PS256'], request)).toThrow(/not a compact JWS/)
  })
})
