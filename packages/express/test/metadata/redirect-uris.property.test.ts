import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { checkRedirectUris } from '../../src/metadata/redirect-uris.js'
import { expectCheck } from '../check-error.js'
import { assertProperty, outcome } from '../property.js'

/** A host and whether it is this machine: the oracle is this list, not the code under test. */
interface Host {
  text: string
  loopback: boolean
}
const loopbackHosts = [
  'localhost',
  'LOCALHOST',
  'localhost.',
  'app.localhost',
  'a.b.localhost.',
  'localhost%2E',
  'localhost\u3002',
  '%6c%6f%63%61%6c%68%6f%73%74',
  '\uff4c\uff4f\uff43\uff41\uff4c\uff48\uff4f\uff53\uff54',
  '127.0.0.1',
  '127.0.0.2',
  '127.255.255.255',
  '127.1',
  '127.0.1',
  '0x7f.1',
  '0x7f000001',
  '0x7F.0.0.1',
  '2130706433',
  '017700000001',
  '0177.0.0.1',
  '127.000.000.001',
  '[::1]',
  '[0:0:0:0:0:0:0:1]',
  '[::ffff:127.0.0.1]',
  '[::ffff:7f00:1]',
  '[::127.0.0.1]',
  '[0::1]',
  '0.0.0.0',
  '0',
  '[::]',
  '0.1.2.3',
]
const publicHosts = [
  'tpp.example',
  'TPP.example',
  'b\u00fccher.example',
  'xn--bcher-kva.example',
  '10.1.2.3',
  '8.8.8.8',
  '[2001:db8::1]',
  'tpp.example.',
  'localhost.tpp.example',
  'tpp-localhost.example',
  '127.0.0.1.nip.io',
  '128.0.0.1',
]
const host: fc.Arbitrary<Host> = fc.oneof(
  fc.constantFrom(...loopbackHosts).map((text) => ({ text, loopback: true })),
  fc.constantFrom(...publicHosts).map((text) => ({ text, loopback: false })),
  fc.domain().map((text) => ({ text, loopback: false })),
  fc
    .constantFrom('*.tpp.example', '', 'tpp.example\\', 'tp p.example', 'tpp.exa%mple')
    .map((text) => ({ text, loopback: false })),
)
const scheme = fc.constantFrom(
  'https',
  'https',
  'https',
  'HTTPS',
  'http',
  'ftp',
  'file',
  'javascript',
  'com.tpp.app',
  'data',
  'hxxps',
)
const separator = fc.constantFrom('://', '://', '://', ':', ':/', ':\\\\', ':///', ':/\\')
const userinfo = fc.constantFrom('', '', '', 'user@', 'u:p@', '@', ':@', 'tpp.example@')
const port = fc.constantFrom('', '', ':443', ':8443', ':0', ':65536', ':x')
/** Path, query and fragment text, now and then with the characters the rules are about. */
const tail = fc.oneof(
  fc.constantFrom('/cb', '/callback', '/', '', '/cb?x=1&y=2', '/a/../b', '/%2e%2e/cb'),
  fc.string({ maxLength: 30 }).map((text) => `/${text}`),
  fc
    .tuple(
      fc.constantFrom('/cb'),
      fc.constantFrom(
        '#',
        '#frag',
        '*',
        '\\',
        ' ',
        '\u202e',
        '\u200b',
        '\u00ad',
        '\u0000',
        '\n',
        '\u2028',
        '\u0085',
        '\u007f',
        '%00',
        '\u00e9',
      ),
    )
    .map(([a, b]) => a + b),
  fc.nat({ max: 40 }).map((n) => `/${'a'.repeat(220 + n)}`),
)
interface Uri {
  text: string
  loopback: boolean
}
const uri: fc.Arbitrary<Uri> = fc
  .tuple(scheme, separator, userinfo, host, port, tail)
  .map(([s, sep, user, h, p, t]) => ({ text: `${s}${sep}${user}${h.text}${p}${t}`, loopback: h.loopback }))
const good = fc.tuple(fc.domain(), fc.constantFrom('/cb', '/callback', '/cb?x=1', ''), port).map(([d, path, p]) => ({
  text: `https://${d}${p.startsWith(':') && !/^:\d{1,4}$/.test(p) ? '' : p}${path}`,
  loopback: false,
}))
const uris = fc.array(fc.oneof(good, uri), { minLength: 1, maxLength: 3 })

/** The requested value, the SSA's list (the same URIs, others, or none) and the brand's policy. */
const input = fc.oneof(
  { weight: 8, arbitrary: fc.tuple(uris, fc.constantFrom('same', 'none', 'other'), fc.boolean()) },
  {
    weight: 1,
    arbitrary: fc.tuple(
      fc.anything().map((value) => [{ text: value as unknown as string, loopback: false }]),
      fc.constant('none'),
      fc.boolean(),
    ),
  },
)
const hidden = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\s]/u

describe('checkRedirectUris, for any input', () => {
  it('accepts only https URIs of a non-loopback host (unless allowed) without fragment, userinfo, wildcard or hidden characters, listed in the SSA, or throws ERR_DCR_REDIRECT_URI_INVALID (invalid_redirect_uri), each call within 1 s', () => {
    assertProperty(
      input,
      ([requested, listed, allowLoopback]) => {
        const texts = requested.map((u) => u.text)
        const statement = listed === 'same' ? texts : listed === 'other' ? ['https://tpp.example/cb'] : undefined
        const result = outcome(
          () =>
            checkRedirectUris(requested.length === 1 && typeof texts[0] !== 'string' ? texts[0] : texts, statement, {
              allowLoopback,
            }),
          { requested, statement, allowLoopback },
        )
        if ('error' in result) {
          expectCheck(result.error, 'ERR_DCR_REDIRECT_URI_INVALID', 'client metadata', {
            status: 400,
            error: 'invalid_redirect_uri',
          })
          return false
        }
        for (const [index, accepted] of result.value.entries()) {
          const loopback = requested.find((u) => u.text === accepted)?.loopback
          expect(accepted.length, accepted).toBeLessThanOrEqual(256)
          expect(accepted, accepted).toMatch(/^https?:\/\//i)
          expect(accepted, accepted).not.toMatch(/[#*\\]/)
          expect(accepted, accepted).not.toMatch(hidden)
          const url = new URL(accepted)
          expect(url.username + url.password, accepted).toBe('')
          expect(accepted, accepted).not.toMatch(/^[^:]+:\/*[^/?#]*@/)
          if (!allowLoopback) expect(loopback, `${accepted} is loopback`).toBe(false)
          if (url.protocol === 'http:') expect(loopback && allowLoopback, `${accepted} is http`).toBe(true)
          if (statement) expect(statement, accepted).toContain(accepted)
          expect(index).toBeLessThan(3)
        }
        return true
      },
      0.03,
    )
  })
})
