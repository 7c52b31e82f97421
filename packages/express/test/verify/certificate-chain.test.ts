import { X509Certificate } from 'node:crypto'
import { createCertificateAuthority } from '@open-dcr/testkit'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { parseCertificate } from '../../src/verify/certificate.js'
import { createTrustStore, verifyCertificateChain } from '../../src/verify/certificate-chain.js'
import { expectCheck, thrownCheck } from '../check-error.js'

afterEach(() => {
  vi.restoreAllMocks()
})

describe('verifyCertificateChain remembers chains that verified', () => {
  it('checks signatures once per leaf, until the first certificate on the chain expires', () => {
    const ca = createCertificateAuthority()
    const notAfter = new Date(Date.now() + 3_600_000)
    const issued = ca.issueTransportCertificate({ orgId: 'org1', softwareId: 'soft1', notAfter })
    const leaf = parseCertificate(new X509Certificate(issued.certPem).raw)
    const trust = createTrustStore([ca.certPem], [], 'test')
    const checks = vi.spyOn(X509Certificate.prototype, 'verify')
    const now = Date.now()
    verifyCertificateChain(leaf, trust, [], now, 'clientAuth')
    const first = checks.mock.calls.length
    expect(first).toBeGreaterThan(0)
    verifyCertificateChain(leaf, trust, [], now + 60_000, 'clientAuth')
    expect(checks.mock.calls.length).toBe(first)
    // Another trust store (another brand's anchors) decides for itself.
    verifyCertificateChain(leaf, createTrustStore([ca.certPem], [], 'other'), [], now, 'clientAuth')
    expect(checks.mock.calls.length).toBeGreaterThan(first)
    // Past the leaf's expiry the remembered result no longer applies.
    expect(() => verifyCertificateChain(leaf, trust, [], notAfter.getTime() + 1000, 'clientAuth')).toThrow(/expired/)
  })

  it('never remembers a failure', () => {
    const ca = createCertificateAuthority()
    const rogue = createCertificateAuthority({ commonName: 'Rogue' })
    const leaf = parseCertificate(
      new X509Certificate(rogue.issueTransportCertificate({ orgId: 'o', softwareId: 's' }).certPem).raw,
    )
    const trust = createTrustStore([ca.certPem], [], 'test')
    expect(() => verifyCertificateChain(leaf, trust, [], Date.now(), 'clientAuth')).toThrow(
      /not issued by a trusted CA/,
    )
    expect(() => verifyCertificateChain(leaf, trust, [], Date.now(), 'clientAuth')).toThrow(
      /not issued by a trusted CA/,
    )
  })
})

describe('verifyCertificateChain names the certificate by its usage', () => {
  const ca = createCertificateAuthority()
  const rogue = createCertificateAuthority({ commonName: 'Rogue' })
  const leaf = parseCertificate(
    new X509Certificate(rogue.issueTransportCertificate({ orgId: 'o', softwareId: 's' }).certPem).raw,
  )
  const trust = createTrustStore([ca.certPem], [], 'test')

  it('a client certificate (clientAuth) that does not chain: ERR_DCR_CERTIFICATE_UNTRUSTED, 401 invalid_client', () => {
    const err = thrownCheck(() => verifyCertificateChain(leaf, trust, [], Date.now(), 'clientAuth'))
    expect(err.message).toMatch(/^the client certificate is not issued by a trusted CA \(issuer: .*Rogue/)
    expectCheck(err, 'ERR_DCR_CERTIFICATE_UNTRUSTED', 'client certificate', { status: 401, error: 'invalid_client' })
  })

  it('a QSEAL (signing) that does not chain says QSEAL, never "client certificate"', () => {
    const err = thrownCheck(() => verifyCertificateChain(leaf, trust, [], Date.now(), 'signing'))
    expect(err.message).toMatch(/^the QSEAL certificate is not issued by a trusted CA \(issuer: .*Rogue/)
    expect(err.message).not.toMatch(/client certificate/)
    expectCheck(err, 'ERR_DCR_CERTIFICATE_UNTRUSTED', 'QSEAL certificate', { status: 401, error: 'invalid_client' })
  })

  it('an expired QSEAL says QSEAL too', () => {
    const notAfter = new Date(Date.now() + 60_000)
    const qseal = parseCertificate(
      new X509Certificate(ca.issueTransportCertificate({ orgId: 'o', softwareId: 's2', notAfter }).certPem).raw,
    )
    const err = thrownCheck(() => verifyCertificateChain(qseal, trust, [], notAfter.getTime() + 1000, 'signing'))
    expect(err.message).toMatch(/^the QSEAL certificate has a validity period that expired/)
    expect(err.subject).toBe('QSEAL certificate')
  })
})
