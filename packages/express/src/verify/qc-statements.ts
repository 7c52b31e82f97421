import forge from 'node-forge'
import { CheckError } from '../check-error.js'
import type { ParsedCertificate } from './certificate.js'
import { attributeTypes, attributeValue } from './distinguished-name.js'

/** PSD2 roles of a payment service provider (ETSI TS 119 495). */
export type PspRole = 'PSP_AS' | 'PSP_PI' | 'PSP_AI' | 'PSP_IC'

/** The PSD2 QC statement of an eIDAS certificate. */
export interface Psd2Statement {
  roles: PspRole[]
  /** Name of the national competent authority, e.g. "Financial Conduct Authority". */
  ncaName: string
  /** Its id, e.g. "GB-FCA". */
  ncaId: string
}

/** What an eIDAS certificate says about its holder. */
export interface EidasIdentity {
  /** e.g. `PSDGB-FCA-123456`. */
  organizationIdentifier: string
  psd2: Psd2Statement
}

const qcStatementsOid = '1.3.6.1.5.5.7.1.3'
const psd2StatementOid = '0.4.0.19495.2'
/** ETSI TS 119 495 role OIDs. */
export const pspRoleOids: Readonly<Record<PspRole, string>> = {
  PSP_AS: '0.4.0.19495.1.1',
  PSP_PI: '0.4.0.19495.1.2',
  PSP_AI: '0.4.0.19495.1.3',
  PSP_IC: '0.4.0.19495.1.4',
}
const roleByOid = new Map(Object.entries(pspRoleOids).map(([role, oid]) => [oid, role as PspRole]))

/** PSD2 roles → the OB scopes they allow: AI accounts, PI payments, IC fundsconfirmations. */
export const pspRoleScopes: Readonly<Record<string, readonly string[]>> = {
  PSP_AI: ['accounts'],
  PSP_PI: ['payments'],
  PSP_IC: ['fundsconfirmations'],
}

type Asn1 = forge.asn1.Asn1

const malformed = () =>
  new CheckError('ERR_DCR_CERTIFICATE_MALFORMED', 'client certificate', 'the certificate’s QC statements are malformed')
const children = (node: Asn1 | undefined): Asn1[] => (node && Array.isArray(node.value) ? (node.value as Asn1[]) : [])
const text = (node: Asn1 | undefined): string => {
  if (!node || typeof node.value !== 'string') throw malformed()
  return forge.util.decodeUtf8(node.value)
}
const oid = (node: Asn1 | undefined): string => {
  if (!node || node.type !== forge.asn1.Type.OID || typeof node.value !== 'string') throw malformed()
  return forge.asn1.derToOid(node.value)
}

function parsePsd2(info: Asn1 | undefined): Psd2Statement {
  const [roles, ncaName, ncaId] = children(info)
  const parsed = children(roles).map((role) => {
    const [roleOid] = children(role)
    const known = roleByOid.get(oid(roleOid))
    if (!known) throw malformed()
    return known
  })
  return { roles: parsed, ncaName: text(ncaName), ncaId: text(ncaId) }
}

/** The PSD2 QC statement (ETSI TS 119 495) of a certificate, or undefined when it has none. */
export function psd2Statement(certificate: ParsedCertificate): Psd2Statement | undefined {
  const extension = (certificate.forge.extensions as { id?: string; value?: unknown }[]).find(
    (e) => e.id === qcStatementsOid,
  )
  if (!extension) return undefined
  if (typeof extension.value !== 'string') throw malformed()
  let statements: Asn1
  try {
    statements = forge.asn1.fromDer(extension.value)
  } catch {
    throw malformed()
  }
  for (const statement of children(statements)) {
    const [id, info] = children(statement)
    if (oid(id) === psd2StatementOid) return parsePsd2(info)
  }
  return undefined
}

/** An eIDAS certificate's organizationIdentifier and PSD2 statement, or undefined when either is missing. */
export function eidasIdentity(certificate: ParsedCertificate): EidasIdentity | undefined {
  const organizationIdentifier = attributeValue(certificate.subject, attributeTypes.organizationIdentifier)
  const psd2 = psd2Statement(certificate)
  return organizationIdentifier && psd2 ? { organizationIdentifier, psd2 } : undefined
}
