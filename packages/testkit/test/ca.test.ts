import { createPrivateKey, generateKeyPairSync, X509Certificate } from 'node:crypto'
import forge from 'node-forge'
import { describe, expect, it } from 'vitest'
import { createCertificateAuthority, generateRsaKey } from '../src/index.js'

describe('createCertificateAuthority', () => {
  const ca = createCertificateAuthority({ commonName: 'test root' })

  it('issues a self-signed root that node:crypto parses as a CA', () => {
    const root = new X509Certificate(ca.certPem)
    expect(root.ca).toBe(true)
    expect(root.verify(root.publicKey)).toBe(true)
    expect(ca.subjectDn).toBe('CN=test root,O=open-dcr,C=GB')
  })

  it('issues a server certificate for localhost and 127.0.0.1, signed by the root', () => {
    const server = new X509Certificate(ca.issueServerCertificate({ hosts: ['localhost', '127.0.0.1'] }).certPem)
    expect(server.checkHost('localhost')).toBe('localhost')
    expect(server.checkIP('127.0.0.1')).toBe('127.0.0.1')
    expect(server.checkIssued(new X509Certificate(ca.certPem))).toBe(true)
    expect(server.verify(new X509Certificate(ca.certPem).publicKey)).toBe(true)
  })

  it('issues an OB transport certificate whose subject names the org and software', () => {
    const issued = ca.issueTransportCertificate({ orgId: 'org123', softwareId: 'soft456' })
    const cert = new X509Certificate(issued.certPem)
    expect(issued.subjectDn).toBe('CN=soft456,OU=org123,O=OpenBanking,C=GB')
    expect(cert.subject.split('\n')).toEqual(['C=GB', 'O=OpenBanking', 'OU=org123', 'CN=soft456'])
    expect(cert.keyUsage).toContain('1.3.6.1.5.5.7.3.2')
    expect(cert.serialNumber.toLowerCase()).toBe(issued.serialNumber)
  })

  it('reloads from PEM and keeps issuing under the same root', () => {
    const again = createCertificateAuthority({ certPem: ca.certPem, keyPem: ca.keyPem })
    const cert = new X509Certificate(again.issueTransportCertificate({ orgId: 'o', softwareId: 's' }).certPem)
    expect(cert.verify(new X509Certificate(ca.certPem).publicKey)).toBe(true)
  })

  it('honours the validity window it is given', () => {
    const notAfter = new Date('2020-01-01T00:00:00Z')
    const cert = new X509Certificate(
      ca.issueTransportCertificate({
        orgId: 'o',
        softwareId: 's',
        notBefore: new Date('2019-01-01T00:00:00Z'),
        notAfter,
      }).certPem,
    )
    expect(new Date(cert.validTo).getTime()).toBe(notAfter.getTime())
  })

  it('certifies a key made ahead (off the event loop) instead of generating one', async () => {
    const key = await generateRsaKey()
    const issued = ca.issueTransportCertificate({ orgId: 'o', softwareId: 's', key })
    const cert = new X509Certificate(issued.certPem)
    expect(cert.checkPrivateKey(key)).toBe(true)
    expect(createPrivateKey(issued.keyPem).export({ format: 'jwk' })).toEqual(key.export({ format: 'jwk' }))
    expect(cert.verify(new X509Certificate(ca.certPem).publicKey)).toBe(true)
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey
    expect(() => ca.issueTransportCertificate({ orgId: 'o', softwareId: 's', key: ec })).toThrow(/must be RSA/)
  })

  it('signs natively exactly as forge would (PKCS#1 v1.5 is deterministic)', () => {
    const issued = forge.pki.certificateFromPem(ca.issueTransportCertificate({ orgId: 'o', softwareId: 's' }).certPem)
    const native = issued.signature as string
    issued.sign(forge.pki.privateKeyFromPem(ca.keyPem), forge.md.sha256.create())
    expect(Buffer.from(issued.signature as string, 'binary').toString('hex')).toBe(
      Buffer.from(native, 'binary').toString('hex'),
    )
  })
})
