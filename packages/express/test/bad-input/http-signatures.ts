import { createCertificateAuthority } from '@open-dcr/testkit'
import { sharedPki } from '../fixtures.js'
import { bad, type Family } from './harness.js'
import { seconds } from './requests.js'
import type { Scene } from './scene.js'
import { signedRegistration, signing } from './signatures.js'

const malformed = 'invalid_request'
const unauthenticated = 'invalid_client'
/** An hs2019 signature covering `covered` besides the defaults, with the created/expires parameters given. */
const withHs2019 = (covered: string[], times: { created?: number; expires?: number }) => ({
  algorithm: 'hs2019',
  headers: ['(request-target)', ...covered, 'date', 'digest'],
  ...times,
})
/** A seal certificate for the kit's organisation from the shared CA (or another CA), with other names or dates. */
const seal = async (s: Scene, options: { orgId?: string; notBefore?: Date; notAfter?: Date; rogue?: boolean } = {}) => {
  const ca = options.rogue ? createCertificateAuthority({ commonName: 'Rogue QTSP' }) : (await sharedPki()).ca
  const { rogue: _rogue, ...validity } = options
  return ca.issueSigningCertificate({ orgId: s.kit.orgId, softwareId: s.kit.softwareId, ...validity })
}

/** Family 10: HTTP message signatures (draft-cavage-12) with the QSEAL: missing, malformed, stale, forged. */
export const httpSignatures: Family = {
  name: 'HTTP signatures',
  bank: 'signing',
  cases: [
    bad(
      'no Signature header',
      [401, unauthenticated, /HTTP signature: the Signature header is missing$/],
      signing({ rewrite: () => '' }),
    ),
    bad(
      'the signature in Authorization',
      [
        401,
        unauthenticated,
        /send the signature in the Signature header \(draft-cavage-12 §4\), not as Authorization: Signature/,
      ],
      signing({ rewrite: () => '', extra: { authorization: 'Signature keyId="k",signature="YWJj"' } }),
    ),
    bad(
      'an unquoted value',
      [400, malformed, /Signature header: cannot read a name="value" parameter at position 0/],
      signing({ rewrite: (sig) => sig.replace(/^keyId="([^"]*)"/, 'keyId=$1') }),
    ),
    bad(
      'keyId twice',
      [400, malformed, /parameter "keyid" appears twice/],
      signing({ rewrite: (sig) => `${sig},keyId="SN=1,CA=CN=x"` }),
    ),
    bad(
      'an unknown parameter',
      [400, malformed, /unknown parameter "nonce"/],
      signing({ rewrite: (sig) => `${sig},nonce="abc"` }),
    ),
    bad(
      'no keyId',
      [400, malformed, /keyId is required/],
      signing({ rewrite: (sig) => sig.replace(/^keyId="[^"]*",/, '') }),
    ),
    bad(
      'no signature parameter',
      [400, malformed, /signature is required/],
      signing({ rewrite: (sig) => sig.replace(/,signature="[^"]*"$/, '') }),
    ),
    bad(
      'a signature that is not base64',
      [400, malformed, /signature must be base64/],
      signing({ rewrite: (sig) => sig.replace(/signature="[^"]*"$/, 'signature="not base64!"') }),
    ),
    bad(
      'headers listing date twice',
      [400, malformed, /headers lists a header twice/],
      signing({ rewrite: (sig) => sig.replace(/headers="[^"]*"/, 'headers="(request-target) date date digest"') }),
    ),
    bad(
      'headers naming an invalid header',
      [400, malformed, /headers has an invalid name/],
      signing({ rewrite: (sig) => sig.replace(/headers="[^"]*"/, 'headers="(request-target) date dig@st"') }),
    ),
    bad(
      'headers empty',
      [400, malformed, /headers has an invalid name/],
      signing({ rewrite: (sig) => sig.replace(/headers="[^"]*"/, 'headers=""') }),
    ),
    bad(
      '8,193 characters',
      [400, malformed, /Signature header: must be 1 to 8192 characters/],
      signing({ rewrite: (sig) => `${sig},keyId="${'k'.repeat(8192)}"` }),
    ),
    bad(
      'created a word',
      [400, malformed, /created must be a Unix time in whole seconds/],
      signing({ rewrite: (sig) => `${sig},created="soon"` }),
    ),
    bad(
      'created of 16 digits',
      [400, malformed, /cannot read a name="value" parameter/],
      signing({ rewrite: (sig) => `${sig},created=1234567890123456` }),
    ),
    bad('two Signature headers', [400, malformed, /appears twice/], signing({ rewrite: (sig) => `${sig}, ${sig}` })),
    bad(
      'algorithm hmac-sha256',
      [400, malformed, /algorithm "hmac-sha256" is not supported; use rsa-sha256 or hs2019/],
      signing({ algorithm: 'hmac-sha256' }),
    ),
    bad(
      'algorithm rsa-sha1',
      [400, malformed, /algorithm "rsa-sha1" is not supported/],
      signing({ algorithm: 'rsa-sha1' }),
    ),
    bad(
      'algorithm ecdsa-sha256',
      [400, malformed, /algorithm "ecdsa-sha256" is not supported/],
      signing({ algorithm: 'ecdsa-sha256' }),
    ),
    bad(
      'no algorithm (hs2019) over a PKCS#1 v1.5 signature',
      [401, unauthenticated, /does not verify with the QSEAL's key/],
      signing({ rewrite: (sig) => sig.replace(/algorithm="[^"]*",/, '') }),
    ),
    bad(
      'a Date ten minutes old',
      [400, malformed, /is more than 300 s from the server's time/],
      signing((s) => ({ date: new Date(s.bank.clock.now - 600_000).toUTCString() })),
    ),
    bad(
      'a Date ten minutes ahead',
      [400, malformed, /is more than 300 s from the server's time/],
      signing((s) => ({ date: new Date(s.bank.clock.now + 600_000).toUTCString() })),
    ),
    bad(
      'a Date that is not a date',
      [400, malformed, /Date "yesterday" is not an HTTP date \(IMF-fixdate\)/],
      signing({ date: 'yesterday' }),
    ),
    bad(
      'Date covered but not sent',
      [400, malformed, /header "date" is listed in the signature but missing from the request/],
      signing({ date: null }),
    ),
    bad(
      'Date not covered',
      [400, malformed, /the signature must cover: date \(it covers: \(request-target\) digest\)/],
      signing({ headers: ['(request-target)', 'digest'] }),
    ),
    bad(
      '(request-target) not covered',
      [400, malformed, /the signature must cover: \(request-target\)/],
      signing({ headers: ['date', 'digest'] }),
    ),
    bad(
      'no Digest at all',
      [400, malformed, /must cover: digest .*; the Digest header is missing; expected SHA-256=/],
      signing({ headers: ['(request-target)', 'date'], digest: null }),
    ),
    bad(
      'a header covered but not sent',
      [400, malformed, /header "x-request-id" is listed in the signature but missing from the request/],
      signing({ headers: ['(request-target)', 'date', 'digest', 'x-request-id'] }),
    ),
    bad(
      'hs2019 with created an hour ahead',
      [400, malformed, /created=\d+ is 3600 s in the future/],
      signing((s) => withHs2019(['(created)'], { created: seconds(s) + 3600 })),
    ),
    bad(
      'hs2019 with created an hour old',
      [400, malformed, /created=\d+ is 3600 s old; at most 300 s is accepted/],
      signing((s) => withHs2019(['(created)'], { created: seconds(s) - 3600 })),
    ),
    bad(
      'hs2019 with expires past',
      [400, malformed, /the signature expired at expires=\d+, 10 s ago/],
      signing((s) => withHs2019(['(created)', '(expires)'], { created: seconds(s) - 60, expires: seconds(s) - 10 })),
    ),
    bad(
      'hs2019 with expires before created',
      [400, malformed, /expires=\d+ is before created=\d+/],
      signing((s) => withHs2019(['(created)', '(expires)'], { created: seconds(s) + 100, expires: seconds(s) + 50 })),
    ),
    bad(
      'hs2019 covering (created) without a created parameter',
      [400, malformed, /covers \(created\) but the Signature header has no created="<unix time>" parameter/],
      signing(withHs2019(['(created)'], {})),
    ),
    bad(
      'hs2019 covering (expires) without an expires parameter',
      [400, malformed, /covers \(expires\) but the Signature header has no expires=/],
      signing((s) => withHs2019(['(created)', '(expires)'], { created: seconds(s) })),
    ),
    bad(
      'rsa-sha256 covering (created)',
      [400, malformed, /covers \(created\), which algorithm "rsa-sha256" must not \(draft-cavage-12 §2\.3\)/],
      signing((s) => ({ headers: ['(request-target)', '(created)', 'date', 'digest'], created: seconds(s) })),
    ),
    bad(
      'rsa-sha256 covering (expires)',
      [400, malformed, /covers \(expires\), which algorithm "rsa-sha256" must not/],
      signing((s) => ({ headers: ['(request-target)', '(expires)', 'date', 'digest'], expires: seconds(s) + 60 })),
    ),
    bad(
      'a body other than the one signed',
      [400, malformed, /Digest does not match the body: expected SHA-256=[A-Za-z0-9+/=]+, received SHA-256=/],
      signing({ tamper: (body) => `${body} ` }),
    ),
    bad(
      'a bare hex Digest where the brand wants RFC 3230',
      [400, malformed, /Digest does not match the body/],
      signing({ digest: (base64) => Buffer.from(base64, 'base64').toString('hex') }),
    ),
    bad(
      'a Digest with only MD5',
      [400, malformed, /Digest does not match the body/],
      signing({ digest: () => 'MD5=Q2hlY2sgSW50ZWdyaXR5IQ==' }),
    ),
    bad(
      'a Digest with an empty SHA-256',
      [400, malformed, /Digest does not match the body/],
      signing({ digest: () => 'SHA-256=' }),
    ),
    bad(
      'a keyId serial of another certificate',
      [401, unauthenticated, /keyId serial deadbeef does not match the certificate's/],
      async (s) => signedRegistration(s, { keyId: `SN=DEADBEEF,CA=${(await sharedPki()).ca.subjectDn}` }),
    ),
    bad(
      'a keyId not in SN=,CA= form',
      [400, malformed, /keyId "qseal-1" is not SN=<hex serial>,CA=<issuer DN>/],
      signing({ keyId: 'qseal-1' }),
    ),
    bad(
      'a keyId CA of another issuer',
      [401, unauthenticated, /keyId CA "CN=Other QTSP,C=GB" does not match the certificate's issuer/],
      signing((s) => ({ keyId: `SN=${s.kit.seal.serialNumber},CA=CN=Other QTSP,C=GB` })),
    ),
    bad(
      'a keyId CA that would hang @ldapjs/dn',
      [401, unauthenticated, /keyId CA "CN=# x" does not match/],
      signing((s) => ({ keyId: `SN=${s.kit.seal.serialNumber},CA=CN=# x` })),
    ),
    bad(
      'a QSEAL from an untrusted QTSP',
      [401, unauthenticated, /the QSEAL certificate is not issued by a trusted CA/],
      async (s) => signedRegistration(s, { seal: await seal(s, { rogue: true }) }),
    ),
    bad(
      'a QSEAL of another organisation',
      [401, unauthenticated, /the QSEAL belongs to "OtherOrg", the TLS certificate to/],
      async (s) => signedRegistration(s, { seal: await seal(s, { orgId: 'OtherOrg' }) }),
    ),
    bad(
      'an expired QSEAL',
      [401, unauthenticated, /the QSEAL certificate has a validity period that expired/],
      async (s) =>
        signedRegistration(s, {
          seal: await seal(s, { notBefore: new Date('2020-01-01Z'), notAfter: new Date('2021-01-01Z') }),
        }),
    ),
    bad('the QTSP root as the QSEAL', [401, unauthenticated, /the QSEAL certificate is a CA certificate/], async (s) =>
      signedRegistration(s, { certificate: (await sharedPki()).ca.certPem.replace(/-----[A-Z ]+-----|\s/g, '') }),
    ),
    bad(
      'no TPP-Signature-Certificate',
      [401, unauthenticated, /the tpp-signature-certificate header \(the QSEAL certificate\) is missing/],
      signing({ certificate: null }),
    ),
    bad(
      'a TPP-Signature-Certificate that is not a certificate',
      [401, unauthenticated, /the QSEAL certificate is not a well-formed X\.509 certificate/],
      signing({ certificate: 'bm90IGEgY2VydGlmaWNhdGU=' }),
    ),
    bad(
      'a TPP-Signature-Certificate with a bad %-escape',
      [401, unauthenticated, /QSEAL: the tpp-signature-certificate header is not valid percent-encoding/],
      signing({ certificate: '%E0%A4%A' }),
    ),
    bad(
      'a signature by another key',
      [
        401,
        unauthenticated,
        /the signature does not verify with the QSEAL's key over this signing string: "\(request-target\): post \/bank\/register\\ndate: /,
      ],
      async (s) => signedRegistration(s, { seal: { keyPem: (await seal(s)).keyPem, certPem: s.kit.seal.certPem } }),
    ),
    bad(
      'signature bytes that are not a signature',
      [401, unauthenticated, /does not verify with the QSEAL's key/],
      signing({ rewrite: (sig) => sig.replace(/signature="[^"]*"$/, 'signature="AAAA"') }),
    ),
  ],
}
