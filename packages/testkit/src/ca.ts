import {
  constants,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  privateEncrypt,
  randomBytes,
} from 'node:crypto'
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

/** The subject's key of a certificate being issued. */
export interface SubjectKey {
  /**
   * The subject's RSA private key, e.g. from `generateRsaKey()`. Default: a new RSA-2048 key
   * generated synchronously, which stops the event loop for 50 to 500 ms: servers pass one.
   */
  key?: KeyObject
}

/** A mock certificate authority: the sandbox root, or a test QTSP. */
export interface CertificateAuthority {
  certPem: string
  keyPem: string
  subjectDn: string
  /** A TLS server certificate for the given DNS names and IP addresses. */
  issueServerCertificate(options: { hosts: string[] } & Validity & SubjectKey): IssuedCertificate
  /** A UK OB-style transport (client TLS) certificate: `C=GB, O=OpenBanking, OU=<org id>, CN=<software id>`. */
  issueTransportCertificate(options: { orgId: string; softwareId: string } & Validity & SubjectKey): IssuedCertificate
  /** A UK OB-style signing (seal) certificate with the same subject shape. */
  issueSigningCertificate(options: { orgId: string; softwareId: string } & Validity & SubjectKey): IssuedCertificate
  /** A certificate with any subject and extended key usages. */
  issueCertificate(options: CertificateRequest): IssuedCertificate
  /** An intermediate CA under this one, able to issue in turn. */
  issueIntermediateAuthority(options: { commonName: string } & Validity): CertificateAuthority
}

