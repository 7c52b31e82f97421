import type { TLSSocket } from 'node:tls'
import {
  type ClientCertificateSource,
  certificateFromRequest,
  type ParsedCertificate,
  parseCertificate,
  type TrustStore,
  verifyClientCertificate,
} from '@open-dcr/express'
import type { Request, RequestHandler } from 'express'

/** The header that carries a URL-encoded PEM client certificate on the plain listener. */
export const clientCertificateHeader = 'x-client-certificate'

/**
 * Where every sandbox endpoint reads a client certificate: the TLS handshake on the HTTPS listener;
 * on the plain listener `X-Client-Certificate`, as a bank behind a TLS-terminating proxy would.
 */
export const clientCertificateSources: readonly ClientCertificateSource[] = [
  { from: 'tls' },
  { from: 'header', name: clientCertificateHeader, encoding: 'pem-urlencoded' },
]

/**
 * On the HTTPS listener only the TLS handshake's certificate counts: the header is dropped before any
 * route sees it, so it stands in for a TLS-terminating proxy on the plain listener only.
 */
export const dropCertificateHeaderOnTls: RequestHandler = (req, _res, next) => {
  if ((req.socket as TLSSocket).encrypted) delete req.headers[clientCertificateHeader]
  next()
}

/** A presented client certificate, and whether it chains to the sandbox's trusted CAs (and is valid now). */
export interface PresentedClientCertificate {
  certificate: ParsedCertificate
  trusted: boolean
}

/** The request's client certificate, checked against `trust` with the middleware's rules; undefined when none. */
export function presentedClientCertificate(
  req: Request,
  trust: TrustStore,
  now: () => number,
): PresentedClientCertificate | undefined {
  const presented = certificateFromRequest(req, clientCertificateSources)
  if (!presented) return undefined
  try {
    return { certificate: verifyClientCertificate(presented, trust, now), trusted: true }
  } catch {
    return { certificate: parseCertificate(presented.der), trusted: false }
  }
}
