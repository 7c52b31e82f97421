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

/**
 * A header value as the signing string takes it (draft-cavage-12 §2.3: repeated headers joined by
 * ", "), or undefined. Covered header names come from the request, so a lookup in a plain object
 * such as Node's `req.headers` may find `constructor` or `__proto__` on Object.prototype: anything
 * but a string (or strings) is no header.
 */
function headerText(value: unknown): string | undefined {
  if (typeof value === 'string') return value
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value.join(', ')
  return undefined
}

/** What the signing string is built from: the Signature header's parameters. */
export type SigningStringParameters = Pick<SignatureParameters, 'headers' | 'algorithm' | 'created' | 'expires'>

/**
 * The value of a `(created)` or `(expires)` line (draft-cavage-12 §2.3): the `created`/`expires`
 * Signature parameter, which only `hs2019` may cover (algorithms named after a digest such as
 * `rsa-sha256` must not, since their verifiers predate these parameters).
 */
function timestampValue(name: '(created)' | '(expires)', params: SigningStringParameters): string | Error {
  const parameter = name === '(created)' ? 'created' : 'expires'
  if (/^(rsa|hmac|ecdsa)/.test(params.algorithm)) {
    return new Error(
      `the signature covers ${name}, which algorithm "${params.algorithm}" must not (draft-cavage-12 §2.3); use hs2019, or cover the Date header instead`,
    )
  }
  const value = params[parameter]
  if (value === undefined) {
    return new Error(
      `the signature covers ${name} but the Signature header has no ${parameter}="<unix time>" parameter`,
    )
  }
  return String(value)
}

/**
 * The draft-cavage-12 signing string: one `name: value` line per covered header, in order, with the
 * pseudo-headers `(request-target)`, `(created)` and `(expires)`. Problems name what is missing.
 */
export function signingString(
  request: SignedRequest,
  params: SigningStringParameters,
): { text: string; problems: string[] } {
  const problems: string[] = []
  const lines = params.headers.map((name) => {
    if (name === '(request-target)') return `(request-target): ${request.method.toLowerCase()} ${request.path}`
    if (name === '(created)' || name === '(expires)') {
      const value = timestampValue(name, params)
      if (value instanceof Error) problems.push(value.message)
      return `${name}: ${value instanceof Error ? '' : value}`
    }
    const value = headerText(request.header(name))
    if (value === undefined) problems.push(`header "${name}" is listed in the signature but missing from the request`)
    return `${name}: ${(value ?? '').trim()}`
  })
  return { text: lines.join('\n'), problems }
}

/**
 * The SHA-256 value of a `Digest` header (RFC 3230 §4.3.2: comma-separated `algorithm=value`
 * instances; algorithm names are case-insensitive, §4.1.1), or undefined when none is SHA-256.
 */
function sha256Instance(digest: string): string | undefined {
  for (const instance of digest.split(',')) {
    const equals = instance.indexOf('=')
    if (equals > 0 && instance.slice(0, equals).trim().toLowerCase() === 'sha-256') {
      return instance.slice(equals + 1).trim()
    }
  }
  return undefined
}

/**
 * hs2019 takes its algorithm from the key (draft-cavage-12 §2.3), and the draft recommends SHA-512
 * for it while several banks' guides sign with SHA-256: both digests are accepted, RSA keys with
 * RSASSA-PSS (any salt length), EC keys with ECDSA (DER or IEEE P1363 signatures).
 */
const hs2019Digests = ['sha512', 'sha256'] as const

function checkSignature(params: SignatureParameters, key: KeyObject, data: Buffer): boolean {
  const type = key.asymmetricKeyType
  if (params.algorithm === 'rsa-sha256') {
    return type === 'rsa' && verify('sha256', data, { key, padding: constants.RSA_PKCS1_PADDING }, params.signature)
  }
  if (type === 'rsa' || type === 'rsa-pss') {
    const pss = { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_AUTO }
    return hs2019Digests.some((digest) => verify(digest, data, pss, params.signature))
  }
  if (type === 'ec') {
    return hs2019Digests.some((digest) =>
      (['der', 'ieee-p1363'] as const).some((dsaEncoding) =>
        verify(digest, data, { key, dsaEncoding }, params.signature),
      ),
    )
  }
  return false
}

