import { createTrustStore } from '../verify/certificate-chain.js'
import type { HttpSignatureSettings } from '../verify/http-signature.js'
import { fail, seconds } from './checks.js'
import { optionDefaults } from './defaults.js'

/** HTTP message signatures (draft-cavage-12, eIDAS QSEAL) on state-changing calls. */
export interface HttpSignatureOptions {
  /** Methods that must be signed. Default `['POST', 'PUT', 'DELETE']`. */
  methods?: string[]
  /** Headers the signature must cover. Default `['(request-target)', 'date', 'digest']`. */
  requiredHeaders?: string[]
  /** Largest accepted difference between `Date` and now, seconds. Default 300. */
  maxSkew?: number
  /** Also accept a bare hex SHA-256 `Digest` (one bank's variant). Default false. */
  allowHexDigest?: boolean
  /** PEM roots of the QTSPs whose QSEALs are trusted. Required. */
  trustAnchors: string[]
  /** PEM intermediates for chain building. Default none. */
  intermediates?: string[]
  /** Header carrying the QSEAL. Default `tpp-signature-certificate`. */
  certificateHeader?: string
}

/** HTTP signature settings after validation: what to verify, and on which methods. */
export type ResolvedSignatures = HttpSignatureSettings & { methods: string[] }

/** Validates `httpSignatures` and parses its trust anchors; absent means signatures are not required. */
export function resolveHttpSignatures(options: HttpSignatureOptions | undefined): ResolvedSignatures | undefined {
  if (options === undefined) return undefined
  const defaults = optionDefaults.httpSignatures
  if (!Array.isArray(options.trustAnchors) || options.trustAnchors.length === 0) {
    fail('httpSignatures.trustAnchors', 'must list at least one PEM root certificate (your trusted QTSPs)')
  }
  const requiredHeaders = (options.requiredHeaders ?? defaults.requiredHeaders).map((h) => h.toLowerCase())
  if (requiredHeaders.length === 0) fail('httpSignatures.requiredHeaders', 'must name at least one header')
  return {
    methods: (options.methods ?? defaults.methods).map((m) => m.toUpperCase()),
    requiredHeaders,
    maxSkew: seconds('httpSignatures.maxSkew', options.maxSkew, defaults.maxSkew),
    allowHexDigest: options.allowHexDigest ?? defaults.allowHexDigest,
    trust: createTrustStore(
      options.trustAnchors,
      options.intermediates ?? [...defaults.intermediates],
      'httpSignatures',
    ),
    certificateHeader: (options.certificateHeader ?? defaults.certificateHeader).toLowerCase(),
  }
}
