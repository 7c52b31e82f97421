import { constants, createHash, type KeyObject, verify } from 'node:crypto'
import { DcrError } from '../errors.js'
import type { Clock } from '../stores/types.js'
import { type ParsedCertificate, parseCertificate } from './certificate.js'
import { type TrustStore, verifyCertificateChain } from './certificate-chain.js'
import {
  attributeTypes,
  attributeValue,
  formatDistinguishedName,
  parseDistinguishedName,
  sameDistinguishedName,
} from './distinguished-name.js'
import { parseSignatureHeader, type SignatureParameters } from './signature-header.js'

/** How a brand checks HTTP message signatures. */
export interface HttpSignatureSettings {
  /** Headers every signature must cover. Default `(request-target) date digest`. */
  requiredHeaders: string[]
  /** Largest accepted difference between `Date` and now, seconds. Default 300. */
  maxSkew: number
  /** Accept a `Digest` of bare hex SHA-256 (one bank's guide); off by default. */
  allowHexDigest: boolean
  /** QTSP roots (and intermediates) the QSEAL must chain to. */
  trust: TrustStore
  /** Header carrying the QSEAL (PEM or base64 DER). Default `tpp-signature-certificate`. */
  certificateHeader: string
}

/** A request as received, for signature checking. */
export interface SignedRequest {
  method: string
  /** Path and query exactly as sent, e.g. `/client/v1/register?x=1`. */
  path: string
  header(name: string): string | undefined
  body: Buffer
}

/** The outcome of checking one request's signature: every problem found, and what was reconstructed. */
export interface SignatureReport {
  problems: { status: 400 | 401; message: string }[]
  /** The signing string rebuilt from the request, when the Signature header could be read. */
  signingString?: string
  /** `SHA-256=<base64>` of the body as received. */
  expectedDigest: string
  certificate?: ParsedCertificate
}

const sha256 = (body: Buffer) => createHash('sha256').update(body).digest()

/** The draft-cavage-12 signing string: one `name: value` line per listed header. */
export function signingString(request: SignedRequest, headers: readonly string[]): { text: string; missing: string[] } {
  const missing: string[] = []
  const lines = headers.map((name) => {
    if (name === '(request-target)') return `(request-target): ${request.method.toLowerCase()} ${request.path}`
    const value = request.header(name)
    if (value === undefined) missing.push(name)
    return `${name}: ${(value ?? '').trim()}`
  })
  return { text: lines.join('\n'), missing }
}

function checkSignature(params: SignatureParameters, key: KeyObject, data: Buffer): boolean {
  const type = key.asymmetricKeyType
  if (params.algorithm === 'rsa-sha256') {
    return type === 'rsa' && verify('sha256', data, { key, padding: constants.RSA_PKCS1_PADDING }, params.signature)
  }
  // hs2019: the algorithm follows from the key: RSASSA-PSS (SHA-256, 32-byte salt) or ECDSA P-256.
  if (type === 'rsa' || type === 'rsa-pss') {
    return verify('sha256', data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }, params.signature)
  }
  if (type === 'ec') {
    return (
      verify('sha256', data, { key, dsaEncoding: 'der' }, params.signature) ||
      verify('sha256', data, { key, dsaEncoding: 'ieee-p1363' }, params.signature)
    )
  }
  return false
}

function readCertificate(value: string): ParsedCertificate {
  const text = value.includes('%') ? decodeURIComponent(value) : value
  const der = text.includes('BEGIN CERTIFICATE')
    ? Buffer.from(text.replace(/-----[A-Z ]+-----|\s/g, ''), 'base64')
    : Buffer.from(text.replace(/\s/g, ''), 'base64')
  return parseCertificate(der)
}

/** `SN=<hex>,CA=<issuer DN>` → serial (lowercase, no leading zeros) and issuer DN text. */
function readKeyId(keyId: string): { serial: string; issuer: string } | undefined {
  const match = /^SN=([0-9A-Fa-f]+),CA=(.+)$/.exec(keyId.trim())
  return match?.[1] && match[2]
    ? { serial: match[1].toLowerCase().replace(/^0+(?=.)/, ''), issuer: match[2] }
    : undefined
}

/**
 * Checks a request's HTTP signature (draft-cavage-12 as Berlin Group and eIDAS banks use it) and
 * reports every problem: missing or malformed headers, digest expected vs received, Date skew,
 * keyId vs certificate, untrusted QSEAL, another organisation than the TLS certificate, and a
 * signature that does not verify (with the reconstructed signing string).
 */
