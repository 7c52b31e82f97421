import { describe, expect, it } from 'vitest'
import { createSoftwareKeyResolver } from '../../src/verify/software-keys.js'

const options = {
  allowInlineJwks: false,
  allowHttp: false,
  allowPrivateAddresses: false,
  trustedOrigins: [],
  maxBytes: 65536,
  timeout: 1000,
  cacheMaxAge: 60_000,
  cooldown: 30_000,
  maxCachedEndpoints: 2,
}

describe('createSoftwareKeyResolver', () => {
  it('refuses a missing, relative or http endpoint', () => {
    const resolve = createSoftwareKeyResolver(options)
    expect(() => resolve({ software_id: 's' })).toThrow(/no valid "software_jwks_endpoint"/)
    expect(() => resolve({ software_id: 's', software_jwks_endpoint: '/jwks' })).toThrow(/no valid/)
    expect(() => resolve({ software_id: 's', software_jwks_endpoint: 'http://tpp.example/jwks' })).toThrow(
      /must be an https URL/,
    )
  })
  it('allows http only when configured', () => {
    const resolve = createSoftwareKeyResolver({ ...options, allowHttp: true })
    expect(resolve({ software_id: 's', software_jwks_endpoint: 'http://tpp.example/jwks' })).toBeTypeOf('function')
  })
  it('reuses one key set per endpoint and keeps a bounded number', () => {
    const resolve = createSoftwareKeyResolver(options)
    const a = resolve({ software_id: 's', software_jwks_endpoint: 'https://a.example/jwks' })
    expect(resolve({ software_id: 's', software_jwks_endpoint: 'https://a.example/jwks' })).toBe(a)
    resolve({ software_id: 's', software_jwks_endpoint: 'https://b.example/jwks' })
    resolve({ software_id: 's', software_jwks_endpoint: 'https://c.example/jwks' })
    expect(resolve({ software_id: 's', software_jwks_endpoint: 'https://a.example/jwks' })).not.toBe(a)
  })
  it('ignores an inline key set unless allowed', () => {
    const claims = { software_id: 's', software_jwks: { keys: [] } }
    expect(() => createSoftwareKeyResolver(options)(claims)).toThrow(/software_jwks_endpoint/)
    expect(createSoftwareKeyResolver({ ...options, allowInlineJwks: true })(claims)).toBeTypeOf('function')
  })
})
