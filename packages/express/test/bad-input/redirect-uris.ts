import { sharedPki } from '../fixtures.js'
import { bad, type Family } from './harness.js'
import { postJson, register, registering } from './requests.js'
import type { Scene } from './scene.js'

const loopback = /points at a loopback host; use a public https URI/
const hidden = /contains control, invisible, bidirectional or space characters/
const userinfo = /must not contain user information \(user:password@\)/
const wildcard = /contains a wildcard; register each redirect URI in full/
const notAbsolute = /is not an absolute URI with a host \(https:\/\/host\/path\)/
const code = 'invalid_redirect_uri'

/** A software statement listing exactly `uris`, for the shared kit. */
async function statementListing(scene: Scene, uris: unknown[]): Promise<string> {
  const { directory } = await sharedPki()
  const { kit } = scene
  return directory.issueSoftwareStatement({
    software_id: kit.softwareId,
    software_roles: kit.roles,
    software_redirect_uris: uris as string[],
    software_jwks_endpoint: kit.softwareJwksEndpoint,
    org_id: kit.orgId,
  })
}

/** A registration asking for `uri`, which its software statement lists: only the URI rules can refuse it. */
const listed = (uri: string) => async (s: Scene) =>
  register(s, { software_statement: await statementListing(s, [uri]), redirect_uris: [uri] })

/** The same, with the request leaving redirect_uris to the software statement. */
const fromStatement = (uri: string) => async (s: Scene) =>
  register(s, { software_statement: await statementListing(s, [uri]), redirect_uris: undefined })

