import { X509Certificate } from 'node:crypto'
import { createCertificateAuthority } from '@open-dcr/testkit'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { type ClientCertificateSource, readPresentedCertificate } from '../../src/index.js'
import { expectCheck } from '../check-error.js'
import { assertProperty, outcome } from '../property.js'

const ca = createCertificateAuthority({ commonName: 'Property CA' })
const leaf = ca.issueTransportCertificate({ orgId: 'org', softwareId: 'software' }).certPem
const intermediate = ca.issueIntermediateAuthority({ commonName: 'Property Issuing CA' }).certPem
const pems = [leaf, intermediate, ca.certPem]
const base64 = (pem: string) => pem.replace(/-----[A-Z ]+-----|\s/g, '')

/** Text changed a little: characters inserted, removed or replaced where the damage is most likely to matter. */
const damaged = (text: fc.Arbitrary<string>) =>
  fc
    .tuple(
      text,
      fc.array(
        fc.tuple(
          fc.nat(),
          fc.nat({ max: 3 }),
          fc.constantFrom('', '%', '%Z', '%E0%A4%A', '%2', ',', ';', '"', '=', '-----', '\n', ' ', 'A', '\u0000', '€'),
        ),
        { maxLength: 4 },
      ),
    )
    .map(([base, edits]) =>
      edits.reduce((s, [at, remove, insert]) => {
        const i = s.length === 0 ? 0 : at % (s.length + 1)
        return s.slice(0, i) + insert + s.slice(i + remove)
      }, base),
    )

const pem = fc.constantFrom(...pems)
const garbagePem = fc
  .base64String({ maxLength: 200 })
  .map((body) => `-----BEGIN CERTIFICATE-----\n${body}\n-----END CERTIFICATE-----\n`)
const anyPem = fc.oneof(pem, garbagePem)
const urlencoded = fc.oneof(
  anyPem.map(encodeURIComponent),
  damaged(pem.map(encodeURIComponent)),
  anyPem.map((p) => encodeURIComponent(encodeURIComponent(p))),
)
const derBase64 = fc.oneof(
  pem.map(base64),
  damaged(pem.map(base64)),
  fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes).toString('base64')),
)
/** An XFCC value: elements of key=value pairs, values quoted or not, Cert and Chain holding (damaged) PEMs. */
const xfccValue = fc.oneof(
  urlencoded,
  fc.array(anyPem, { maxLength: 3 }).map((chain) => encodeURIComponent(chain.join(''))),
  fc.string({ maxLength: 20 }),
)
const xfccPair = fc.tuple(
  fc.constantFrom(
    'By',
    'Hash',
    'Cert',
    'Chain',
    'Subject',
    'URI',
    'DNS',
    'cert',
    'CHAIN',
    '__proto__',
    'constructor',
    '',
  ),
  xfccValue,
  fc.boolean(),
)
const xfcc = fc.oneof(
  fc
    .array(fc.array(xfccPair, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 3 })
    .map((elements) =>
      elements
        .map((pairs) => pairs.map(([k, v, quoted]) => (quoted ? `${k}="${v}"` : `${k}=${v}`)).join(';'))
        .join(','),
    ),
  fc
    .tuple(pem, fc.array(pem, { maxLength: 3 }))
    .map(
      ([cert, chain]) =>
        `By=spiffe://edge;Cert="${encodeURIComponent(cert)}";Chain="${encodeURIComponent([cert, ...chain].join(''))}"`,
    ),
  damaged(pem.map((cert) => `Cert="${encodeURIComponent(cert)}";Chain="${encodeURIComponent(cert + intermediate)}"`)),
)
const anything = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary', maxLength: 100 }),
  fc.constant(''),
  fc.tuple(fc.nat({ max: 20 }), fc.constantFrom('A', '%', ',')).map(([n, c]) => c.repeat(16_374 + n)),
)

const source = (encoding: 'pem-urlencoded' | 'der-base64' | 'xfcc'): ClientCertificateSource[] => [
  { from: 'header', name: 'x-client-cert', encoding },
]
const inputs = fc.oneof(
  fc.tuple(fc.constant('pem-urlencoded' as const), fc.oneof(urlencoded, anything)),
  fc.tuple(fc.constant('der-base64' as const), fc.oneof(derBase64, anything)),
  fc.tuple(fc.constant('xfcc' as const), fc.oneof(xfcc, anything)),
)

describe('readPresentedCertificate, for any header value in any of the three encodings', () => {
  it('returns the DER and parsed intermediates, nothing for an empty header, or throws ERR_DCR_CERTIFICATE_MALFORMED (401 invalid_client), each call within 1 s', () => {
    assertProperty(inputs, ([encoding, value]) => {
      const result = outcome(
        () =>
          readPresentedCertificate(source(encoding), undefined, (name) =>
            name === 'x-client-cert' ? value : undefined,
          ),
        [encoding, value],
      )
      if ('error' in result) {
        expectCheck(result.error, 'ERR_DCR_CERTIFICATE_MALFORMED', 'client certificate', {
          status: 401,
          error: 'invalid_client',
        })
        return false
      }
      if (value === '') {
        expect(result.value).toBeUndefined()
        return false
      }
      expect(Buffer.isBuffer(result.value?.der)).toBe(true)
      for (const link of result.value?.chain ?? []) expect(link).toBeInstanceOf(X509Certificate)
      return true
    })
  })
})
