import { createCertificateAuthority } from '@open-dcr/testkit'
import { sharedPki } from '../fixtures.js'
import { bad, type Family } from './harness.js'
import { post, register, registerWithCertificate, signed } from './requests.js'
import type { Scene } from './scene.js'

const missing = /a client certificate is required \(mutual TLS\)/
const malformed = /the x-ssl-client-cert header does not hold a certificate in the expected encoding/
const malformedXfcc = /the x-forwarded-client-cert header does not hold a certificate in the expected encoding/
const notX509 = /the client certificate is not a well-formed X\.509 certificate/
const untrusted = /the client certificate is not issued by a trusted CA/

const urlencoded = (pem: string) => encodeURIComponent(pem)
const base64Der = (pem: string) => pem.replace(/-----[A-Z ]+-----|\s/g, '')
const pem = (base64: string) => `-----BEGIN CERTIFICATE-----\n${base64}\n-----END CERTIFICATE-----\n`
const garbage = Buffer.from('these bytes are not a DER certificate at all').toString('base64')

/** The registration with a certificate header value computed from the scene. */
const presenting = (value: (s: Scene) => string | Promise<string>, name?: string) => async (s: Scene) =>
  registerWithCertificate(s, await value(s), {}, name)
const xfcc = (value: (s: Scene) => string | Promise<string>) => presenting(value, 'x-forwarded-client-cert')

/** A transport certificate for the kit's software from the shared CA, with other dates or names. */
const transport = async (
  s: Scene,
  options: { orgId?: string; softwareId?: string; notBefore?: Date; notAfter?: Date } = {},
) =>
  (await sharedPki()).ca.issueTransportCertificate({ orgId: s.kit.orgId, softwareId: s.kit.softwareId, ...options })
    .certPem

const tls = (dn: (s: Scene) => string) => (s: Scene) =>
  registerWithCertificate(s, urlencoded(s.kit.transport.certPem), {
    token_endpoint_auth_method: 'tls_client_auth',
    token_endpoint_auth_signing_alg: undefined,
    tls_client_auth_subject_dn: dn(s),
  })

