import { createHash } from 'node:crypto'
import { createLocalJWKSet, jwtVerify } from 'jose'
import { describe, expect, it } from 'vitest'
import { idTokenKey, signIdToken } from '../../src/authorization/id-token.js'
import { generateBrandKey } from '../../src/brand-keys.js'

const half = (value: string) => createHash('sha256').update(value).digest().subarray(0, 16).toString('base64url')

describe('ID tokens', () => {
  it('are signed with the client’s registered alg (else the brand’s first) and carry c_hash, s_hash, at_hash', async () => {
    const keys = new Map([
      ['PS256', await generateBrandKey('PS256')],
      ['ES256', await generateBrandKey('ES256')],
    ] as const)
    const client = { clientId: 'c1', tenant: 'b', metadata: {}, secrets: [], createdAt: 0, updatedAt: 0, version: 1 }
    expect(idTokenKey(client, keys, ['PS256', 'ES256']).alg).toBe('PS256')
    const es = { ...client, metadata: { id_token_signed_response_alg: 'ES256' } }
    const key = idTokenKey(es, keys, ['PS256', 'ES256'])
    expect(key.alg).toBe('ES256')
    expect(() =>
      idTokenKey({ ...client, metadata: { id_token_signed_response_alg: 'RS256' } }, keys, ['PS256']),
    ).toThrow(/no RS256 signing key/)
    const now = 1_700_000_000_000
    const token = await signIdToken(
      key,
      {
        issuer: 'https://bank/b',
        subject: 'psu',
        audience: 'c1',
        authTime: 1_699_999_990,
        nonce: 'n',
        code: 'the-code',
        state: 'st',
        accessToken: 'at',
      },
      now,
    )
    const jwks = createLocalJWKSet({ keys: [...keys.values()].map((k) => k.publicJwk) })
    const { payload, protectedHeader } = await jwtVerify(token, jwks, {
      issuer: 'https://bank/b',
      audience: 'c1',
      algorithms: ['ES256'],
      currentDate: new Date(now),
    })
    expect(protectedHeader).toMatchObject({ alg: 'ES256', kid: key.kid, typ: 'JWT' })
    expect(payload).toMatchObject({
      sub: 'psu',
      nonce: 'n',
      auth_time: 1_699_999_990,
      c_hash: half('the-code'),
      s_hash: half('st'),
      at_hash: half('at'),
      exp: now / 1000 + 3600,
    })
  })
})
