import type { Logger } from '../logger.js'
import { createTrustStore, type TrustStore } from '../verify/certificate-chain.js'
import type { ClientCertificateSource } from '../verify/certificate-source.js'
import { fail } from './checks.js'
import { optionDefaults } from './defaults.js'

/** Mutual TLS: where the client certificate comes from and what it must chain to. */
export interface ClientCertificateOptions {
  /** Tried in order; the first that yields a certificate wins. Default `[{ from: 'tls' }]`. */
  sources?: ClientCertificateSource[]
  /** PEM roots client certificates must chain to (the OB directory's or QTSPs' CAs). Required. */
  trustAnchors: string[]
  /** PEM intermediates for chain building, besides those the client sends. Default none. */
  intermediates?: string[]
  /** Refuse DCR calls without a certificate (401 invalid_client). Default true. */
  required?: boolean
  /** ob-uk: the certificate must belong to the software statement's organisation (and software). Default true. */
  bindToSoftwareStatement?: boolean
  /** tls_client_auth: the registered DN may list the certificate's RDNs in the other order. Default false. */
  dnAnyOrder?: boolean
}

/** Client certificate settings after validation, with the trust store parsed. */
export interface ResolvedCertificates {
  sources: ClientCertificateSource[]
  trust: TrustStore
  required: boolean
  bind: boolean
  dnAnyOrder: boolean
}

const encodings = ['pem-urlencoded', 'der-base64', 'xfcc']

function checkSources(sources: ClientCertificateSource[]): void {
  if (!Array.isArray(sources) || sources.length === 0) fail('clientCertificates.sources', 'must be a non-empty array')
  sources.forEach((source, index) => {
    const at = `clientCertificates.sources[${index}]`
    if (source?.from === 'tls') return
    if (source?.from !== 'header') fail(at, "must be { from: 'tls' } or { from: 'header', name, encoding }")
    const header = source as Extract<ClientCertificateSource, { from: 'header' }>
    if (typeof header.name !== 'string' || !/^[A-Za-z0-9-]+$/.test(header.name))
      fail(`${at}.name`, 'must be a header name')
    if (!encodings.includes(header.encoding)) fail(`${at}.encoding`, 'must be pem-urlencoded, der-base64 or xfcc')
  })
}

/**
 * Validates `clientCertificates` and parses its trust anchors. Absent: certificates are not checked
 * here, which is said once at startup (the bank's TLS terminator must enforce mutual TLS).
 */
export function resolveClientCertificates(
  options: ClientCertificateOptions | undefined,
  logger: Logger,
): ResolvedCertificates | undefined {
  if (options === undefined) {
    logger.warn(
      {},
      'client certificates are not checked by open-dcr: make sure your TLS terminator enforces mutual TLS',
    )
    return undefined
  }
  const defaults = optionDefaults.clientCertificates
  if (!Array.isArray(options.trustAnchors) || options.trustAnchors.length === 0) {
    fail('clientCertificates.trustAnchors', 'must list at least one PEM root certificate')
  }
  const sources = options.sources ?? [...defaults.sources]
  checkSources(sources)
  return {
    sources,
    trust: createTrustStore(
      options.trustAnchors,
      options.intermediates ?? [...defaults.intermediates],
      'clientCertificates',
    ),
    required: options.required ?? defaults.required,
    bind: options.bindToSoftwareStatement ?? defaults.bindToSoftwareStatement,
    dnAnyOrder: options.dnAnyOrder ?? defaults.dnAnyOrder,
  }
}
