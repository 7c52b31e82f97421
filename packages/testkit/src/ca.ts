import { generateKeyPairSync, randomBytes } from 'node:crypto'
import forge from 'node-forge'

/** One attribute of a certificate subject, e.g. `{ shortName: 'CN', value: 'abc' }` or by OID `{ type: '2.5.4.97', value: ... }`. */
export interface SubjectAttribute {
  shortName?: string
  type?: string
  value: string
}

/** A certificate and its private key, both PEM, with the subject as an RFC 4514 string. */
export interface IssuedCertificate {
  certPem: string
  /** PKCS#8 PEM. */
  keyPem: string
  /** Subject DN in RFC 4514 order (most specific first), e.g. `CN=abc,OU=org,O=OpenBanking,C=GB`. */
  subjectDn: string
  /** Serial number, lowercase hex. */
  serialNumber: string
}

/** Validity of a certificate being issued. */
export interface Validity {
  /** Default: one hour before now. */
  notBefore?: Date
  /** Default: one year after now. */
  notAfter?: Date
}

/** A mock certificate authority: the sandbox root, or a test QTSP. */
export interface CertificateAuthority {
  certPem: string
  keyPem: string
  subjectDn: string
  /** A TLS server certificate for the given DNS names and IP addresses. */
  issueServerCertificate(options: { hosts: string[] } & Validity): IssuedCertificate
  /** A UK OB-style transport (client TLS) certificate: `C=GB, O=OpenBanking, OU=<org id>, CN=<software id>`. */
  issueTransportCertificate(options: { orgId: string; softwareId: string } & Validity): IssuedCertificate
  /** A UK OB-style signing (seal) certificate with the same subject shape. */
  issueSigningCertificate(options: { orgId: string; softwareId: string } & Validity): IssuedCertificate
  /** A certificate with any subject and extended key usages. */
  issueCertificate(options: CertificateRequest): IssuedCertificate
  /** An intermediate CA under this one, able to issue in turn. */
  issueIntermediateAuthority(options: { commonName: string } & Validity): CertificateAuthority
}

/** What to put in a certificate. */
export interface CertificateRequest extends Validity {
  subject: SubjectAttribute[]
  /** Extended key usage: serverAuth, clientAuth, ... */
  extKeyUsage?: ('serverAuth' | 'clientAuth' | 'emailProtection')[]
  keyUsage?: ('digitalSignature' | 'nonRepudiation' | 'keyEncipherment')[]
  /** DNS names and IP addresses (server certificates). */
  hosts?: string[]
  /** Extra forge extensions (e.g. QC statements). */
  extensions?: object[]
}

const shortNames: Record<string, string> = { '2.5.4.97': 'organizationIdentifier' }

