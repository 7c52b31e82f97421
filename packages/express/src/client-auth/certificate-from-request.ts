import { createHash } from 'node:crypto'
import type { Request } from 'express'
import type { Clock } from '../stores/types.js'
import { type ParsedCertificate, parseCertificate } from '../verify/certificate.js'
import { type TrustStore, verifyCertificateChain } from '../verify/certificate-chain.js'
import {
  type ClientCertificateSource,
  type PresentedCertificate,
  readPresentedCertificate,
} from '../verify/certificate-source.js'

/**
 * The client certificate of this request, from the first of `sources` that holds one: the TLS
 * connection, or a header a trusted TLS-terminating proxy sets. Not parsed nor checked yet; a header
 * that holds no certificate in its encoding is a 401 `invalid_client`.
 *
 * @example
 * const presented = certificateFromRequest(req, [{ from: 'tls' }, { from: 'header', name: 'x-ssl-client-cert', encoding: 'pem-urlencoded' }])
 */
export function certificateFromRequest(
  req: Request,
  sources: readonly ClientCertificateSource[],
): PresentedCertificate | undefined {
  return readPresentedCertificate(sources, req.socket, (name) => req.get(name))
}

/**
 * Parses a presented certificate (cached by fingerprint) and checks that it chains to `trust`, is
 * within its dates at `now` and may authenticate a TLS client: 401 `invalid_client` otherwise.
 */
export function verifyClientCertificate(
  presented: PresentedCertificate,
  trust: TrustStore,
  now: Clock,
): ParsedCertificate {
  const certificate = parseCertificate(presented.der)
  verifyCertificateChain(certificate, trust, presented.chain, now(), 'clientAuth')
  return certificate
}

/** RFC 8705 thumbprint (`x5t#S256`) of the client certificate on this TLS connection, if any. */
export function presentedCertificateThumbprint(req: Request): string | undefined {
  const presented = readPresentedCertificate(tlsOnly, req.socket, () => undefined)
  return presented && createHash('sha256').update(presented.der).digest('base64url')
}

const tlsOnly: readonly ClientCertificateSource[] = [{ from: 'tls' }]
