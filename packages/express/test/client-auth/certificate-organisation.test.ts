import { X509Certificate } from 'node:crypto'
import { createCertificateAuthority, issueQseal, issueQwac } from '@open-dcr/testkit'
import { describe, expect, it } from 'vitest'
import { certificateOrganisation, isOrganisation } from '../../src/client-auth/certificate-organisation.js'
import { parseCertificate } from '../../src/verify/certificate.js'
import { parseDistinguishedName } from '../../src/verify/distinguished-name.js'

const ca = createCertificateAuthority({ commonName: 'Test CA', organization: 'Test' })
const subjectOf = (pem: string) => parseCertificate(new X509Certificate(pem).raw).subject

describe('certificateOrganisation: the one rule', () => {
  it('a QWAC and a QSEAL name their organisation in organizationIdentifier, with the authority registration', () => {
    const identity = {
      organizationIdentifier: 'PSDGB-FCA-123456',
      organizationName: 'TPP Ltd',
      roles: ['PSP_AI' as const],
    }
    for (const issued of [issueQwac(ca, identity), issueQseal(ca, identity)]) {
      expect(certificateOrganisation(subjectOf(issued.certPem))).toEqual({
        id: 'PSDGB-FCA-123456',
        from: 'organizationIdentifier',
        registrationId: '123456',
      })
    }
  })

  it('an OB transport certificate names it in OU (CN is the software)', () => {
    const transport = ca.issueTransportCertificate({ orgId: '0015800001041RHAAY', softwareId: 'software-1' })
    expect(certificateOrganisation(subjectOf(transport.certPem))).toEqual({
      id: '0015800001041RHAAY',
      from: 'organizationalUnit',
    })
  })

  it('organizationIdentifier wins over OU; an identifier not in eIDAS form has no registration id', () => {
    const both = parseDistinguishedName('CN=s,OU=org-by-ou,organizationIdentifier=ORG-42,O=X,C=GB')
    expect(certificateOrganisation(both)).toEqual({ id: 'ORG-42', from: 'organizationIdentifier' })
  })

  it('a subject with neither names no organisation', () => {
    expect(certificateOrganisation(parseDistinguishedName('CN=someone,O=X,C=GB'))).toBeUndefined()
  })
})

describe('isOrganisation', () => {
  const qwac = { id: 'PSDGB-FCA-123456', from: 'organizationIdentifier', registrationId: '123456' } as const
  const transport = { id: 'org-1', from: 'organizationalUnit' } as const
  it('matches by org id, or by the competent authority registration id', () => {
    expect(isOrganisation(qwac, { orgId: 'PSDGB-FCA-123456' })).toBe(true)
    expect(isOrganisation(qwac, { orgId: 'other', registrationId: '123456' })).toBe(true)
    expect(isOrganisation(transport, { orgId: 'org-1' })).toBe(true)
  })

  it('refuses another organisation, an absent owner and a certificate without one', () => {
    expect(isOrganisation(qwac, { orgId: 'PSDGB-FCA-999999', registrationId: '999999' })).toBe(false)
    expect(isOrganisation(transport, { registrationId: 'org-1' })).toBe(false)
    expect(isOrganisation(transport, {})).toBe(false)
    expect(isOrganisation(undefined, { orgId: 'org-1' })).toBe(false)
  })
})
