import { describe, expect, it } from 'vitest'
import { defaultBrands, resolveSandboxConfig } from '../src/index.js'

describe('resolveSandboxConfig', () => {
  it('defaults to the built-in brands: at least one ob-uk and one rfc7591', () => {
    const config = resolveSandboxConfig()
    expect(config.brands).toEqual(defaultBrands)
    expect(config.brands.map((b) => b.profile)).toEqual(expect.arrayContaining(['ob-uk', 'rfc7591']))
    expect(config.rateLimit).toEqual({ windowSeconds: 60, kits: 30, portalApps: 30 })
  })
  it('takes rate limits, each defaulted on its own (0 turns one off)', () => {
    expect(resolveSandboxConfig({ rateLimit: { kits: 0 } }).rateLimit).toEqual({
      windowSeconds: 60,
      kits: 0,
      portalApps: 30,
    })
  })
  it('adds brands, replaces one with the same id, and adds directories and client CAs', () => {
    const config = resolveSandboxConfig({
      brands: [{ id: 'northbank-personal', name: 'Replaced', market: 'UK', profile: 'ob-uk' }],
      directories: [{ issuer: 'Bank PKI', jwksUri: 'https://pki.example/jwks' }],
      clientCas: ['-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----'],
    })
    expect(config.brands.find((b) => b.id === 'northbank-personal')?.name).toBe('Replaced')
    expect(config.brands).toHaveLength(defaultBrands.length)
    expect(config.directories).toHaveLength(1)
    expect(config.clientCas).toHaveLength(1)
  })
  it.each([
    [[], /\(root\): must be an object/],
    [{ brands: {} }, /\n {2}brands: must be an array/],
    [{ brands: [{ name: 'x', market: 'UK', profile: 'ob-uk' }] }, /brands\[0\]\.id: is required/],
    [{ brands: [{ id: 'Bad Id', name: 'x', market: 'UK', profile: 'ob-uk' }] }, /brands\[0\]\.id: must be lowercase/],
    [
      { brands: [{ id: 'sandbox', name: 'x', market: 'UK', profile: 'ob-uk' }] },
      /brands\[0\]\.id: "sandbox" is reserved/,
    ],
    [
      { brands: [{ id: 'ok', name: 'x', market: 'UK', profile: 'fapi' }] },
      /brands\[0\]\.profile: must be one of "ob-uk"/,
    ],
    [{ directories: [{}] }, /directories\[0\]\.issuer: is required/],
    [{ clientCas: ['not a pem'] }, /clientCas\[0\]: must be a PEM certificate/],
    [
      { portalApps: [{ client_id: 'x', client_secret: 'long-enough-secret' }] },
      /portalApps\[0\]\.client_id: must be 8 to 128/,
    ],
    [
      { portalApps: [{ client_id: 'my-portal-app', client_secret: 'short' }] },
      /portalApps\[0\]\.client_secret: must be at least 16 characters/,
    ],
    [{ rateLimit: 30 }, /rateLimit: must be an object/],
    [{ rateLimit: { kits: -1 } }, /rateLimit\.kits: must be at least 0/],
    [{ rateLimit: { portalApps: 1.5 } }, /rateLimit\.portalApps: must be a whole number/],
    [{ rateLimit: { windowSeconds: 0 } }, /rateLimit\.windowSeconds: must be at least 1/],
    [{ rateLimit: { kitsPerMinute: 5 } }, /rateLimit\.kitsPerMinute: unknown key/],
  ])('refuses %j naming the field', (document, message) => {
    expect(() => resolveSandboxConfig(document)).toThrow(message)
  })
})
