import { describe, expect, it } from 'vitest'
import { DcrError } from '../../src/index.js'
import { readJwsHeader } from '../../src/verify/jws-header.js'

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')
const jws = (header: unknown) => `${b64(header)}.${b64({ a: 1 })}.c2ln`

describe('readJwsHeader', () => {
  it('returns the header of an allowed alg', () => {
    expect(readJwsHeader(jws({ alg: 'PS256', kid: 'k1' }), ['PS256'], 'invalid_client_metadata', 'request')).toEqual({
      alg: 'PS256',
      kid: 'k1',
    })
  })
  it.each(['none', 'HS256', 'RS256', undefined, 5])('refuses alg %s with the given code', (alg) => {
    const fn = () => readJwsHeader(jws({ alg }), ['PS256', 'ES256'], 'invalid_software_statement', 'statement')
    expect(fn).toThrow(DcrError)
    expect(fn).toThrow(/is not allowed; use one of PS256, ES256/)
  })
  it.each(['', 'abc', 'a.b', '!!.!!.!!', `${b64('x')}.e30.`, 'a.b.c.d.e'])('refuses malformed input %j', (input) => {
    expect(() => readJwsHeader(input, ['PS256'], 'invalid_client_metadata', 'request')).toThrow(/not a compact JWS/)
  })
})
