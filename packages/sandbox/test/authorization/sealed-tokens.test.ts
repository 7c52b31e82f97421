import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { createSealer } from '../../src/authorization/sealed-tokens.js'

describe('sealed tokens', () => {
  const clock = { now: 1_700_000_000_000 }
  const sealer = createSealer(new Uint8Array(randomBytes(32)), () => clock.now)

  it('open only as the kind and for the brand they were sealed for, until they expire', async () => {
    const token = await sealer.seal('authorization-code', 'bank-a', { client_id: 'c1' }, 60)
    expect(token.split('.')).toHaveLength(5)
    expect(token).not.toContain('c1')
    expect(await sealer.open('authorization-code', 'bank-a', token)).toMatchObject({
      ok: true,
      claims: { client_id: 'c1', aud: 'bank-a' },
    })
    expect(await sealer.open('refresh-token', 'bank-a', token)).toEqual({ ok: false, reason: 'invalid' })
    expect(await sealer.open('authorization-code', 'bank-b', token)).toEqual({ ok: false, reason: 'invalid' })
    clock.now += 61_000
    expect(await sealer.open('authorization-code', 'bank-a', token)).toEqual({ ok: false, reason: 'expired' })
  })

  it('refuse a token sealed with another key, or tampered with', async () => {
    const other = createSealer(new Uint8Array(randomBytes(32)), () => clock.now)
    const foreign = await other.seal('consent-transaction', 'bank-a', {}, 300)
    expect(await sealer.open('consent-transaction', 'bank-a', foreign)).toEqual({ ok: false, reason: 'invalid' })
    const own = await sealer.seal('consent-transaction', 'bank-a', {}, 300)
    const parts = own.split('.')
    const ciphertext = parts[3] ?? ''
    parts[3] = `${ciphertext.startsWith('A') ? 'B' : 'A'}${ciphertext.slice(1)}`
    expect(await sealer.open('consent-transaction', 'bank-a', parts.join('.'))).toEqual({
      ok: false,
      reason: 'invalid',
    })
    expect(() => createSealer(new Uint8Array(16), () => clock.now)).toThrow(/32 bytes/)
  })
})