export function inspectHttpSignature(
  request: SignedRequest,
  settings: HttpSignatureSettings,
  now: Clock,
  tlsCertificate: ParsedCertificate | undefined,
): SignatureReport {
  const expectedDigest = `SHA-256=${sha256(request.body).toString('base64')}`
  const report: SignatureReport = { problems: [], expectedDigest }
  const fail = (status: 400 | 401, message: string) => report.problems.push({ status, message })

  const header = request.header('signature')
  if (!header) {
    fail(401, 'the Signature header is missing')
    return report
  }
  let params: SignatureParameters
  try {
    params = parseSignatureHeader(header)
  } catch (err) {
    fail(400, (err as Error).message)
    return report
  }
  if (params.algorithm !== 'rsa-sha256' && params.algorithm !== 'hs2019') {
    fail(400, `algorithm "${params.algorithm}" is not supported; use rsa-sha256 or hs2019`)
  }
  const absent = settings.requiredHeaders.filter((name) => !params.headers.includes(name))
  if (absent.length > 0)
    fail(400, `the signature must cover: ${absent.join(' ')} (it covers: ${params.headers.join(' ')})`)
  const built = signingString(request, params.headers)
  report.signingString = built.text
  for (const name of built.missing)
    fail(400, `header "${name}" is listed in the signature but missing from the request`)

  const digest = request.header('digest')
  if (digest === undefined) {
    if (settings.requiredHeaders.includes('digest'))
      fail(400, `the Digest header is missing; expected ${expectedDigest}`)
  } else {
    const hex = sha256(request.body).toString('hex')
    const ok = digest.trim() === expectedDigest || (settings.allowHexDigest && digest.trim().toLowerCase() === hex)
    if (!ok) fail(400, `Digest does not match the body: expected ${expectedDigest}, received ${digest}`)
  }

  const date = request.header('date')
  if (date !== undefined) {
    const at = Date.parse(date)
    if (Number.isNaN(at)) fail(400, `Date "${date}" is not an HTTP date (IMF-fixdate)`)
    else if (Math.abs(now() - at) > settings.maxSkew * 1000) {
      fail(
        400,
        `Date "${date}" is more than ${settings.maxSkew} s from the server's time (${new Date(now()).toUTCString()})`,
      )
    }
  }

  const certificateValue = request.header(settings.certificateHeader)
  if (!certificateValue) {
    fail(401, `the ${settings.certificateHeader} header (the QSEAL certificate) is missing`)
    return report
  }
  let certificate: ParsedCertificate
  try {
    certificate = readCertificate(certificateValue)
    verifyCertificateChain(certificate, settings.trust, [], now(), 'signing')
  } catch (err) {
    fail(401, `QSEAL: ${(err as Error).message}`)
    return report
  }
  report.certificate = certificate

  const keyId = readKeyId(params.keyId)
  const serial = certificate.serialNumber.replace(/^0+(?=.)/, '')
  if (!keyId) fail(400, `keyId "${params.keyId}" is not SN=<hex serial>,CA=<issuer DN>`)
  else {
    if (keyId.serial !== serial) fail(401, `keyId serial ${keyId.serial} does not match the certificate's ${serial}`)
    let issuerMatches = false
    try {
      issuerMatches = sameDistinguishedName(parseDistinguishedName(keyId.issuer), certificate.issuer, {
        anyOrder: true,
      })
    } catch {
      issuerMatches = false
    }
    if (!issuerMatches) {
      fail(
        401,
        `keyId CA "${keyId.issuer}" does not match the certificate's issuer "${formatDistinguishedName(certificate.issuer)}"`,
      )
    }
  }

  if (tlsCertificate) {
    const organisation = (cert: ParsedCertificate) =>
      attributeValue(cert.subject, attributeTypes.organizationIdentifier) ??
      attributeValue(cert.subject, attributeTypes.organizationalUnit)
    if (organisation(certificate) !== organisation(tlsCertificate)) {
      fail(
        401,
        `the QSEAL belongs to "${organisation(certificate)}", the TLS certificate to "${organisation(tlsCertificate)}"`,
      )
    }
  }

  if (
    report.problems.length === 0 &&
    !checkSignature(params, certificate.x509.publicKey, Buffer.from(built.text, 'utf8'))
  ) {
    fail(
      401,
      `the signature does not verify with the QSEAL's key over this signing string: ${JSON.stringify(built.text)}`,
    )
  }
  return report
}

/** Throws the report's problems as one DcrError (401 when any is an authentication failure). */
export function assertSignatureValid(report: SignatureReport): ParsedCertificate {
  if (report.problems.length === 0 && report.certificate) return report.certificate
  const status = report.problems.some((p) => p.status === 401) ? 401 : 400
  const description = report.problems.map((p) => p.message).join('; ')
  throw new DcrError(status === 401 ? 'invalid_client' : 'invalid_request', `HTTP signature: ${description}`, {
    status,
  })
}
