import { describe, expect, it } from 'vitest'
import { createDcrRouter, createMemoryClientStore, type DcrOptions, silentLogger } from '../src/index.js'

const store = createMemoryClientStore({ logger: silentLogger })
const valid: DcrOptions = {
  issuer: 'https://bank.example',
  profile: 'ob-uk',
  store,
  directories: [{ issuer: 'OpenBanking Ltd', jwksUri: 'https://directory.example/jwks' }],
  logger: silentLogger,
}
const build = (patch: Record<string, unknown>) => () => createDcrRouter({ ...valid, ...patch } as DcrOptions)

describe('createDcrRouter options', () => {
  it('builds a router from minimal valid options', () => {
    expect(createDcrRouter(valid)).toBeTypeOf('function')
  })
  it.each([
    [{ issuer: 'bank' }, /"issuer" must be an absolute URL/],
    [{ profile: 'fapi' }, /"profile" must be one of ob-uk, rfc7591/],
    [{ profile: 'toString' }, /"profile" must be one of/],
    [{ store: {} }, /"store" must have a create\(\) method/],
    [{ replayStore: { take: () => true } }, /"replayStore" must have a claim\(\) method/],
    [{ directories: [] }, /"directories" must name at least one trusted directory/],
    [{ directories: [{ issuer: 'x' }] }, /"directories\[0\]" must have exactly one of jwks and jwksUri/],
    [{ directories: [{ issuer: 'x', jwksUri: 'nope' }] }, /"directories\[0\].jwksUri" must be an absolute URL/],
    [
      {
        directories: [
          { issuer: 'x', jwks: { keys: [] } },
          { issuer: 'x', jwks: { keys: [] } },
        ],
      },
      /"directories\[1\].issuer" "x" is listed twice/,
    ],
    [{ signingAlgorithms: ['HS256'] }, /"signingAlgorithms" has "HS256"; allowed values: PS256, ES256, RS256/],
    [{ signingAlgorithms: [] }, /"signingAlgorithms" must be a non-empty array/],
    [{ audiences: [] }, /"audiences" must be a non-empty array of strings/],
    [{ clockTolerance: -1 }, /"clockTolerance" must be a whole number of seconds/],
    [{ softwareStatementMaxAge: 1.5 }, /"softwareStatementMaxAge"/],
    [{ bodyLimit: 10 }, /"bodyLimit" must be a whole number of bytes, at least 1024/],
    [{ registrationPath: 'register' }, /"registrationPath" must be a path/],
    [{ policy: { tokenEndpointAuthMethods: ['none'] } }, /"policy.tokenEndpointAuthMethods" has "none"/],
    [{ policy: { grantTypes: ['implicit'] } }, /"policy.grantTypes" has "implicit"/],
    [{ publicBaseUrl: '/x' }, /"publicBaseUrl" must be an absolute URL/],
    [
      { policy: { tokenEndpointAuthMethods: ['client_secret_jwt'] } },
      /"client_secret_jwt", which needs the plain client secret/,
    ],
    [
      { management: { registrationAccessToken: false } },
      /"management" must accept registration access tokens, access tokens, or both/,
    ],
    [
      { policy: { tokenEndpointAuthMethods: ['private_key_jwt', 'client_secret_jwt'] } },
      /"policy.tokenEndpointAuthMethods" has "client_secret_jwt", which needs the plain client secret; open-dcr stores secrets only as hashes \(use private_key_jwt\); allowed values: private_key_jwt, client_secret_basic, client_secret_post, tls_client_auth$/,
    ],
    [
      { policy: { tokenEndpointAuthMethods: ['none'] } },
      /has "none"; allowed values: private_key_jwt, client_secret_basic, client_secret_post, tls_client_auth$/,
    ],
    [{ hooks: 'audit' }, /"hooks" must be an object with any of registered, updated, deleted, secretRotated, refused/],
    [{ hooks: { registered: 'audit' } }, /"hooks.registered" must be a function/],
    [{ hooks: { registred: () => {} } }, /"hooks.registred" is not a hook; hooks are registered, updated/],
    [{ tenant: '' }, /"tenant" must be a non-empty string/],
    [{ tenant: 42 }, /"tenant" must be a non-empty string/],
    [{ logger: console.log }, /"logger" must be an object with info, warn, error/],
    [{ logger: { info: () => {}, warn: () => {} } }, /"logger" must have a error\(\) method/],
    [{ registrationAuth: 'token' }, /"registrationAuth" must be a function/],
    [{ management: { accessToken: 'yes' } }, /"management.accessToken" must be a function/],
    [{ management: { secretRotationGracePeriod: -5 } }, /"management.secretRotationGracePeriod"/],
    [{ management: { registrationAccessTokenGracePeriod: 0.5 } }, /"management.registrationAccessTokenGracePeriod"/],
    [{ softwareJwks: { maxBytes: 10 } }, /"softwareJwks.maxBytes" must be a whole number, at least 1024/],
    [
      { softwareJwks: { trustedOrigins: ['https://jwks.example/path'] } },
      /"softwareJwks.trustedOrigins\[0\]" must be an origin/,
    ],
    [{ softwareJwks: { trustedOrigins: 'https://jwks.example' } }, /"softwareJwks.trustedOrigins" must be an array/],
    [
      { management: { rotateRegistrationAccessToken: true } },
      /"management.rotateRegistrationAccessToken" was removed: every answer now carries a new registration access token/,
    ],
    [{ clientCertificates: { trustAnchors: [] } }, /"clientCertificates.trustAnchors" must list at least one PEM root/],
    [
      { clientCertificates: { trustAnchors: ['nope'] } },
      /"clientCertificates.trustAnchors\[0\]" is not a PEM certificate/,
    ],
    [
      { clientCertificates: { trustAnchors: ['x'], sources: [{ from: 'cookie' }] } },
      /"clientCertificates.sources\[0\]" must be \{ from: 'tls' \}/,
    ],
    [
      { clientCertificates: { trustAnchors: ['x'], sources: [{ from: 'header', name: 'x-cert', encoding: 'hex' }] } },
      /"clientCertificates.sources\[0\].encoding" must be pem-urlencoded, der-base64 or xfcc/,
    ],
  ])('refuses %j at startup with a TypeError naming the option', (patch, message) => {
    expect(build(patch)).toThrow(TypeError)
    expect(build(patch)).toThrow(message)
  })
  it('accepts every hook as a function, and any tenant string', () => {
    const hook = () => {}
    expect(build({ hooks: { registered: hook, updated: hook, deleted: hook, secretRotated: hook } })).not.toThrow()
    expect(build({ tenant: 'northbank' })).not.toThrow()
  })
  it('lists in the auth method error exactly the methods it accepts', () => {
    for (const method of ['private_key_jwt', 'client_secret_basic', 'client_secret_post', 'tls_client_auth']) {
      expect(build({ policy: { tokenEndpointAuthMethods: [method] } })).not.toThrow()
    }
  })
  it('lets an rfc7591 brand run without directories when statements are optional', () => {
    expect(build({ profile: 'rfc7591', directories: [], requireSoftwareStatement: false })).not.toThrow()
    expect(build({ profile: 'rfc7591', directories: [] })).toThrow(/directories/)
  })
  it('warns when it falls back to the in-memory replay store, and when it does not check certificates', () => {
    const warnings: string[] = []
    const logger = { ...silentLogger, warn: (_: object, msg: string) => warnings.push(msg) }
    createDcrRouter({ ...valid, logger })
    expect(warnings.join()).toMatch(/memory replay store/)
    expect(warnings.join()).toMatch(/client certificates are not checked by open-dcr/)
  })
})