/** Family 4: client certificates from a trusted proxy's header, in its three encodings. */
export const clientCertificates: Family = {
  name: 'client certificates',
  bank: 'mtls',
  cases: [
    bad('no certificate', [401, 'invalid_client', missing], (s) => register(s)),
    bad(
      'an empty certificate header',
      [401, 'invalid_client', missing],
      presenting(() => ''),
    ),
    bad(
      'a self-signed certificate',
      [401, 'invalid_client', untrusted],
      presenting(() => urlencoded(createCertificateAuthority({ commonName: 'me myself' }).certPem)),
    ),
    bad(
      'a certificate from an untrusted CA',
      [401, 'invalid_client', /not issued by a trusted CA \(issuer: C=GB, O=open-dcr, CN=Rogue CA\)/],
      presenting((s) =>
        urlencoded(
          createCertificateAuthority({ commonName: 'Rogue CA' }).issueTransportCertificate({
            orgId: s.kit.orgId,
            softwareId: s.kit.softwareId,
          }).certPem,
        ),
      ),
    ),
    bad(
      'an expired certificate',
      [401, 'invalid_client', /has a validity period that expired on/],
      presenting(async (s) =>
        urlencoded(await transport(s, { notBefore: new Date('2020-01-01Z'), notAfter: new Date('2021-01-01Z') })),
      ),
    ),
    bad(
      'a certificate not yet valid',
      [401, 'invalid_client', /is not valid before/],
      presenting(async (s) =>
        urlencoded(
          await transport(s, {
            notBefore: new Date(Date.now() + 86_400_000),
            notAfter: new Date(Date.now() + 2 * 86_400_000),
          }),
        ),
      ),
    ),
    bad(
      'a server-only certificate',
      [401, 'invalid_client', /is not for TLS client authentication \(extended key usage\)/],
      presenting(async () =>
        urlencoded((await sharedPki()).ca.issueServerCertificate({ hosts: ['tpp.example'] }).certPem),
      ),
    ),
    bad(
      'the trust anchor itself',
      [401, 'invalid_client', /is a CA certificate \(basicConstraints CA:TRUE\)/],
      presenting(async () => urlencoded((await sharedPki()).ca.certPem)),
    ),
    bad(
      'an intermediate CA certificate',
      [401, 'invalid_client', /is a CA certificate/],
      presenting(async () =>
        urlencoded((await sharedPki()).ca.issueIntermediateAuthority({ commonName: 'Issuing CA 2' }).certPem),
      ),
    ),
    bad(
      'a leaf of an intermediate the bank does not know',
      [401, 'invalid_client', /not issued by a trusted CA \(issuer: .*Issuing CA 3/],
      presenting(async (s) =>
        urlencoded(
          (await sharedPki()).ca
            .issueIntermediateAuthority({ commonName: 'Issuing CA 3' })
            .issueTransportCertificate({ orgId: s.kit.orgId, softwareId: s.kit.softwareId }).certPem,
        ),
      ),
    ),
    bad(
      'a certificate whose signature is not the CA’s',
      [401, 'invalid_client', untrusted],
      presenting((s) => {
        const der = Buffer.from(base64Der(s.kit.transport.certPem), 'base64')
        der[der.length - 10] = (der[der.length - 10] ?? 0) ^ 0xff
        return urlencoded(pem(der.toString('base64')))
      }),
    ),
    bad(
      'the header twice',
      [401, 'invalid_client', /the x-ssl-client-cert header must appear once, with one certificate/],
      (s) => registerWithCertificate(s, [urlencoded(s.kit.transport.certPem), urlencoded(s.kit.transport.certPem)]),
    ),
    bad(
      'a malformed %-escape',
      [401, 'invalid_client', malformed],
      presenting(() => '%E0%A4%A'),
    ),
    bad(
      '%ZZ in the PEM',
      [401, 'invalid_client', malformed],
      presenting((s) => `${urlencoded(s.kit.transport.certPem)}%ZZ`),
    ),
    bad(
      'text that is not a certificate',
      [401, 'invalid_client', malformed],
      presenting(() => 'not%20a%20cert'),
    ),
    bad(
      'PEM markers around bytes that are not a certificate',
      [401, 'invalid_client', notX509],
      presenting(() => urlencoded(pem(garbage))),
    ),
    bad(
      'a private key instead of a certificate',
      [401, 'invalid_client', malformed],
      presenting((s) => urlencoded(s.kit.transport.keyPem)),
    ),
    bad(
      '16,000 characters of base64',
      [401, 'invalid_client', malformed],
      presenting(() => 'A'.repeat(16_000)),
    ),
    bad(
      'base64 DER of bytes that are not a certificate',
      [401, 'invalid_client', notX509],
      presenting(() => garbage),
      { bank: 'derBase64' },
    ),
    bad(
      'base64 DER cut in half',
      [401, 'invalid_client', notX509],
      presenting((s) => base64Der(s.kit.transport.certPem).slice(0, 600)),
      { bank: 'derBase64' },
    ),
    bad(
      'base64 DER with characters outside base64',
      [401, 'invalid_client', malformed],
      presenting((s) => `${base64Der(s.kit.transport.certPem)}%%`),
      { bank: 'derBase64' },
    ),
    bad(
      'a PEM where base64 DER is expected',
      [401, 'invalid_client', malformed],
      presenting((s) => s.kit.transport.certPem.replace(/\s+/g, ' ')),
      { bank: 'derBase64' },
    ),
    bad(
      'base64 DER twice (a repeated header)',
      [401, 'invalid_client', /must appear once/],
      (s) => registerWithCertificate(s, [base64Der(s.kit.transport.certPem), base64Der(s.kit.transport.certPem)]),
      { bank: 'derBase64' },
    ),
    bad(
      'base64 DER of a self-signed certificate',
      [401, 'invalid_client', untrusted],
      presenting(() => base64Der(createCertificateAuthority({ commonName: 'self' }).certPem)),
      { bank: 'derBase64' },
    ),
    bad(
      'XFCC without Cert',
      [401, 'invalid_client', malformedXfcc],
      xfcc(() => 'By=spiffe://bank/dcr;Hash=abc;Subject="CN=x"'),
      { bank: 'xfcc' },
    ),
    bad(
      'XFCC with an empty Cert',
      [401, 'invalid_client', malformedXfcc],
      xfcc(() => 'By=spiffe://bank/dcr;Cert=""'),
      { bank: 'xfcc' },
    ),
    bad(
      'XFCC with a bad %-escape in Cert',
      [401, 'invalid_client', malformedXfcc],
      xfcc(() => 'Cert="%E0%A4%A";By=x'),
      { bank: 'xfcc' },
    ),
    bad(
      'XFCC with a bad %-escape in Chain',
      [401, 'invalid_client', malformedXfcc],
      xfcc((s) => `Cert="${urlencoded(s.kit.transport.certPem)}";Chain="%ZZ%"`),
      { bank: 'xfcc' },
    ),
    bad(
      'XFCC with a Chain of bytes that are not certificates',
      [401, 'invalid_client', notX509],
      xfcc((s) => `Cert="${urlencoded(s.kit.transport.certPem)}";Chain="${urlencoded(pem(garbage) + pem(garbage))}"`),
      { bank: 'xfcc' },
    ),
    bad(
      'XFCC with a Cert that is not a certificate',
      [401, 'invalid_client', malformedXfcc],
      xfcc(() => 'Cert="hello";By=x'),
      { bank: 'xfcc' },
    ),
    bad(
      'XFCC with an unterminated quote',
      [401, 'invalid_client', malformedXfcc],
      xfcc((s) => `By=x;Cert="${urlencoded(s.kit.transport.certPem)}`),
      { bank: 'xfcc' },
    ),
    bad(
      'XFCC whose Cert is only in the second (inner) element',
      [401, 'invalid_client', malformedXfcc],
      xfcc((s) => `By=spiffe://edge;Hash=1,By=spiffe://inner;Cert="${urlencoded(s.kit.transport.certPem)}"`),
      { bank: 'xfcc' },
    ),
    bad(
      'XFCC with a self-signed Cert',
      [401, 'invalid_client', untrusted],
      xfcc(() => `Cert="${urlencoded(createCertificateAuthority({ commonName: 'self' }).certPem)}"`),
      { bank: 'xfcc' },
    ),
    bad(
      'a certificate of another organisation',
      [400, 'invalid_client_metadata', /does not belong to the software statement's organisation/],
      presenting(async (s) => urlencoded(await transport(s, { orgId: 'SomeOtherOrg' }))),
    ),
    bad(
      'a certificate of the organisation’s other software',
      [400, 'invalid_client_metadata', /does not belong to the software statement's organisation ".*" and software/],
      presenting(async (s) => urlencoded(await transport(s, { softwareId: 'OtherSoftware' }))),
    ),
    bad(
      'tls_client_auth with another subject DN',
      [
        400,
        'invalid_client_metadata',
        /tls_client_auth_subject_dn "CN=someone-else,.*" does not match the client certificate subject/,
      ],
      tls((s) => `CN=someone-else,OU=${s.kit.orgId},O=OpenBanking,C=GB`),
    ),
    bad(
      'tls_client_auth with the DN reversed (strict order)',
      [400, 'invalid_client_metadata', /does not match the client certificate subject/],
      tls((s) => `C=GB,O=OpenBanking,OU=${s.kit.orgId},CN=${s.kit.softwareId}`),
    ),
    bad(
      'tls_client_auth with a hex value that hangs @ldapjs/dn',
      [400, 'invalid_client_metadata', /hex-encoded \(#...\) attribute values are not supported/],
      tls(() => 'CN=# '),
    ),
    bad(
      'tls_client_auth with a DN that does not parse',
      [400, 'invalid_client_metadata', /is not an RFC 4514 distinguished name/],
      tls(() => 'CN=a,,,='),
    ),
    bad('a repeated header through the signed request path', [401, 'invalid_client', /must appear once/], async (s) =>
      post(s, await signed(s)).set('x-ssl-client-cert', [
        urlencoded(s.kit.transport.certPem),
        'x',
      ] as unknown as string),
    ),
  ],
}
