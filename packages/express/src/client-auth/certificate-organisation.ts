import type { DistinguishedName } from '../verify/distinguished-name.js'
import { attributeTypes, attributeValue } from '../verify/distinguished-name.js'

/** The organisation a certificate is issued to, as its subject names it. */
export interface CertificateOrganisation {
  /** The eIDAS organizationIdentifier (`PSDGB-FCA-123456`), else the OB transport certificate's OU (the org id). */
  id: string
  /** The subject attribute `id` was read from: an OB transport certificate names its software in CN as well. */
  from: 'organizationIdentifier' | 'organizationalUnit'
  /** For an eIDAS identifier `PSD<cc>-<authority>-<id>`, the registration at the competent authority (`123456`). */
  registrationId?: string
}

/** Who a client, software statement or certificate is expected to belong to. */
export interface OrganisationOwner {
  /** The directory's organisation id (the SSA's `org_id`, or a client's stored `orgId`). */
  orgId?: string | undefined
  /** The competent authority's registration id (the SSA's `organisation_competent_authority_claims.registration_id`). */
  registrationId?: string | undefined
}

const eidasRegistration = /^PSD[A-Z]{2}-[A-Z]{2,8}-(.+)$/

/**
 * The one rule for "which organisation owns this certificate": a QWAC, QSEAL or OBWAC names it in
 * organizationIdentifier (ETSI EN 319 412-1 §5.1.4), an OB transport certificate in OU (its CN is the
 * software id). organizationIdentifier wins when both are present.
 *
 * @example
 * certificateOrganisation(certificate.subject) // { id: 'PSDGB-FCA-123456', from: 'organizationIdentifier', registrationId: '123456' }
 */
export function certificateOrganisation(subject: DistinguishedName): CertificateOrganisation | undefined {
  const identifier = attributeValue(subject, attributeTypes.organizationIdentifier)
  if (identifier !== undefined && identifier !== '') {
    const registrationId = eidasRegistration.exec(identifier)?.[1]
    const organisation = { id: identifier, from: 'organizationIdentifier' } as const
    return registrationId === undefined ? organisation : { ...organisation, registrationId }
  }
  const unit = attributeValue(subject, attributeTypes.organizationalUnit)
  return unit !== undefined && unit !== '' ? { id: unit, from: 'organizationalUnit' } : undefined
}

/** Whether the certificate's organisation is `owner`: by org id, or by the competent authority's registration id. */
export function isOrganisation(organisation: CertificateOrganisation | undefined, owner: OrganisationOwner): boolean {
  if (!organisation) return false
  if (owner.orgId !== undefined && organisation.id === owner.orgId) return true
  return organisation.registrationId !== undefined && organisation.registrationId === owner.registrationId
}