/** Formats forge subject attributes as an RFC 4514 string (reverse order, special characters escaped). */
export function rfc4514(attributes: forge.pki.CertificateField[]): string {
  return [...attributes]
    .reverse()
    .map((attribute) => {
      const name = attribute.shortName ?? shortNames[attribute.type ?? ''] ?? attribute.type
      const value = String(attribute.value)
        .replace(/[\\,+"<>;=]/g, (c) => `\\${c}`)
        .replace(/^[ #]/, (c) => `\\${c}`)
        .replace(/ $/, '\\ ')
      return `${name}=${value}`
    })
    .join(',')
}

function newRsaKey(): { forgePrivate: forge.pki.rsa.PrivateKey; forgePublic: forge.pki.rsa.PublicKey; keyPem: string } {
  // node:crypto generates RSA keys natively (fast); node-forge's pure-JS generation takes seconds.
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
  return {
    forgePrivate: forge.pki.privateKeyFromPem(privateKey.export({ type: 'pkcs1', format: 'pem' }).toString()),
    forgePublic: forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString()),
    keyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  }
}

const serial = (): string => `01${randomBytes(15).toString('hex')}`

function validity(cert: forge.pki.Certificate, options: Validity, years: number): void {
  const now = Date.now()
  cert.validity.notBefore = options.notBefore ?? new Date(now - 3600_000)
  cert.validity.notAfter = options.notAfter ?? new Date(now + years * 365 * 86400_000)
}

const hostName = (host: string): { type: number; value?: string; ip?: string } =>
  /^[\d.]+$/.test(host) || host.includes(':') ? { type: 7, ip: host } : { type: 2, value: host }

/**
 * Creates a new self-signed root CA (RSA-2048, SHA-256), or loads one from PEM.
 *
 * @example
 * const ca = createCertificateAuthority({ commonName: 'open-dcr sandbox root' })
 * const tls = ca.issueServerCertificate({ hosts: ['localhost', '127.0.0.1'] })
 */
export function createCertificateAuthority(
  options: { commonName?: string; organization?: string; certPem?: string; keyPem?: string } & Validity = {},
): CertificateAuthority {
  let caCert: forge.pki.Certificate
  let caKey: forge.pki.rsa.PrivateKey
  let keyPem: string
  if (options.certPem && options.keyPem) {
    caCert = forge.pki.certificateFromPem(options.certPem)
    caKey = forge.pki.privateKeyFromPem(options.keyPem)
    keyPem = options.keyPem
  } else {
    const key = newRsaKey()
    caKey = key.forgePrivate
    keyPem = key.keyPem
    caCert = forge.pki.createCertificate()
    caCert.publicKey = key.forgePublic
    caCert.serialNumber = serial()
    validity(caCert, options, 10)
    const subject = [
      { shortName: 'C', value: 'GB' },
      { shortName: 'O', value: options.organization ?? 'open-dcr' },
      { shortName: 'CN', value: options.commonName ?? 'open-dcr test root CA' },
    ]
    caCert.setSubject(subject)
    caCert.setIssuer(subject)
    caCert.setExtensions([
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
      { name: 'subjectKeyIdentifier' },
    ])
    caCert.sign(caKey, forge.md.sha256.create())
  }
  const certPem = forge.pki.certificateToPem(caCert)

  const issueCertificate = (request: CertificateRequest, asAuthority = false): IssuedCertificate => {
    const key = newRsaKey()
    const cert = forge.pki.createCertificate()
    cert.publicKey = key.forgePublic
    cert.serialNumber = serial()
    validity(cert, request, 1)
    cert.setSubject(request.subject)
    cert.setIssuer(caCert.subject.attributes)
    const keyUsage = asAuthority
      ? { keyCertSign: true, cRLSign: true }
      : Object.fromEntries((request.keyUsage ?? ['digitalSignature']).map((usage) => [usage, true]))
    const extensions: object[] = [
      { name: 'basicConstraints', cA: asAuthority, critical: true },
      { name: 'keyUsage', critical: true, ...keyUsage },
      { name: 'subjectKeyIdentifier' },
      { name: 'authorityKeyIdentifier', keyIdentifier: caCert.generateSubjectKeyIdentifier().getBytes() },
    ]
    if (request.extKeyUsage?.length) {
      extensions.push({ name: 'extKeyUsage', ...Object.fromEntries(request.extKeyUsage.map((usage) => [usage, true])) })
    }
    if (request.hosts?.length) extensions.push({ name: 'subjectAltName', altNames: request.hosts.map(hostName) })
    cert.setExtensions([...extensions, ...(request.extensions ?? [])])
    cert.sign(caKey, forge.md.sha256.create())
    return {
      certPem: forge.pki.certificateToPem(cert),
      keyPem: key.keyPem,
      subjectDn: rfc4514(cert.subject.attributes),
      serialNumber: cert.serialNumber.toLowerCase(),
    }
  }

  const obSubject = (orgId: string, softwareId: string): SubjectAttribute[] => [
    { shortName: 'C', value: 'GB' },
    { shortName: 'O', value: 'OpenBanking' },
    { shortName: 'OU', value: orgId },
    { shortName: 'CN', value: softwareId },
  ]

  return {
    certPem,
    keyPem,
    subjectDn: rfc4514(caCert.subject.attributes),
    issueCertificate,
    issueIntermediateAuthority: ({ commonName, ...validity }) => {
      const issued = issueCertificate(
        {
          ...validity,
          subject: [
            { shortName: 'C', value: 'GB' },
            { shortName: 'CN', value: commonName },
          ],
        },
        true,
      )
      return createCertificateAuthority({ certPem: issued.certPem, keyPem: issued.keyPem })
    },
    issueServerCertificate: ({ hosts, ...rest }) =>
      issueCertificate({
        ...rest,
        subject: [{ shortName: 'CN', value: hosts[0] ?? 'localhost' }],
        hosts,
        extKeyUsage: ['serverAuth'],
        keyUsage: ['digitalSignature', 'keyEncipherment'],
      }),
    issueTransportCertificate: ({ orgId, softwareId, ...rest }) =>
      issueCertificate({ ...rest, subject: obSubject(orgId, softwareId), extKeyUsage: ['clientAuth'] }),
    issueSigningCertificate: ({ orgId, softwareId, ...rest }) =>
      issueCertificate({
        ...rest,
        subject: obSubject(orgId, softwareId),
        keyUsage: ['digitalSignature', 'nonRepudiation'],
      }),
  }
}