/** What to put in a certificate. */
export interface CertificateRequest extends Validity, SubjectKey {
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

/** The subject's public key for forge, and its private key as PKCS#8 PEM. */
function subjectKey(key: KeyObject | undefined): { forgePublic: forge.pki.rsa.PublicKey; keyPem: string } {
  // node:crypto generates RSA keys natively (fast); node-forge's pure-JS generation takes seconds.
  const privateKey = key ?? generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey
  if (privateKey.asymmetricKeyType !== 'rsa') throw new TypeError('open-dcr testkit: a certificate key must be RSA')
  const spki = createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString()
  return {
    forgePublic: forge.pki.publicKeyFromPem(spki) as forge.pki.rsa.PublicKey,
    keyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  }
}

/** DER prefix of a PKCS#1 v1.5 DigestInfo for SHA-256 (RFC 8017 §9.2, note 1). */
const sha256DigestInfo = Buffer.from('3031300d060960864801650304020105000420', 'hex')

/**
 * A stand-in for a forge private key whose `sign` is node:crypto's RSA: forge builds and encodes
 * the certificate, node signs it (forge's pure-JS RSA takes about 20 ms a certificate, all of it on
 * the event loop). PKCS#1 v1.5 is deterministic, so the signature is the one forge would make.
 */
function nativeSigner(key: KeyObject): forge.pki.rsa.PrivateKey {
  const signer = {
    sign(md: forge.md.MessageDigest): string {
      if (md.algorithm !== 'sha256') throw new TypeError('open-dcr testkit: certificates are signed with SHA-256')
      const digestInfo = Buffer.concat([sha256DigestInfo, Buffer.from(md.digest().getBytes(), 'binary')])
      return privateEncrypt({ key, padding: constants.RSA_PKCS1_PADDING }, digestInfo).toString('binary')
    },
  }
  return signer as unknown as forge.pki.rsa.PrivateKey
}

const serial = (): string => `01${randomBytes(15).toString('hex')}`

function validity(cert: forge.pki.Certificate, options: Validity, years: number): void {
  const now = Date.now()
  cert.validity.notBefore = options.notBefore ?? new Date(now - 3600_000)
  cert.validity.notAfter = options.notAfter ?? new Date(now + years * 365 * 86400_000)
}

const hostName = (host: string): { type: number; value?: string; ip?: string } =>
  /^[\d.]+$/.test(host) || host.includes(':') ? { type: 7, ip: host } : { type: 2, value: host }

/** The key and certificate of an authority, as its issuing needs them. */
interface Issuer {
  cert: forge.pki.Certificate
  key: forge.pki.rsa.PrivateKey
  keyIdentifier: string
}

type RootOptions = { commonName?: string; organization?: string; certPem?: string; keyPem?: string } & Validity

/** The root's certificate and key: loaded from PEM when both are given, else a new self-signed one. */
function rootCertificate(options: RootOptions): { caCert: forge.pki.Certificate; keyPem: string } {
  if (options.certPem && options.keyPem) {
    return { caCert: forge.pki.certificateFromPem(options.certPem), keyPem: options.keyPem }
  }
  const key = subjectKey(undefined)
  const caCert = forge.pki.createCertificate()
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
  caCert.sign(nativeSigner(createPrivateKey(key.keyPem)), forge.md.sha256.create())
  return { caCert, keyPem: key.keyPem }
}

/** Issues one certificate signed by `issuer`; `asAuthority` makes it an intermediate CA's. */
function issueFrom(issuer: Issuer, request: CertificateRequest, asAuthority = false): IssuedCertificate {
  const key = subjectKey(request.key)
  const cert = forge.pki.createCertificate()
  cert.publicKey = key.forgePublic
  cert.serialNumber = serial()
  validity(cert, request, 1)
  cert.setSubject(request.subject)
  cert.setIssuer(issuer.cert.subject.attributes)
  const keyUsage = asAuthority
    ? { keyCertSign: true, cRLSign: true }
    : Object.fromEntries((request.keyUsage ?? ['digitalSignature']).map((usage) => [usage, true]))
  const extensions: object[] = [
    { name: 'basicConstraints', cA: asAuthority, critical: true },
    { name: 'keyUsage', critical: true, ...keyUsage },
    { name: 'subjectKeyIdentifier' },
    { name: 'authorityKeyIdentifier', keyIdentifier: issuer.keyIdentifier },
  ]
  if (request.extKeyUsage?.length) {
    extensions.push({ name: 'extKeyUsage', ...Object.fromEntries(request.extKeyUsage.map((usage) => [usage, true])) })
  }
  if (request.hosts?.length) extensions.push({ name: 'subjectAltName', altNames: request.hosts.map(hostName) })
  cert.setExtensions([...extensions, ...(request.extensions ?? [])])
  cert.sign(issuer.key, forge.md.sha256.create())
  return {
    certPem: forge.pki.certificateToPem(cert),
    keyPem: key.keyPem,
    subjectDn: rfc4514(cert.subject.attributes),
    serialNumber: cert.serialNumber.toLowerCase(),
  }
}

/** The subject of an Open Banking UK transport or signing certificate. */
const obSubject = (orgId: string, softwareId: string): SubjectAttribute[] => [
  { shortName: 'C', value: 'GB' },
  { shortName: 'O', value: 'OpenBanking' },
  { shortName: 'OU', value: orgId },
  { shortName: 'CN', value: softwareId },
]

/**
 * Creates a new self-signed root CA (RSA-2048, SHA-256), or loads one from PEM.
 *
 * @example
 * const ca = createCertificateAuthority({ commonName: 'open-dcr sandbox root' })
 * const tls = ca.issueServerCertificate({ hosts: ['localhost', '127.0.0.1'] })
 */
export function createCertificateAuthority(options: RootOptions = {}): CertificateAuthority {
  const { caCert, keyPem } = rootCertificate(options)
  const issuer: Issuer = {
    cert: caCert,
    key: nativeSigner(createPrivateKey(keyPem)),
    keyIdentifier: caCert.generateSubjectKeyIdentifier().getBytes(),
  }
  const issueCertificate = (request: CertificateRequest): IssuedCertificate => issueFrom(issuer, request)
  return {
    certPem: forge.pki.certificateToPem(caCert),
    keyPem,
    subjectDn: rfc4514(caCert.subject.attributes),
    issueCertificate,
    issueIntermediateAuthority: ({ commonName, ...validity }) => {
      const subject = [
        { shortName: 'C', value: 'GB' },
        { shortName: 'CN', value: commonName },
      ]
      const issued = issueFrom(issuer, { ...validity, subject }, true)
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
