import { createHash, X509Certificate } from 'node:crypto'
import forge from 'node-forge'
import { CheckError, type CheckSubject } from '../check-error.js'
import { type DistinguishedName, distinguishedNameOf } from './distinguished-name.js'

/** What open-dcr reads from a client certificate, parsed once per certificate. */
export interface ParsedCertificate {
  der: Buffer
  /** RFC 8705 `x5t#S256`: base64url SHA-256 of the DER. */
  thumbprint: string
  subject: DistinguishedName
  issuer: DistinguishedName
  /** Lowercase hex, no leading zeros beyond forge's. */
  serialNumber: string
  notBefore: Date
  notAfter: Date
  forge: forge.pki.Certificate
  /** The same certificate for node:crypto (chain and signature checks). */
  x509: X509Certificate
}

const cacheSize = 1000
const cache = new Map<string, ParsedCertificate>()

/**
 * Parses a DER certificate with node-forge, cached by thumbprint: parsing costs about as much as
 * two signature checks, and a TPP presents the same certificate on every call. An unreadable one
 * is `ERR_DCR_CERTIFICATE_MALFORMED`, described as the `subject` it was presented as.
 */
export function parseCertificate(der: Buffer, subject: CheckSubject = 'client certificate'): ParsedCertificate {
  const thumbprint = createHash('sha256').update(der).digest('base64url')
  const cached = cache.get(thumbprint)
  if (cached) {
    cache.delete(thumbprint)
    cache.set(thumbprint, cached)
    return cached
  }
  let cert: forge.pki.Certificate
  let x509: X509Certificate
  try {
    x509 = new X509Certificate(der)
    cert = forge.pki.certificateFromAsn1(forge.asn1.fromDer(forge.util.createBuffer(der.toString('binary'))))
  } catch (cause) {
    throw new CheckError(
      'ERR_DCR_CERTIFICATE_MALFORMED',
      subject,
      `the ${subject} is not a well-formed X.509 certificate`,
      {
        cause,
      },
    )
  }
  const parsed: ParsedCertificate = {
    der,
    thumbprint,
    subject: distinguishedNameOf(cert.subject),
    issuer: distinguishedNameOf(cert.issuer),
    serialNumber: cert.serialNumber.toLowerCase(),
    notBefore: cert.validity.notBefore,
    notAfter: cert.validity.notAfter,
    forge: cert,
    x509,
  }
  cache.set(thumbprint, parsed)
  if (cache.size > cacheSize) {
    const oldest = cache.keys().next().value
    if (oldest !== undefined) cache.delete(oldest)
  }
  return parsed
}
