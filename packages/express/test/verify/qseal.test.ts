import { X509Certificate } from 'node:crypto'
import { createCertificateAuthority, generateRsaKey } from '@open-dcr/testkit'
import { describe, expect, it } from 'vitest'
import { parseCertificate } from '../../src/verify/certificate.js'
import { organisationProblem } from '../../src/verify/qseal.js'

const qtsp = createCertificateAuthority({ commonName: 'Test QTSP' })
const key = await generateRsaKey()
const parsed = (pem: string) => parseCertificate(Buffer.from(new X509Certificate(pem).raw))
const withSubject = (subject: { shortName?: string; type?: string; value: string }[]) =>
  parsed(qtsp.issueCertificate({ subject, key }).certPem)

describe('organisationProblem: the QSEAL and the TLS certificate belong to one organisation', () => {
  it('accepts one organizationIdentifier on both, whatever their OU', () => {
    const seal = withSubject([
      { type: '2.5.4.97', value: 'PSDGB-FCA-123456' },
      { shortName: 'CN', value: 'seal' },
    ])
    const tls = withSubject([
      { type: '2.5.4.97', value: 'PSDGB-FCA-123456' },
      { shortName: 'OU', value: 'other' },
      { shortName: 'CN', value: 'tls' },
    ])
    expect(organisationProblem(seal, tls)).toBeUndefined()
  })

  it('names both owners when they differ', () => {
    const seal = withSubject([{ type: '2.5.4.97', value: 'PSDGB-FCA-123456' }])
    const tls = withSubject([{ type: '2.5.4.97', value: 'PSDGB-FCA-999999' }])
    expect(organisationProblem(seal, tls)).toBe(
      'the QSEAL belongs to "PSDGB-FCA-123456", the TLS certificate to "PSDGB-FCA-999999"',
    )
  })

  it('refuses two certificates that name no organisation at all (nothing to match is no match)', () => {
    const seal = withSubject([{ shortName: 'CN', value: 'seal' }])
    const tls = withSubject([{ shortName: 'CN', value: 'tls' }])
    expect(organisationProblem(seal, tls)).toBe(
      'the QSEAL belongs to no organisation, the TLS certificate to no organisation',
    )
  })

  it('reads an OB certificate’s OU when there is no organizationIdentifier', () => {
    const seal = withSubject([
      { shortName: 'OU', value: 'org1' },
      { shortName: 'CN', value: 'soft1' },
    ])
    const tls = withSubject([
      { shortName: 'OU', value: 'org1' },
      { shortName: 'CN', value: 'soft1' },
    ])
    expect(organisationProblem(seal, tls)).toBeUndefined()
  })
})
