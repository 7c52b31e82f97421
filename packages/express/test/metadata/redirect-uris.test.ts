import { describe, expect, it } from 'vitest'
import { CheckError, toErrorResponse } from '../../src/index.js'
import { checkRedirectUris } from '../../src/metadata/redirect-uris.js'

const strict = { allowLoopback: false }
const ssa = ['https://tpp.example/cb', 'https://tpp.example/cb2']

const code = (fn: () => unknown) => {
  try {
    fn()
  } catch (err) {
    return err instanceof CheckError && err.subject === 'client metadata'
      ? `${err.code} → ${toErrorResponse(err).body.error}: ${err.message}`
      : `not a client metadata CheckError: ${String(err)}`
  }
  return 'no error'
}

describe('checkRedirectUris', () => {
  it('accepts a subset of the SSA list and removes duplicates', () => {
    expect(checkRedirectUris(['https://tpp.example/cb', 'https://tpp.example/cb'], ssa, strict)).toEqual([
      'https://tpp.example/cb',
    ])
  })
  it('takes the SSA list when the request has none', () => {
    expect(checkRedirectUris(undefined, ssa, strict)).toEqual(ssa)
  })
  it('requires URIs when neither the request nor the SSA has them', () => {
    expect(code(() => checkRedirectUris(undefined, undefined, strict))).toMatch(
      /^ERR_DCR_REDIRECT_URI_INVALID → invalid_redirect_uri: "redirect_uris" is required/,
    )
  })
  const long = `https://tpp.example/${'a'.repeat(250)}`
  it.each([
    { uris: ['https://evil.example/cb'], listed: ssa, message: /not in the software statement/ },
    { uris: ['http://tpp.example/cb'], listed: ['http://tpp.example/cb'], message: /must use https/ },
    { uris: ['https://localhost/cb'], listed: ['https://localhost/cb'], message: /loopback/ },
    { uris: ['https://127.0.0.1/cb'], listed: ['https://127.0.0.1/cb'], message: /loopback/ },
    { uris: ['https://[::1]/cb'], listed: ['https://[::1]/cb'], message: /loopback/ },
    ...[
      'https://localhost./cb',
      'https://LocalHost/cb',
      'https://app.localhost/cb',
      'https://127.0.0.2/cb',
      'https://0x7f.1/cb',
      'https://2130706433/cb',
      'https://[::ffff:127.0.0.1]/cb',
      'https://[0:0:0:0:0:0:0:1]/cb',
      'https://0.0.0.0/cb',
    ].map((uri) => ({ uris: [uri], listed: [uri], message: /loopback/ })),
    { uris: ['https://*.tpp.example/cb'], listed: ['https://*.tpp.example/cb'], message: /wildcard/ },
    { uris: ['https://tpp.example/*'], listed: ['https://tpp.example/*'], message: /wildcard/ },
    { uris: ['https://user@tpp.example/cb'], listed: ['https://user@tpp.example/cb'], message: /user information/ },
    { uris: ['https://u:p@tpp.example/cb'], listed: ['https://u:p@tpp.example/cb'], message: /user information/ },
    { uris: ['https://@tpp.example/cb'], listed: ['https://@tpp.example/cb'], message: /user information/ },
    {
      uris: ['https://tpp.example/cb\u202egpj'],
      listed: ['https://tpp.example/cb\u202egpj'],
      message: /bidirectional/,
    },
    { uris: ['https://tpp.example/c\u0000b'], listed: ['https://tpp.example/c\u0000b'], message: /control/ },
    { uris: ['https://tpp.example/cb\n'], listed: ['https://tpp.example/cb\n'], message: /control/ },
    { uris: ['https://tpp.example/cb#frag'], listed: ['https://tpp.example/cb#frag'], message: /fragment/ },
    { uris: [long], listed: [long], message: /longer than 256/ },
    { uris: ['not-a-uri'], listed: ['not-a-uri'], message: /not an absolute URI/ },
    { uris: ['not a uri'], listed: ['not a uri'], message: /space characters/ },
    { uris: ['https:@tpp.example/cb'], listed: ['https:@tpp.example/cb'], message: /not an absolute URI with a host/ },
    {
      uris: ['https://tpp.example\\@evil.example/cb'],
      listed: ['https://tpp.example\\@evil.example/cb'],
      message: /backslash/,
    },
    { uris: ['https://tpp\u200b.example/cb'], listed: ['https://tpp\u200b.example/cb'], message: /invisible/ },
    { uris: [], listed: ssa, message: /non-empty array/ },
    { uris: 'https://tpp.example/cb', listed: ssa, message: /non-empty array/ },
    { uris: [42], listed: ssa, message: /non-empty array/ },
  ])('rejects $uris with invalid_redirect_uri', ({ uris, listed, message }) => {
    const outcome = code(() => checkRedirectUris(uris, listed, strict))
    expect(outcome).toMatch(/^ERR_DCR_REDIRECT_URI_INVALID → invalid_redirect_uri: /)
    expect(outcome).toMatch(message)
  })
  it('accepts ordinary https URIs with ports, paths, queries and international names', () => {
    const uris = ['https://tpp.example:8443/cb?x=1&y=2', 'https://bücher.example/cb', 'https://10.1.2.3/cb']
    expect(checkRedirectUris(uris, uris, strict)).toEqual(uris)
  })
  it('allows loopback http only for a permissive brand, and never other http', () => {
    const local = ['http://localhost:3000/cb']
    expect(checkRedirectUris(local, local, { allowLoopback: true })).toEqual(local)
    expect(
      code(() => checkRedirectUris(['http://tpp.example/cb'], ['http://tpp.example/cb'], { allowLoopback: true })),
    ).toMatch(/https/)
  })
})
