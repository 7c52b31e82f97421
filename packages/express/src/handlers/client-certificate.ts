import type { RequestHandler } from 'express'
import { DcrError } from '../errors.js'
import type { Config } from '../options.js'
import { printable } from '../printable.js'
import { parseCertificate } from '../verify/certificate.js'
import { verifyCertificateChain } from '../verify/certificate-chain.js'
import { readPresentedCertificate } from '../verify/certificate-source.js'
import {
  attributeTypes,
  attributeValue,
  formatDistinguishedName,
  parseDistinguishedName,
  sameDistinguishedName,
} from '../verify/distinguished-name.js'
import { context, required } from './context.js'

/**
 * Reads the client certificate from the configured sources, parses it (cached by fingerprint) and
 * checks its chain, dates and usage: 401 `invalid_client` when it is missing but required, or invalid.
 */
export const readClientCertificate =
  (config: Config): RequestHandler =>
  (req, res, next) => {
    const settings = config.certificates
    if (!settings) {
      next()
      return
    }
    const presented = readPresentedCertificate(settings.sources, req.socket, (name) => req.get(name))
    if (!presented) {
      if (settings.required) throw new DcrError('invalid_client', 'a client certificate is required (mutual TLS)')
      next()
      return
    }
    const certificate = parseCertificate(presented.der)
    verifyCertificateChain(certificate, settings.trust, presented.chain, config.now(), 'clientAuth')
    context(res).certificate = certificate
    next()
  }

/** The organisation id inside an eIDAS organizationIdentifier such as `PSDGB-FCA-123456` (here `123456`). */
const eidasRegistration = (identifier: string) => /^PSD[A-Z]{2}-[A-Z]{2,8}-(.+)$/.exec(identifier)?.[1]

/**
 * ob-uk: the certificate must belong to the software statement's organisation: an OB transport
 * certificate names it in OU (and the software in CN), an eIDAS certificate in organizationIdentifier
 * (the registration id of the SSA's competent authority claims, or the org id).
 */
export const bindCertificateToSoftware =
  (config: Config): RequestHandler =>
  (_req, res, next) => {
    const certificate = context(res).certificate
    const statement = required(res, 'input').statement?.claims
    if (!certificate || !statement || !config.certificates?.bind) {
      next()
      return
    }
    const ou = attributeValue(certificate.subject, attributeTypes.organizationalUnit)
    const cn = attributeValue(certificate.subject, attributeTypes.commonName)
    const identifier = attributeValue(certificate.subject, attributeTypes.organizationIdentifier)
    const authority = statement.organisation_competent_authority_claims as { registration_id?: unknown } | undefined
    const byOu = ou !== undefined && ou === statement.org_id
    const byIdentifier =
      identifier !== undefined &&
      (identifier === statement.org_id ||
        (eidasRegistration(identifier) !== undefined && eidasRegistration(identifier) === authority?.registration_id))
    const softwareOk = !byOu || cn === undefined || cn === statement.software_id
    if ((byOu || byIdentifier) && softwareOk) {
      next()
      return
    }
    throw new DcrError(
      'invalid_client_metadata',
      `the client certificate (${formatDistinguishedName(certificate.subject)}) does not belong to the software statement's ` +
        `organisation "${printable(statement.org_id)}" and software "${statement.software_id}"`,
    )
  }

/** tls_client_auth: the registered subject DN must be the certificate's, by RFC 4514 comparison. */
export const matchSubjectDn =
  (config: Config): RequestHandler =>
  (_req, res, next) => {
    const certificate = context(res).certificate
    const metadata = required(res, 'metadata')
    if (!certificate || metadata.token_endpoint_auth_method !== 'tls_client_auth') {
      next()
      return
    }
    const registered = parseDistinguishedName(String(metadata.tls_client_auth_subject_dn))
    if (
      !sameDistinguishedName(registered, certificate.subject, { anyOrder: config.certificates?.dnAnyOrder ?? false })
    ) {
      throw new DcrError(
        'invalid_client_metadata',
        `tls_client_auth_subject_dn "${formatDistinguishedName(registered)}" does not match the client certificate subject ` +
          `"${formatDistinguishedName(certificate.subject)}"`,
      )
    }
    next()
  }
