import { describe, expect, it } from 'vitest'
import { checkCodeChallenge, s256CodeChallenge, verifierMatches } from '../../src/authorization/pkce.js'

// RFC 7636 Appendix B.
const verifier = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk'
const challenge = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM'

describe('PKCE', () => {
  it('computes the RFC 7636 S256 example and matches only its verifier', () => {
    expect(s256CodeChallenge(verifier)).toBe(challenge)
    expect(verifierMatches(verifier, challenge)).toBe(true)
    expect(verifierMatches(`${verifier.slice(0, -1)}l`, challenge)).toBe(false)
    expect(verifierMatches('short', s256CodeChallenge('short'))).toBe(false)
  })

  it('requires S256: plain and an omitted method (which means plain) are refused', () => {
    expect(checkCodeChallenge(challenge, 'S256')).toBe(challenge)
    expect(() => checkCodeChallenge(challenge, 'plain')).toThrow(/must be S256/)
    expect(() => checkCodeChallenge(challenge, undefined)).toThrow(/omitted method means plain/)
    expect(() => checkCodeChallenge(undefined, 'S256')).toThrow(/code_challenge is required/)
    expect(() => checkCodeChallenge('too-short', 'S256')).toThrow(/43-character/)
  })
})
