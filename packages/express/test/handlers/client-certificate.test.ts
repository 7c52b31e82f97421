import { createCertificateAuthority, type IssuedCertificate, type TppKit } from '@open-dcr/testkit'
import { afterAll, describe, expect, it } from 'vitest'
import type { ClientCertificateOptions } from '../../src/index.js'
import { bankApp, newKit, sharedPki } from '../fixtures.js'

afterAll(async () => (await sharedPki()).jwks.close())

const header = 'x-ssl-client-cert'
const urlencoded = (pem: string) => encodeURIComponent(pem)
const derBase64 = (pem: string) => pem.replace(/-----[A-Z ]+-----|\s/g, '')

async function mtlsBank(options: Partial<ClientCertificateOptions> = {}) {
  const { ca } = await sharedPki()
  return bankApp({
    clientCertificates: {
      sources: [{ from: 'header', name: header, encoding: 'pem-urlencoded' }],
      trustAnchors: [ca.certPem],
      ...options,
    },
  })
}

async function registerWith(
  bank: Awaited<ReturnType<typeof bankApp>>,
  kit: TppKit,
  cert: string | undefined,
  metadata: Record<string, unknown> = {},
  name = header,
) {
  const req = bank.register(await bank.sign(kit, metadata))
  return cert === undefined ? req : req.set(name, cert)
}

describe('client certificates (mutual TLS behind a trusted proxy header)', () => {
  it('registers with the kit’s transport certificate (URL-encoded PEM)', async () => {
    const bank = await mtlsBank()
    const kit = await newKit()
    const res = await registerWith(bank, kit, urlencoded(kit.transport.certPem))
    expect(res.status).toBe(201)
  })

  it('reads base64 DER and Envoy x-forwarded-client-cert too', async () => {
    const kit = await newKit()
    const der = await mtlsBank({ sources: [{ from: 'header', name: 'x-client-der', encoding: 'der-base64' }] })
    expect((await registerWith(der, kit, derBase64(kit.transport.certPem), {}, 'x-client-der')).status).toBe(201)
    const envoy = await mtlsBank({ sources: [{ from: 'header', name: 'x-forwarded-client-cert', encoding: 'xfcc' }] })
    const xfcc = `By=spiffe://bank/dcr;Hash=abc;Cert="${urlencoded(kit.transport.certPem)}";Subject="CN=x",By=spiffe://inner;Hash=def`
    expect((await registerWith(envoy, kit, xfcc, {}, 'x-forwarded-client-cert')).status).toBe(201)
  })

  const refused = async (
    make: (kit: TppKit) => Promise<string | undefined>,
    status: number,
    error: string,
    description: RegExp,
    options: Partial<ClientCertificateOptions> = {},
  ) => {
    const bank = await mtlsBank(options)
    const kit = await newKit()
    const res = await registerWith(bank, kit, await make(kit))
    expect(res.status).toBe(status)
    expect(res.body.error).toBe(error)
    expect(res.body.error_description).toMatch(description)
    expect(bank.store.created).toHaveLength(0)
  }

  it('a trust anchor presented as the client certificate → 401 (a CA certificate is public)', async () => {
    const { ca } = await sharedPki()
    await refused(async () => urlencoded(ca.certPem), 401, 'invalid_client', /is a CA certificate/)
  })

  it('a repeated certificate header → 401, neither copy is taken', async () => {
    const bank = await mtlsBank()
    const kit = await newKit()
    const res = await bank
      .register(await bank.sign(kit))
      // superagent sends an array value as one header line per item; its types do not say so.
      .set(header, [urlencoded(kit.transport.certPem), urlencoded(kit.transport.certPem)] as unknown as string)
    expect(res.status).toBe(401)
    expect(res.body.error_description).toMatch(/must appear once/)
    expect(bank.store.created).toHaveLength(0)
  })

  it.each([
    ['a bad %-escape in Cert', 'Cert="%E0%A4%A";By=x'],
    ['a bad %-escape in Chain', (pem: string) => `Cert="${urlencoded(pem)}";Chain="%ZZ%"`],
  ])('an XFCC header with %s → 401 invalid_client, not a 500', async (_name, value) => {
    const envoy = await mtlsBank({ sources: [{ from: 'header', name: 'x-forwarded-client-cert', encoding: 'xfcc' }] })
    const kit = await newKit()
    const xfcc = typeof value === 'string' ? value : value(kit.transport.certPem)
    const res = await registerWith(envoy, kit, xfcc, {}, 'x-forwarded-client-cert')
    expect(res.status).toBe(401)
    expect(res.body.error).toBe('invalid_client')
    expect(envoy.store.created).toHaveLength(0)
  })

  it('no certificate → 401 invalid_client', () =>
    refused(async () => undefined, 401, 'invalid_client', /client certificate is required/))

  it('a self-signed certificate → 401', () =>
    refused(
      async () => {
        const self = createCertificateAuthority({ commonName: 'me myself' })
        return urlencoded(self.certPem)
      },
      401,
      'invalid_client',
      /not issued by a trusted CA/,
    ))

  it('a certificate from an untrusted CA → 401', () =>
    refused(
      async (kit) =>
        urlencoded(
          createCertificateAuthority({ commonName: 'Rogue CA' }).issueTransportCertificate({
            orgId: kit.orgId,
            softwareId: kit.softwareId,
          }).certPem,
        ),
      401,
      'invalid_client',
      /not issued by a trusted CA \(issuer: C=GB, O=open-dcr, CN=Rogue CA\)/,
    ))

  it('an expired certificate → 401', () =>
    refused(
      async (kit) => {
        const { ca } = await sharedPki()
        const old: IssuedCertificate = ca.issueTransportCertificate({
          orgId: kit.orgId,
          softwareId: kit.softwareId,
          notBefore: new Date('2020-01-01T00:00:00Z'),
          notAfter: new Date('2021-01-01T00:00:00Z'),
        })
        return urlencoded(old.certPem)
      },
      401,
      'invalid_client',
      /expired/,
    ))

  it('a server-only certificate → 401 (extended key usage)', () =>
    refused(
      async () => urlencoded((await sharedPki()).ca.issueServerCertificate({ hosts: ['tpp.example'] }).certPem),
      401,
      'invalid_client',
      /not for TLS client authentication/,
    ))

  it('garbage in the header → 401', () =>
    refused(async () => 'not%20a%20cert', 401, 'invalid_client', /does not hold a certificate/))

  it('a certificate of another organisation than the SSA → 400 invalid_client_metadata', () =>
    refused(
      async (kit) =>
        urlencoded(
          (await sharedPki()).ca.issueTransportCertificate({ orgId: 'SomeOtherOrg', softwareId: kit.softwareId })
            .certPem,
        ),
      400,
      'invalid_client_metadata',
      /does not belong to the software statement's organisation/,
    ))

  it('chains through an intermediate only when the bank knows it (or the client sends it)', async () => {
    const { ca } = await sharedPki()
    const intermediate = ca.issueIntermediateAuthority({ commonName: 'Issuing CA 1' })
    const kit = await newKit()
    const leaf = intermediate.issueTransportCertificate({ orgId: kit.orgId, softwareId: kit.softwareId })
    const without = await mtlsBank()
    expect((await registerWith(without, kit, urlencoded(leaf.certPem))).status).toBe(401)
    const withIntermediate = await mtlsBank({ intermediates: [intermediate.certPem] })
    expect((await registerWith(withIntermediate, kit, urlencoded(leaf.certPem))).status).toBe(201)
  })

  it('does not check certificates when the brand makes them optional and none is sent', async () => {
    const bank = await mtlsBank({ required: false })
    expect((await registerWith(bank, await newKit(), undefined)).status).toBe(201)
  })
})

