import { CheckError } from '../check-error.js'
import { certificateOrganisation } from '../client-auth/certificate-organisation.js'
import { type ParsedCertificate, parseCertificate } from './certificate.js'
import { formatDistinguishedName, parseDistinguishedName, sameDistinguishedName } from './distinguished-name.js'

/** The QSEAL from its header: PEM (URL-encoded or not) or base64 DER; unreadable is `ERR_DCR_CERTIFICATE_MALFORMED`. */
export function readQsealCertificate(value: string, header: string): ParsedCertificate {
  let text = value
  try {
    if (value.includes('%')) text = decodeURIComponent(value)
  } catch (cause) {
    throw new CheckError(
      'ERR_DCR_CERTIFICATE_MALFORMED',
      'QSEAL certificate',
      `QSEAL: the ${header} header is not valid percent-encoding`,
      { cause },
    )
  }
  const der = text.includes('BEGIN CERTIFICATE')
    ? Buffer.from(text.replace(/-----[A-Z ]+-----|\s/g, ''), 'base64')
    : Buffer.from(text.replace(/\s/g, ''), 'base64')
  return parseCertificate(der, 'QSEAL certificate')
}

/** `SN=<hex>,CA=<issuer DN>` → serial (lowercase, no leading zeros) and issuer DN text. */
function readKeyId(keyId: string): { serial: string; issuer: string } | undefined {
  const match = /^SN=([0-9A-Fa-f]+),CA=(.+)$/.exec(keyId.trim())
  return match?.[1] && match[2]
    ? { serial: match[1].toLowerCase().replace(/^0+(?=.)/, ''), issuer: match[2] }
    : undefined
}

function sameIssuer(text: string, issuer: ParsedCertificate['issuer']): boolean {
  try {
    return sameDistinguishedName(parseDistinguishedName(text), issuer, { anyOrder: true })
  } catch {
    return false
  }
}

/** What the keyId problems are: unreadable (the request's), or naming another certificate than the QSEAL. */
export interface KeyIdProblems {
  malformed?: string
  mismatches: string[]
}

/** Checks that `keyId` (`SN=<hex serial>,CA=<issuer DN>`) names the QSEAL: its serial and its issuer. */
export function keyIdProblems(keyId: string, certificate: ParsedCertificate): KeyIdProblems {
  const parsed = readKeyId(keyId)
  if (!parsed) return { malformed: `keyId "${keyId}" is not SN=<hex serial>,CA=<issuer DN>`, mismatches: [] }
  const serial = certificate.serialNumber.replace(/^0+(?=.)/, '')
  const mismatches: string[] = []
  if (parsed.serial !== serial)
    mismatches.push(`keyId serial ${parsed.serial} does not match the certificate's ${serial}`)
  if (!sameIssuer(parsed.issuer, certificate.issuer)) {
    mismatches.push(
      `keyId CA "${parsed.issuer}" does not match the certificate's issuer "${formatDistinguishedName(certificate.issuer)}"`,
    )
  }
  return { mismatches }
}

/**
 * The QSEAL and the TLS certificate must belong to one organisation (the one rule of
 * {@link certificateOrganisation}): the problem, or undefined. A certificate naming no
 * organisation matches none.
 */
export function organisationProblem(qseal: ParsedCertificate, tls: ParsedCertificate): string | undefined {
  const sealOwner = certificateOrganisation(qseal.subject)?.id
  const tlsOwner = certificateOrganisation(tls.subject)?.id
  if (sealOwner !== undefined && sealOwner === tlsOwner) return undefined
  const owner = (id: string | undefined) => (id === undefined ? 'no organisation' : `"${id}"`)
  return `the QSEAL belongs to ${owner(sealOwner)}, the TLS certificate to ${owner(tlsOwner)}`
}
