import { describe, expect, it } from 'vitest'
import { checkAuthMethod } from '../../src/metadata/auth-method.js'
import { tokenEndpointAuthMethods } from '../../src/metadata/vocabulary.js'

const all = tokenEndpointAuthMethods
const algs = ['PS256', 'ES256']

describe('checkAuthMethod', () => {
  it('private_key_jwt needs an asymmetric signing alg', () => {
    expect(
      checkAuthMethod(
        { token_endpoint_auth_method: 'private_key_jwt', token_endpoint_auth_signing_alg: 'ES256' },
        all,
        algs,
        undefined,
      ),
    ).toEqual({
      token_endpoint_auth_method: 'private_key_jwt',
      token_endpoint_auth_signing_alg: 'ES256',
    })
    expect(() => checkAuthMethod({ token_endpoint_auth_method: 'private_key_jwt' }, all, algs, undefined)).toThrow(
      /signing_alg" is required/,
    )
    expect(() =>
      checkAuthMethod(
        { token_endpoint_auth_method: 'private_key_jwt', token_endpoint_auth_signing_alg: 'HS256' },
        all,
        algs,
        undefined,
      ),
    ).toThrow(/"HS256" is not supported with private_key_jwt/)
  })
  it('client_secret_jwt needs an HMAC alg', () => {
    expect(
      checkAuthMethod(
        { token_endpoint_auth_method: 'client_secret_jwt', token_endpoint_auth_signing_alg: 'HS256' },
        all,
        algs,
        undefined,
      ),
    ).toMatchObject({ token_endpoint_auth_signing_alg: 'HS256' })
    expect(() =>
      checkAuthMethod(
        { token_endpoint_auth_method: 'client_secret_jwt', token_endpoint_auth_signing_alg: 'PS256' },
        all,
        algs,
        undefined,
      ),
    ).toThrow(/not supported with client_secret_jwt/)
  })
  it('tls_client_auth needs the subject DN, and only it may carry one', () => {
    const dn = 'CN=abc,OU=org,O=OpenBanking,C=GB'
    expect(
      checkAuthMethod(
        { token_endpoint_auth_method: 'tls_client_auth', tls_client_auth_subject_dn: dn },
        all,
        algs,
        undefined,
      ),
    ).toEqual({
      token_endpoint_auth_method: 'tls_client_auth',
      tls_client_auth_subject_dn: dn,
    })
    expect(() => checkAuthMethod({ token_endpoint_auth_method: 'tls_client_auth' }, all, algs, undefined)).toThrow(
      /subject_dn" is required/,
    )
    expect(() =>
      checkAuthMethod(
        { token_endpoint_auth_method: 'client_secret_basic', tls_client_auth_subject_dn: dn },
        all,
        algs,
        undefined,
      ),
    ).toThrow(/only allowed with tls_client_auth/)
    expect(() =>
      checkAuthMethod(
        { token_endpoint_auth_method: 'tls_client_auth', tls_client_auth_subject_dn: 'not a dn' },
        all,
        algs,
        undefined,
      ),
    ).toThrow(/is not an RFC 4514 distinguished name/)
  })
  it('secret methods take no signing alg', () => {
    expect(checkAuthMethod({ token_endpoint_auth_method: 'client_secret_post' }, all, algs, undefined)).toEqual({
      token_endpoint_auth_method: 'client_secret_post',
    })
    expect(() =>
      checkAuthMethod(
        { token_endpoint_auth_method: 'client_secret_post', token_endpoint_auth_signing_alg: 'PS256' },
        all,
        algs,
        undefined,
      ),
    ).toThrow(/only allowed with private_key_jwt or client_secret_jwt/)
  })
  it('uses the profile default when omitted, and requires the method when there is none', () => {
    expect(checkAuthMethod({}, all, algs, 'client_secret_basic')).toEqual({
      token_endpoint_auth_method: 'client_secret_basic',
    })
    expect(() => checkAuthMethod({}, all, algs, undefined)).toThrow(/"token_endpoint_auth_method" is required/)
  })
  it('refuses a method the brand narrowed away, and an unknown one', () => {
    expect(() =>
      checkAuthMethod({ token_endpoint_auth_method: 'client_secret_basic' }, ['private_key_jwt'], algs, undefined),
    ).toThrow(/not supported by this brand; use one of private_key_jwt/)
    expect(() => checkAuthMethod({ token_endpoint_auth_method: 'none' }, all, algs, undefined)).toThrow(
      /"none" is not supported/,
    )
  })
})
