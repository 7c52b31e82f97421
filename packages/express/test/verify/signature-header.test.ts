import { describe, expect, it } from 'vitest'
import { parseSignatureHeader } from '../../src/index.js'

const good =
  'keyId="SN=1A2B,CA=CN=QTSP,O=Q Ltd,C=GB",algorithm="rsa-sha256",headers="(request-target) date digest",signature="YWJj"'

describe('parseSignatureHeader', () => {
  it('reads the four parameters, headers lowercased in order', () => {
    expect(parseSignatureHeader(good)).toEqual({
      keyId: 'SN=1A2B,CA=CN=QTSP,O=Q Ltd,C=GB',
      algorithm: 'rsa-sha256',
      headers: ['(request-target)', 'date', 'digest'],
      signature: Buffer.from('abc'),
    })
    expect(parseSignatureHeader('keyId="k", signature="YWJj", created=1700000000').created).toBe(1700000000)
    expect(parseSignatureHeader('keyId="k",signature="YWJj"').headers).toEqual(['(created)'])
  })
  it.each([
    ['a duplicated parameter', `${good},keyId="other"`, /"keyid" appears twice/],
    ['an unknown parameter', `${good},extra="1"`, /unknown parameter "extra"/],
    ['no keyId', 'signature="YWJj"', /keyId is required/],
    ['no signature', 'keyId="k"', /signature is required/],
    ['an unquoted value', 'keyId=k,signature="YWJj"', /cannot read/],
    ['a non-base64 signature', 'keyId="k",signature="@@"', /must be base64/],
    ['a header listed twice', 'keyId="k",signature="YWJj",headers="date date"', /twice/],
    ['garbage', 'Signature keyId', /cannot read/],
  ])('refuses %s', (_name, value, message) => {
    expect(() => parseSignatureHeader(value)).toThrow(message)
  })
})
