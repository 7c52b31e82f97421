import type { X509Certificate } from 'node:crypto'
import type { TLSSocket } from 'node:tls'
import { CheckError } from '../check-error.js'
import { parseCertificate } from './certificate.js'

/** Where a client certificate is read from. */
export type ClientCertificateSource =
  | { from: 'tls' }
  | {
      from: 'header'
      /** Header set by the trusted TLS-terminating proxy, e.g. `x-ssl-client-cert`. */
      name: string
      /** `pem-urlencoded` (nginx `$ssl_client_escaped_cert`), `der-base64`, or `xfcc` (Envoy `x-forwarded-client-cert`). */
      encoding: 'pem-urlencoded' | 'der-base64' | 'xfcc'
    }

/** A certificate as presented: the leaf's DER and any intermediates sent with it. */
export interface PresentedCertificate {
  der: Buffer
  chain: X509Certificate[]
}

const malformed = (name: string) =>
  new CheckError(
    'ERR_DCR_CERTIFICATE_MALFORMED',
    'client certificate',
    `the ${name} header does not hold a certificate in the expected encoding`,
  )

function fromTls(socket: Partial<TLSSocket>): PresentedCertificate | undefined {
  if (typeof socket.getPeerCertificate !== 'function') return undefined
  const peer = socket.getPeerCertificate(true)
  if (!peer?.raw || peer.raw.length === 0) return undefined
  const chain: X509Certificate[] = []
  let link = peer.issuerCertificate
  for (let i = 0; link?.raw && link !== link.issuerCertificate && i < 6; i++) {
    chain.push(parseCertificate(link.raw).x509)
    link = link.issuerCertificate
  }
  return { der: peer.raw, chain }
}

/** `decodeURIComponent`, with a malformed %-escape being the client's fault rather than a 500. */
function urlDecoded(value: string, name: string): string {
  try {
    return decodeURIComponent(value)
  } catch {
    throw malformed(name)
  }
}

/** The DER inside one PEM certificate, without parsing it (parsing happens once, in the cache). */
function pemToDer(pem: string, name: string): Buffer {
  const body = /-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\s]+)-----END CERTIFICATE-----/.exec(pem)?.[1]
  if (!body) throw malformed(name)
  return Buffer.from(body.replace(/\s/g, ''), 'base64')
}

/**
 * Envoy's x-forwarded-client-cert: elements separated by commas (one per proxy), each
 * `key=value` pairs separated by semicolons, values optionally double-quoted. The first element is
 * the edge proxy's, which saw the client; its `Cert` is the URL-encoded PEM.
 */
function fromXfcc(value: string, name: string): PresentedCertificate {
  const first = value.match(/^(?:[^,"]|"[^"]*")*/)?.[0] ?? ''
  const pairs = new Map<string, string>()
  for (const part of first.match(/(?:[^;"]|"[^"]*")+/g) ?? []) {
    const eq = part.indexOf('=')
    if (eq <= 0) continue
    pairs.set(
      part.slice(0, eq).trim().toLowerCase(),
      part
        .slice(eq + 1)
        .trim()
        .replace(/^"|"$/g, ''),
    )
  }
  const cert = pairs.get('cert')
  if (!cert) throw malformed(name)
  const chain = pairs.get('chain')
  const intermediates = chain
    ? (urlDecoded(chain, name).match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [])
    : []
  return {
    der: pemToDer(urlDecoded(cert, name), name),
    chain: intermediates.slice(1).map((pem) => parseCertificate(pemToDer(pem, name)).x509),
  }
}

function fromHeader(value: string, source: Extract<ClientCertificateSource, { from: 'header' }>): PresentedCertificate {
  if (value.length > 16_384) throw malformed(source.name)
  // A PEM or base64 certificate has no comma: one here is Node joining a repeated header, and which
  // copy the proxy meant cannot be told, so neither is taken.
  if (source.encoding !== 'xfcc' && value.includes(',')) {
    throw new CheckError(
      'ERR_DCR_CERTIFICATE_MALFORMED',
      'client certificate',
      `the ${source.name} header must appear once, with one certificate`,
    )
  }
  switch (source.encoding) {
    case 'pem-urlencoded':
      return { der: pemToDer(urlDecoded(value, source.name), source.name), chain: [] }
    case 'der-base64':
      if (!/^[A-Za-z0-9+/=\s]+$/.test(value)) throw malformed(source.name)
      return {
        der: pemToDer(
          `-----BEGIN CERTIFICATE-----\n${value.replace(/\s/g, '')}\n-----END CERTIFICATE-----`,
          source.name,
        ),
        chain: [],
      }
    default:
      return fromXfcc(value, source.name)
  }
}

/** The first certificate the sources yield for this request, or undefined. */
export function readPresentedCertificate(
  sources: readonly ClientCertificateSource[],
  socket: unknown,
  header: (name: string) => string | undefined,
): PresentedCertificate | undefined {
  for (const source of sources) {
    if (source.from === 'tls') {
      const presented = fromTls(socket as Partial<TLSSocket>)
      if (presented) return presented
      continue
    }
    const value = header(source.name)
    if (value !== undefined && value !== '') return fromHeader(value, source)
  }
  return undefined
}
