import { describe, expect, it } from 'vitest'
import { credentialsInGrace, isLive, liveCredentials } from '../../src/client-auth/secret-liveness.js'

const now = 1_700_000_000_000

describe('secret liveness', () => {
  it('the current secret (no expiresAt) is live; a replaced one until its expiresAt, exclusive', () => {
    expect(isLive({ hash: 'h' }, now)).toBe(true)
    expect(isLive({ hash: 'h', expiresAt: now + 1 }, now)).toBe(true)
    expect(isLive({ hash: 'h', expiresAt: now }, now)).toBe(false)
    expect(isLive({ hash: 'h', expiresAt: now - 1 }, now)).toBe(false)
  })

  it('liveCredentials keeps the current and the in-grace ones, credentialsInGrace only the latter', () => {
    const stored = [
      { hash: 'current' },
      { hash: 'grace', expiresAt: now + 60_000 },
      { hash: 'gone', expiresAt: now - 1 },
    ]
    expect(liveCredentials(stored, now).map((s) => s.hash)).toEqual(['current', 'grace'])
    expect(credentialsInGrace(stored, now).map((s) => s.hash)).toEqual(['grace'])
  })
})
