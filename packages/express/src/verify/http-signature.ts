import { CheckError } from '../check-error.js'
import type { Clock } from '../stores/types.js'
import { digestProblem, expectedDigest } from './body-digest.js'
import type { ParsedCertificate } from './certificate.js'
import { type TrustStore, verifyCertificateChain } from './certificate-chain.js'
import { keyIdProblems, organisationProblem, readQsealCertificate } from './qseal.js'
import { checkSignature } from './signature-algorithms.js'
import { dateProblem, timestampProblems } from './signature-freshness.js'
import { parseSignatureHeader, type SignatureParameters } from './signature-header.js'
import { headerText, type SignedRequest, signingString } from './signing-string.js'

export { type SignedRequest, type SigningStringParameters, signingString } from './signing-string.js'

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

/**
 * One problem of a signed request: `ERR_DCR_HTTP_SIGNATURE_INVALID` when the request is malformed or
 * inconsistent, `ERR_DCR_HTTP_SIGNATURE_VERIFICATION_FAILED` when it does not authenticate the caller.
 */
export interface SignatureProblem {
  code: 'ERR_DCR_HTTP_SIGNATURE_INVALID' | 'ERR_DCR_HTTP_SIGNATURE_VERIFICATION_FAILED'
  message: string
}

/** The outcome of checking one request's signature: every problem found, and what was reconstructed. */
export interface SignatureReport {
  problems: SignatureProblem[]
  /** The signing string rebuilt from the request, when the Signature header could be read. */
  signingString?: string
  /** `SHA-256=<base64>` of the body as received. */
  expectedDigest: string
  certificate?: ParsedCertificate
}

const invalid = (message: string): SignatureProblem => ({ code: 'ERR_DCR_HTTP_SIGNATURE_INVALID', message })
const failed = (message: string): SignatureProblem => ({ code: 'ERR_DCR_HTTP_SIGNATURE_VERIFICATION_FAILED', message })

/** The Signature header's parameters, or the problem that stops the check. */
function readParameters(request: SignedRequest): SignatureParameters | SignatureProblem {
  const header = request.header('signature')
  if (!header) {
    const inAuthorization = /^signature\s/i.test(request.header('authorization') ?? '')
    return failed(
      inAuthorization
        ? 'the Signature header is missing: send the signature in the Signature header (draft-cavage-12 §4), not as Authorization: Signature, since Authorization carries the Bearer token on these calls'
        : 'the Signature header is missing',
    )
  }
  try {
    return parseSignatureHeader(header)
  } catch (err) {
    return invalid((err as Error).message)
  }
}

/** The algorithm, and the headers the brand requires the signature to cover. */
function coverageProblems(params: SignatureParameters, settings: HttpSignatureSettings): string[] {
  const problems: string[] = []
  if (params.algorithm !== 'rsa-sha256' && params.algorithm !== 'hs2019') {
    problems.push(`algorithm "${params.algorithm}" is not supported; use rsa-sha256 or hs2019`)
  }
  // A covered (created) proves freshness as a covered Date does, so hs2019 may use it instead of Date.
  const covers = (name: string) =>
    params.headers.includes(name) ||
    (name === 'date' && params.algorithm === 'hs2019' && params.headers.includes('(created)'))
  const absent = settings.requiredHeaders.filter((name) => !covers(name))
  if (absent.length > 0) {
    problems.push(`the signature must cover: ${absent.join(' ')} (it covers: ${params.headers.join(' ')})`)
  }
  return problems
}

/** The QSEAL from its header, chained to the brand's QTSPs, or the problem that stops the check. */
function readQseal(
  request: SignedRequest,
  settings: HttpSignatureSettings,
  now: number,
): ParsedCertificate | SignatureProblem {
  const value = request.header(settings.certificateHeader)
  if (!value) return failed(`the ${settings.certificateHeader} header (the QSEAL certificate) is missing`)
  try {
    const certificate = readQsealCertificate(value, settings.certificateHeader)
    verifyCertificateChain(certificate, settings.trust, [], now, 'signing')
    return certificate
  } catch (err) {
    if (err instanceof CheckError) return failed(err.message)
    throw err
  }
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
  const report: SignatureReport = { problems: [], expectedDigest: expectedDigest(request.body) }
  const params = readParameters(request)
  if ('code' in params) {
    report.problems.push(params)
    return report
  }
  const built = signingString(request, params)
  report.signingString = built.text
  const digest = digestProblem(request.header('digest'), request.body, {
    required: settings.requiredHeaders.includes('digest'),
    allowHex: settings.allowHexDigest,
  })
  const date = dateProblem(request.header('date'), now(), settings.maxSkew)
  const malformed = [
    ...coverageProblems(params, settings),
    ...built.problems,
    ...(digest === undefined ? [] : [digest]),
    ...(date === undefined ? [] : [date]),
    ...timestampProblems(params, now(), settings.maxSkew),
  ]
  report.problems.push(...malformed.map(invalid))

  const certificate = readQseal(request, settings, now())
  if ('code' in certificate) {
    report.problems.push(certificate)
    return report
  }
  report.certificate = certificate
  const keyId = keyIdProblems(params.keyId, certificate)
  if (keyId.malformed !== undefined) report.problems.push(invalid(keyId.malformed))
  report.problems.push(...keyId.mismatches.map(failed))
  const organisation = tlsCertificate && organisationProblem(certificate, tlsCertificate)
  if (organisation !== undefined) report.problems.push(failed(organisation))

  if (report.problems.length === 0 && !checkSignature(params, certificate.x509.publicKey, Buffer.from(built.text))) {
    report.problems.push(
      failed(
        `the signature does not verify with the QSEAL's key over this signing string: ${JSON.stringify(built.text)}`,
      ),
    )
  }
  return report
}

/**
 * The QSEAL of a report without problems; otherwise throws them as one CheckError, subject
 * `HTTP signature`: `ERR_DCR_HTTP_SIGNATURE_VERIFICATION_FAILED` when any problem is an
 * authentication failure, else `ERR_DCR_HTTP_SIGNATURE_INVALID`.
 */
export function assertSignatureValid(report: SignatureReport): ParsedCertificate {
  if (report.problems.length === 0 && report.certificate) return report.certificate
  const code = report.problems.some((p) => p.code === 'ERR_DCR_HTTP_SIGNATURE_VERIFICATION_FAILED')
    ? 'ERR_DCR_HTTP_SIGNATURE_VERIFICATION_FAILED'
    : 'ERR_DCR_HTTP_SIGNATURE_INVALID'
  const description = report.problems.map((p) => p.message).join('; ')
  throw new CheckError(code, 'HTTP signature', `HTTP signature: ${description}`)
}