describe('tls_client_auth_subject_dn against the presented certificate', () => {
  const tls = (dn: string) => ({
    token_endpoint_auth_method: 'tls_client_auth',
    token_endpoint_auth_signing_alg: undefined,
    tls_client_auth_subject_dn: dn,
  })

  it('matches after normalisation: names in any case, OIDs, spaces, escapes', async () => {
    const bank = await mtlsBank()
    const kit = await newKit()
    const spelled = `cn=${kit.softwareId}, 2.5.4.11=${kit.orgId}, o=OpenBanking, C=GB`
    const res = await registerWith(bank, kit, urlencoded(kit.transport.certPem), tls(spelled))
    expect(res.status).toBe(201)
    expect(res.body.tls_client_auth_subject_dn).toBe(spelled)
  })

  it('a DN of another subject → 400 showing both DNs normalised', async () => {
    const bank = await mtlsBank()
    const kit = await newKit()
    const res = await registerWith(
      bank,
      kit,
      urlencoded(kit.transport.certPem),
      tls(`CN=someone-else,OU=${kit.orgId},O=OpenBanking,C=GB`),
    )
    expect(res.status).toBe(400)
    expect(res.body.error).toBe('invalid_client_metadata')
    expect(res.body.error_description).toBe(
      `tls_client_auth_subject_dn "CN=someone-else,OU=${kit.orgId},O=OpenBanking,C=GB" does not match the client certificate subject "${kit.transport.subjectDn}"`,
    )
    expect(bank.store.created).toHaveLength(0)
  })

  it('the reversed order matches only when the brand allows any order', async () => {
    const kit = await newKit()
    const reversed = `C=GB,O=OpenBanking,OU=${kit.orgId},CN=${kit.softwareId}`
    const strict = await mtlsBank()
    expect((await registerWith(strict, kit, urlencoded(kit.transport.certPem), tls(reversed))).status).toBe(400)
    const lenient = await mtlsBank({ dnAnyOrder: true })
    expect((await registerWith(lenient, kit, urlencoded(kit.transport.certPem), tls(reversed))).status).toBe(201)
  })
})
