import forge from 'node-forge'
import type { CertificateAuthority, IssuedCertificate, SubjectKey, Validity } from './ca.js'

/** PSD2 roles (ETSI TS 119 495). */
export type PspRole = 'PSP_AS' | 'PSP_PI' | 'PSP_AI' | 'PSP_IC'

const roleOids: Record<PspRole, string> = {
  PSP_AS: '0.4.0.19495.1.1',
  PSP_PI: '0.4.0.19495.1.2',
  PSP_AI: '0.4.0.19495.1.3',
  PSP_IC: '0.4.0.19495.1.4',
}

/** What goes into a QWAC or QSEAL. */
export interface EidasCertificateOptions extends Validity, SubjectKey {
  /** e.g. `PSDGB-FCA-123456`. */
  organizationIdentifier: string
  organizationName: string
  /** Default: the organisation name. */
  commonName?: string
  /** Two-letter country. Default GB. */
  country?: string
  /** Default: AI, PI, IC. */
  roles?: PspRole[]
  /** Default "Financial Conduct Authority". */
  ncaName?: string
  /** Default "GB-FCA". */
  ncaId?: string
}

const { asn1 } = forge
const seq = (items: forge.asn1.Asn1[]) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, items)
const oid = (value: string) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(value).getBytes())
const utf8 = (value: string) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.UTF8, false, forge.util.encodeUtf8(value))

/**
 * The QCStatements extension (1.3.6.1.5.5.7.1.3) of an eIDAS certificate: QcCompliance, QcType
 * (web for QWAC, eseal for QSEAL) and the PSD2 statement (roles, NCA name, NCA id).
 */
export function qcStatementsExtension(kind: 'qwac' | 'qseal', options: EidasCertificateOptions): object {
  const roles = options.roles ?? ['PSP_AI', 'PSP_PI', 'PSP_IC']
  const psd2 = seq([
    seq(roles.map((role) => seq([oid(roleOids[role]), utf8(role)]))),
    utf8(options.ncaName ?? 'Financial Conduct Authority'),
    utf8(options.ncaId ?? 'GB-FCA'),
  ])
  const statements = seq([
    seq([oid('0.4.0.1862.1.1')]),
    seq([oid('0.4.0.1862.1.6'), seq([oid(kind === 'qwac' ? '0.4.0.1862.1.6.3' : '0.4.0.1862.1.6.2')])]),
    seq([oid('0.4.0.19495.2'), psd2]),
  ])
  return { id: '1.3.6.1.5.5.7.1.3', critical: false, value: asn1.toDer(statements).getBytes() }
}

function subject(options: EidasCertificateOptions) {
  return [
    { shortName: 'C', value: options.country ?? 'GB' },
    { shortName: 'O', value: options.organizationName },
    { type: '2.5.4.97', value: options.organizationIdentifier },
    { shortName: 'CN', value: options.commonName ?? options.organizationName },
  ]
}

/**
 * A test QWAC: client TLS certificate with organizationIdentifier and the PSD2 QC statement.
 *
 * @example
 * const qwac = issueQwac(qtsp, { organizationIdentifier: 'PSDGB-FCA-123456', organizationName: 'TPP Ltd', roles: ['PSP_AI'] })
 */
export function issueQwac(qtsp: CertificateAuthority, options: EidasCertificateOptions): IssuedCertificate {
  return qtsp.issueCertificate({
    ...options,
    subject: subject(options),
    extKeyUsage: ['clientAuth', 'serverAuth'],
    keyUsage: ['digitalSignature', 'keyEncipherment'],
    extensions: [qcStatementsExtension('qwac', options)],
  })
}

/** A test QSEAL: the signing certificate for HTTP message signatures, same identity as the QWAC. */
export function issueQseal(qtsp: CertificateAuthority, options: EidasCertificateOptions): IssuedCertificate {
  return qtsp.issueCertificate({
    ...options,
    subject: subject(options),
    keyUsage: ['digitalSignature', 'nonRepudiation'],
    extensions: [qcStatementsExtension('qseal', options)],
  })
}