/** Family 5: redirect URIs, every loopback spelling, wildcards, userinfo, hidden characters. */
export const redirectUris: Family = {
  name: 'redirect URIs',
  bank: 'obUk',
  cases: [
    ...[
      'https://localhost/cb',
      'https://localhost./cb',
      'https://LocalHost/cb',
      'https://app.localhost/cb',
      'https://localhost%2E/cb',
      'https://localhost\u3002/cb',
      'https://%6c%6f%63%61%6c%68%6f%73%74/cb',
      'https://\uff4c\uff4f\uff43\uff41\uff4c\uff48\uff4f\uff53\uff54/cb',
      'https://127.0.0.1/cb',
      'https://127.0.0.2/cb',
      'https://127.255.255.254:8443/cb',
      'https://127.1/cb',
      'https://0x7f.1/cb',
      'https://0x7f000001/cb',
      'https://2130706433/cb',
      'https://017700000001/cb',
      'https://[::1]/cb',
      'https://[0:0:0:0:0:0:0:1]/cb',
      'https://[::ffff:127.0.0.1]/cb',
      'https://[::ffff:7f00:1]/cb',
      'https://[::127.0.0.1]/cb',
      'https://0.0.0.0/cb',
      'https://0/cb',
      'https://[::]/cb',
      'http://localhost:3000/cb',
    ].map((uri) => bad(`loopback ${JSON.stringify(uri)}`, [400, code, loopback], listed(uri))),
    bad(
      'loopback from the software statement when the request has none',
      [400, code, loopback],
      fromStatement('https://127.0.0.1/cb'),
    ),
    bad('a wildcard host', [400, code, wildcard], listed('https://*.tpp.example/cb')),
    bad('a wildcard path', [400, code, wildcard], listed('https://tpp.example/*')),
    bad('a wildcard in the query', [400, code, wildcard], listed('https://tpp.example/cb?state=*')),
    bad('userinfo user@', [400, code, userinfo], listed('https://user@tpp.example/cb')),
    bad('userinfo user:password@', [400, code, userinfo], listed('https://u:p@tpp.example/cb')),
    bad('empty userinfo https://@', [400, code, userinfo], listed('https://@tpp.example/cb')),
    bad('the bank’s host as userinfo of another', [400, code, userinfo], listed('https://tpp.example@evil.example/cb')),
    bad('empty userinfo without slashes, https:@', [400, code, notAbsolute], listed('https:@tpp.example/cb')),
    bad('no slashes, https:host', [400, code, notAbsolute], listed('https:tpp.example/cb')),
    bad('one slash, https:/host', [400, code, notAbsolute], listed('https:/tpp.example/cb')),
    bad('three slashes, https:///host', [400, code, notAbsolute], listed('https:///tpp.example/cb')),
    bad(
      'three slashes and an empty userinfo, https:///:@host',
      [400, code, notAbsolute],
      listed('https:///:@tpp.example/cb'),
    ),
    bad('backslashes, https:\\\\host', [400, code, /must not contain a backslash/], listed('https:\\\\tpp.example/cb')),
    bad(
      'a backslash before @',
      [400, code, /must not contain a backslash/],
      listed('https://tpp.example\\@evil.example/cb'),
    ),
    bad('a right-to-left override', [400, code, hidden], listed('https://tpp.example/cb\u202egpj.exe')),
    bad('a left-to-right mark', [400, code, hidden], listed('https://tpp.example/\u200ecb')),
    bad('a first-strong isolate', [400, code, hidden], listed('https://tpp.example/\u2068cb')),
    bad('a NUL', [400, code, hidden], listed('https://tpp.example/c\u0000b')),
    bad('a newline', [400, code, hidden], listed('https://tpp.example/cb\n')),
    bad('a carriage return in the host', [400, code, hidden], listed('https://tpp.\rexample/cb')),
    bad('a tab', [400, code, hidden], listed('https://tpp.example/\tcb')),
    bad('DEL', [400, code, hidden], listed('https://tpp.example/cb\u007f')),
    bad('a C1 control (NEL)', [400, code, hidden], listed('https://tpp.example/cb\u0085')),
    bad('a zero-width space', [400, code, hidden], listed('https://tpp\u200b.example/cb')),
    bad('a soft hyphen', [400, code, hidden], listed('https://tpp.example/cb\u00ad')),
    bad('a line separator', [400, code, hidden], listed('https://tpp.example/cb\u2028')),
    bad('a space', [400, code, hidden], listed('https://tpp.example/c b')),
    bad('a fragment', [400, code, /must not contain a fragment/], listed('https://tpp.example/cb#frag')),
    bad('an empty fragment', [400, code, /must not contain a fragment/], listed('https://tpp.example/cb#')),
    bad('http', [400, code, /must use https/], listed('http://tpp.example/cb')),
    bad('ftp', [400, code, /must use https/], listed('ftp://tpp.example/cb')),
    bad('a custom scheme', [400, code, notAbsolute], listed('com.tpp.app:/cb')),
    bad('javascript:', [400, code, notAbsolute], listed('javascript:alert(document.domain)')),
    bad('data:', [400, code, notAbsolute], listed('data:text/html,<script>alert(1)</script>')),
    bad('file:///', [400, code, notAbsolute], listed('file:///etc/passwd')),
    bad(
      '257 characters',
      [400, code, /redirect URI is longer than 256 characters/],
      listed(`https://tpp.example/${'a'.repeat(237)}`),
    ),
    bad('not a URI', [400, code, notAbsolute], listed('not-a-uri')),
    bad('a relative reference', [400, code, notAbsolute], listed('/cb')),
    bad(
      'not in the software statement',
      [400, code, /https:\/\/evil.example\/cb is not in the software statement's software_redirect_uris/],
      registering({ redirect_uris: ['https://evil.example/cb'] }),
    ),
    bad(
      'a listed URI with a trailing slash added',
      [400, code, /is not in the software statement/],
      registering((s) => ({ redirect_uris: [`${s.kit.redirectUris[0]}/`] })),
    ),
    bad(
      'a listed URI in other case',
      [400, code, /is not in the software statement/],
      registering((s) => ({ redirect_uris: [(s.kit.redirectUris[0] ?? '').toUpperCase()] })),
    ),
    bad(
      'one good and one unlisted',
      [400, code, /evil.example.* is not in the software statement/],
      registering((s) => ({ redirect_uris: [s.kit.redirectUris[0], 'https://evil.example/cb'] })),
    ),
    bad(
      'a string, not an array',
      [400, code, /"redirect_uris" must be a non-empty array of strings/],
      registering((s) => ({ redirect_uris: s.kit.redirectUris[0] })),
    ),
    bad('an empty array', [400, code, /must be a non-empty array of strings/], registering({ redirect_uris: [] })),
    bad(
      'an array of numbers',
      [400, code, /must be a non-empty array of strings/],
      registering({ redirect_uris: [42] }),
    ),
    bad(
      'an array holding null',
      [400, code, /must be a non-empty array of strings/],
      registering({ redirect_uris: [null] }),
    ),
    bad(
      'an object',
      [400, code, /must be a non-empty array of strings/],
      registering({ redirect_uris: { 0: 'https://tpp.example/callback' } }),
    ),
    bad(
      'none in the request and none in the statement',
      [400, code, /"redirect_uris" is required/],
      (s) => postJson(s, {}),
      { bank: 'rfc7591', options: { requireSoftwareStatement: false } },
    ),
  ],
}
