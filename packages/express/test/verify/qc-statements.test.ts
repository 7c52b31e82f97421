import { createCertificateAuthority, issueQseal, issueQwac } from '@open-dcr/testkit'
import { describe, expect, it } from 'vitest'
import { attributeTypes, attributeValue, eidasIdentity, parseCertificate, psd2Statement } from '../../src/index.js'

const der = (pem: string) => Buffer.from(pem.replace(/-----[A-Z ]+-----|\s/g, ''), 'base64')
const qtsp = createCertificateAuthority({ commonName: 'Test QTSP', organization: 'QTSP Ltd' })

describe('eIDAS certificates', () => {
  it('reads organizationIdentifier and the PSD2 statement of a QWAC', () => {
    const qwac = issueQwac(qtsp, {
      organizationIdentifier: 'PSDGB-FCA-123456',
      organizationName: 'Ünïcode TPP Ltd',
      roles: ['PSP_AI', 'PSP_IC'],
      ncaName: 'Financial Conduct Authority',
      ncaId: 'GB-FCA',
    })
    const cert = parseCertificate(der(qwac.certPem))
    expect(attributeValue(cert.subject, attributeTypes.organizationIdentifier)).toBe('PSDGB-FCA-123456')
    expect(eidasIdentity(cert)).toEqual({
      organizationIdentifier: 'PSDGB-FCA-123456',
      psd2: { roles: ['PSP_AI', 'PSP_IC'], ncaName: 'Financial Conduct Authority', ncaId: 'GB-FCA' },
    })
    expect(qwac.subjectDn).toBe('CN=Ünïcode TPP Ltd,organizationIdentifier=PSDGB-FCA-123456,O=Ünïcode TPP Ltd,C=GB')
  })

  it('reads a QSEAL the same way', () => {
    const qseal = issueQseal(qtsp, {
      organizationIdentifier: 'PSDDE-BAFIN-9',
      organizationName: 'Seal GmbH',
      country: 'DE',
      roles: ['PSP_PI'],
      ncaName: 'BaFin',
      ncaId: 'DE-BAFIN',
    })
    expect(psd2Statement(parseCertificate(der(qseal.certPem)))).toEqual({
      roles: ['PSP_PI'],
      ncaName: 'BaFin',
      ncaId: 'DE-BAFIN',
    })
  })

  it('has no eIDAS identity for an OB transport certificate', () => {
    const ob = qtsp.issueTransportCertificate({ orgId: 'org', softwareId: 'soft' })
    const cert = parseCertificate(der(ob.certPem))
    expect(psd2Statement(cert)).toBeUndefined()
    expect(eidasIdentity(cert)).toBeUndefined()
  })
})