/** The QSEAL from its header: PEM (URL-encoded or not) or base64 DER. */
function readCertificate(value: string, header: string): ParsedCertificate {
  let text = value
  try {
    if (value.includes('%')) text = decodeURIComponent(value)
  } catch {
    throw new Error(`the ${header} header is not valid percent-encoding`)
  }
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
 * draft-cavage-12 §2.1.4-5: a signature created in the future, or whose `expires` has passed, must
 * not be processed. `created` may be ahead by the Date skew (clocks differ) and, like `Date`, must
 * be no older than it.
 */
function timestampProblems(params: SignatureParameters, nowMs: number, maxSkew: number): string[] {
  const now = Math.floor(nowMs / 1000)
  const problems: string[] = []
  if (params.created !== undefined) {
    if (params.created > now + maxSkew)
      problems.push(`created=${params.created} is ${params.created - now} s in the future`)
    else if (params.created < now - maxSkew) {
      problems.push(`created=${params.created} is ${now - params.created} s old; at most ${maxSkew} s is accepted`)
    }
  }
  if (params.expires !== undefined && params.expires < now) {
    problems.push(`the signature expired at expires=${params.expires}, ${now - params.expires} s ago`)
  }
  if (params.created !== undefined && params.expires !== undefined && params.expires < params.created) {
    problems.push(`expires=${params.expires} is before created=${params.created}`)
  }
  return problems
}

/**
 * Checks a request's HTTP signature (draft-cavage-12 as Berlin Group and eIDAS banks use it) and
 * reports every problem: missing or malformed headers, digest expected vs received, Date skew,
 * keyId vs certificate, untrusted QSEAL, another organisation than the TLS certificate, and a
 * signature that does not verify (with the reconstructed signing string).
 */
export function inspectHttpSignature(
  signed: SignedRequest,
  settings: HttpSignatureSettings,
  now: Clock,
  tlsCertificate: ParsedCertificate | undefined,
): SignatureReport {
  const request = { ...signed, header: (name: string) => headerText(signed.header(name)) }
  const expectedDigest = `SHA-256=${sha256(request.body).toString('base64')}`
  const report: SignatureReport = { problems: [], expectedDigest }
  const fail = (status: 400 | 401, message: string) => report.problems.push({ status, message })

  const header = request.header('signature')
  if (!header) {
    const inAuthorization = /^signature\s/i.test(request.header('authorization') ?? '')
    fail(
      401,
      inAuthorization
        ? 'the Signature header is missing: send the signature in the Signature header (draft-cavage-12 §4), not as Authorization: Signature, since Authorization carries the Bearer token on these calls'
        : 'the Signature header is missing',
    )
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
  // A covered (created) proves freshness as a covered Date does, so hs2019 may use it instead of Date.
  const covers = (name: string) =>
    params.headers.includes(name) ||
    (name === 'date' && params.algorithm === 'hs2019' && params.headers.includes('(created)'))
  const absent = settings.requiredHeaders.filter((name) => !covers(name))
  if (absent.length > 0)
    fail(400, `the signature must cover: ${absent.join(' ')} (it covers: ${params.headers.join(' ')})`)
  const built = signingString(request, params)
  report.signingString = built.text
  for (const problem of built.problems) fail(400, problem)

  const digest = request.header('digest')
  if (digest === undefined) {
    if (settings.requiredHeaders.includes('digest'))
      fail(400, `the Digest header is missing; expected ${expectedDigest}`)
  } else {
    const hash = sha256(request.body)
    const value = sha256Instance(digest)
    const ok =
      value === hash.toString('base64') ||
      (settings.allowHexDigest && digest.trim().toLowerCase() === hash.toString('hex'))
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
  for (const problem of timestampProblems(params, now(), settings.maxSkew)) fail(400, problem)

  const certificateValue = request.header(settings.certificateHeader)
  if (!certificateValue) {
    fail(401, `the ${settings.certificateHeader} header (the QSEAL certificate) is missing`)
    return report
  }
  let certificate: ParsedCertificate
  try {
    certificate = readCertificate(certificateValue, settings.certificateHeader)
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
