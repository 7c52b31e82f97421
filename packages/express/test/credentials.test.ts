import { describe, expect, it } from 'vitest'
import { newClientId, newClientSecret, newRegistrationAccessToken } from '../src/credentials.js'
import { credentialMatches, hashCredential } from '../src/index.js'

describe('credentials', () => {
  it('makes ids and secrets of OB-compatible length, all different', () => {
    const secrets = new Set(Array.from({ length: 100 }, newClientSecret))
    expect(secrets.size).toBe(100)
    for (const secret of secrets) expect(secret).toMatch(/^[A-Za-z0-9_-]{36}$/)
    expect(newClientId()).toHaveLength(36)
    expect(newRegistrationAccessToken('c-1')).toMatch(/^c-1\.[A-Za-z0-9_-]{43}$/)
  })
  it('stores a hash that matches only the original value', () => {
    const secret = newClientSecret()
    const hash = hashCredential(secret)
    expect(hash).toMatch(/^sha256:[A-Za-z0-9_-]{43}$/)
    expect(hash).not.toContain(secret)
    expect(credentialMatches(secret, hash)).toBe(true)
    expect(credentialMatches(`${secret}x`, hash)).toBe(false)
    expect(credentialMatches(secret, 'sha256:short')).toBe(false)
    expect(credentialMatches('', hash)).toBe(false)
  })
})
