import { describe, expect, it } from 'vitest'
import { checkCiba, checkGrantTypes, checkResponseTypes } from '../../src/metadata/grant-types.js'

const grants = [
  'authorization_code',
  'client_credentials',
  'refresh_token',
  'urn:openid:params:grant-type:ciba',
] as const
const ciba = 'urn:openid:params:grant-type:ciba'

describe('checkGrantTypes', () => {
  it('accepts supported grants, de-duplicated', () => {
    expect(checkGrantTypes({ grant_types: ['client_credentials', 'client_credentials'] }, grants, undefined)).toEqual([
      'client_credentials',
    ])
  })
  it('uses the default or requires the claim', () => {
    expect(checkGrantTypes({}, grants, ['authorization_code'])).toEqual(['authorization_code'])
    expect(() => checkGrantTypes({}, grants, undefined)).toThrow(/"grant_types" is required/)
  })
  it('refuses unsupported and empty lists', () => {
    expect(() => checkGrantTypes({ grant_types: ['implicit'] }, grants, undefined)).toThrow(
      /"implicit" is not supported/,
    )
    expect(() => checkGrantTypes({ grant_types: [] }, grants, undefined)).toThrow(/must not be empty/)
    expect(() => checkGrantTypes({ grant_types: 'client_credentials' }, grants, undefined)).toThrow(/array/)
  })
})

describe('checkResponseTypes', () => {
  const both = ['code', 'code id_token'] as const
  it('defaults to code with authorization_code', () =>
    expect(checkResponseTypes({}, ['authorization_code'], both)).toEqual(['code']))
  it('accepts code id_token', () =>
    expect(checkResponseTypes({ response_types: ['code id_token'] }, ['authorization_code'], both)).toEqual([
      'code id_token',
    ]))
  it('refuses implicit-flow response types', () => {
    expect(() => checkResponseTypes({ response_types: ['id_token', 'token'] }, ['authorization_code'], both)).toThrow(
      /"id_token" is not supported/,
    )
  })
  it('has none without authorization_code, and refuses some', () => {
    expect(checkResponseTypes({}, ['client_credentials'], both)).toBeUndefined()
    expect(() => checkResponseTypes({ response_types: ['code'] }, ['client_credentials'], both)).toThrow(
      /needs the authorization_code/,
    )
  })
})

describe('checkCiba', () => {
  const algs = ['PS256', 'ES256']
  it('requires the delivery mode and, unless poll, an https notification endpoint', () => {
    expect(checkCiba({ backchannel_token_delivery_mode: 'poll' }, [ciba], algs)).toEqual({
      backchannel_token_delivery_mode: 'poll',
    })
    expect(() => checkCiba({}, [ciba], algs)).toThrow(/backchannel_token_delivery_mode" is required/)
    expect(() => checkCiba({ backchannel_token_delivery_mode: 'ping' }, [ciba], algs)).toThrow(
      /notification_endpoint" is required/,
    )
    expect(() =>
      checkCiba(
        { backchannel_token_delivery_mode: 'push', backchannel_client_notification_endpoint: 'http://tpp.example/n' },
        [ciba],
        algs,
      ),
    ).toThrow(/https URL/)
    expect(
      checkCiba(
        {
          backchannel_token_delivery_mode: 'ping',
          backchannel_client_notification_endpoint: 'https://tpp.example/n',
          backchannel_authentication_request_signing_alg: 'PS256',
          backchannel_user_code_parameter_supported: false,
        },
        [ciba],
        algs,
      ),
    ).toEqual({
      backchannel_token_delivery_mode: 'ping',
      backchannel_client_notification_endpoint: 'https://tpp.example/n',
      backchannel_authentication_request_signing_alg: 'PS256',
      backchannel_user_code_parameter_supported: false,
    })
  })
  it('refuses user codes, bad algs, and CIBA claims without the CIBA grant', () => {
    expect(() =>
      checkCiba(
        { backchannel_token_delivery_mode: 'poll', backchannel_user_code_parameter_supported: true },
        [ciba],
        algs,
      ),
    ).toThrow(/must be false/)
    expect(() =>
      checkCiba(
        { backchannel_token_delivery_mode: 'poll', backchannel_authentication_request_signing_alg: 'RS256' },
        [ciba],
        algs,
      ),
    ).toThrow(/"RS256" is not supported/)
    expect(() => checkCiba({ backchannel_token_delivery_mode: 'poll' }, ['client_credentials'], algs)).toThrow(
      /only allowed with/,
    )
  })
})
