import { describe, expect, it } from 'vitest'
import { parseBasicCredentials, triesBasic } from '../../src/client-auth/basic-credentials.js'
import { DcrError } from '../../src/errors.js'

const basic = (userPass: string) => `Basic ${Buffer.from(userPass, 'utf8').toString('base64')}`

describe('parseBasicCredentials (RFC 6749 §2.3.1)', () => {
  it('form-decodes both parts: %3A is a colon inside the secret, + a space', () => {
    expect(parseBasicCredentials(basic('client%3A1:se%3Acret+with+spaces'))).toEqual({
      clientId: 'client:1',
      secret: 'se:cret with spaces',
    })
  })

  it('splits at the first colon, so a raw colon stays in the secret', () => {
    expect(parseBasicCredentials(basic('c1:a:b'))).toEqual({ clientId: 'c1', secret: 'a:b' })
  })

  it('decodes %2B to a literal plus and %3D to an equals sign', () => {
    expect(parseBasicCredentials(basic('c1:1%2B1%3D2'))).toEqual({ clientId: 'c1', secret: '1+1=2' })
  })

  it('takes the scheme in any case and ignores other schemes', () => {
    expect(parseBasicCredentials(`bAsIc ${Buffer.from('c:s').toString('base64')}`)).toEqual({
      clientId: 'c',
      secret: 's',
    })
    expect(parseBasicCredentials('Bearer abc')).toBeUndefined()
    expect(parseBasicCredentials(undefined)).toBeUndefined()
  })

  it('refuses credentials without a colon, malformed escapes and non-VSCHAR characters as 401 invalid_client', () => {
    // No colon; a malformed escape; characters outside VSCHAR (RFC 6749 Appendix A), escaped or not.
    for (const header of [basic('no-colon'), basic('c1:%ZZ'), basic('c1:%C3%A9'), basic('c%0A1:s'), basic('c1:é')]) {
      let thrown: unknown
      try {
        parseBasicCredentials(header)
      } catch (err) {
        thrown = err
      }
      expect(thrown).toBeInstanceOf(DcrError)
      expect((thrown as DcrError).code).toBe('invalid_client')
      expect((thrown as DcrError).status).toBe(401)
    }
  })

  it('triesBasic tells a Basic attempt from anything else', () => {
    expect(triesBasic('Basic x')).toBe(true)
    expect(triesBasic('Bearer x')).toBe(false)
    expect(triesBasic(undefined)).toBe(false)
  })
})
