import type { RequestHandler } from 'express'
import { certificateFromRequest, verifyClientCertificate } from '../client-auth/certificate-from-request.js'
import { certificateOrganisation, isOrganisation } from '../client-auth/certificate-organisation.js'
import { DcrError } from '../errors.js'
import type { Config } from '../options.js'
import { printable } from '../printable.js'
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
    const presented = certificateFromRequest(req, settings.sources)
    if (!presented) {
      if (settings.required) throw new DcrError('invalid_client', 'a client certificate is required (mutual TLS)')
      next()
      return
    }
    context(res).certificate = verifyClientCertificate(presented, settings.trust, config.now)
    next()
  }

/**
 * ob-uk: the certificate must belong to the software statement's organisation, by the one rule of
 * {@link certificateOrganisation} (the org id, or the registration id of the SSA's competent authority
 * claims); an OB transport certificate also names the software in CN.
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
    const authority = statement.organisation_competent_authority_claims as { registration_id?: unknown } | undefined
    const owner = {
      orgId: typeof statement.org_id === 'string' ? statement.org_id : undefined,
      registrationId: typeof authority?.registration_id === 'string' ? authority.registration_id : undefined,
    }
    const organisation = certificateOrganisation(certificate.subject)
    const cn = attributeValue(certificate.subject, attributeTypes.commonName)
    const softwareOk = organisation?.from !== 'organizationalUnit' || cn === undefined || cn === statement.software_id
    if (isOrganisation(organisation, owner) && softwareOk) {
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
