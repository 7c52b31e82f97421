import { X509Certificate } from 'node:crypto'
import { CheckError, type CheckSubject } from '../check-error.js'
import type { ParsedCertificate } from './certificate.js'

/** Roots and intermediates, parsed once at startup. */
export interface TrustStore {
  anchors: X509Certificate[]
  intermediates: X509Certificate[]
}

/** Parses PEM trust anchors and intermediates (at startup; a bad one is a TypeError naming the option). */
export function createTrustStore(
  anchors: readonly string[],
  intermediates: readonly string[],
  option: string,
): TrustStore {
  const parse = (pem: string, index: number, name: string) => {
    try {
      return new X509Certificate(pem)
    } catch {
      throw new TypeError(`open-dcr: option "${option}.${name}[${index}]" is not a PEM certificate`)
    }
  }
  return {
    anchors: anchors.map((pem, i) => parse(pem, i, 'trustAnchors')),
    intermediates: intermediates.map((pem, i) => parse(pem, i, 'intermediates')),
  }
}

const clientAuth = '1.3.6.1.5.5.7.3.2'
const maxDepth = 6

/** The usage a certificate is checked for: TLS client authentication, or signing (a QSEAL). */
export type CertificateUsage = 'clientAuth' | 'signing'

/** What a certificate of each usage is called in errors: a QSEAL is not the client certificate. */
const subjects: Readonly<Record<CertificateUsage, CheckSubject>> = {
  clientAuth: 'client certificate',
  signing: 'QSEAL certificate',
}

const untrusted = (usage: CertificateUsage, why: string) =>
  new CheckError('ERR_DCR_CERTIFICATE_UNTRUSTED', subjects[usage], `the ${subjects[usage]} ${why}`)

function checkDates(cert: X509Certificate, now: number, what: string, usage: CertificateUsage): void {
  if (now < Date.parse(cert.validFrom)) throw untrusted(usage, `${what} is not valid before ${cert.validFrom}`)
  if (now > Date.parse(cert.validTo)) throw untrusted(usage, `${what} expired on ${cert.validTo}`)
}

/** Whether `cert` was issued and signed by `issuer`, a CA. */
const issuedBy = (cert: X509Certificate, issuer: X509Certificate) =>
  issuer.ca && cert.checkIssued(issuer) && cert.verify(issuer.publicKey)

/** A chain that verified: the window in which every certificate on it is valid, epoch ms. */
interface VerifiedChain {
  from: number
  until: number
}

/** Most verified chains remembered per trust store; the least recently used is dropped. */
const maxCachedChains = 1000

/**
 * Chains that verified, per trust store (its anchors and intermediates are fixed at startup), by
 * leaf, presented intermediates and usage. Signature checks are the costly part of a chain check
 * and their result cannot change while every certificate on the chain is within its validity.
 */
const verifiedChains = new WeakMap<TrustStore, Map<string, VerifiedChain>>()

/**
 * Checks that the certificate chains to a trust anchor (through the configured intermediates and
 * those the client sent), that every certificate on the way is valid at `now`, and, when
 * `usage` is given, that the leaf's extended key usage allows it; a CA certificate is never a leaf.
 * Throws `ERR_DCR_CERTIFICATE_UNTRUSTED` naming the problem (expired, not yet valid, untrusted
 * issuer, wrong usage) and the certificate by its usage: the client certificate, or the QSEAL. A chain that verified is remembered until the first of its certificates expires.
 */
export function verifyCertificateChain(
  leaf: ParsedCertificate,
  trust: TrustStore,
  presented: readonly X509Certificate[],
  now: number,
  usage: CertificateUsage,
): void {
  let cache = verifiedChains.get(trust)
  if (!cache) {
    cache = new Map()
    verifiedChains.set(trust, cache)
  }
  const key = [usage, leaf.x509.fingerprint256, ...presented.map((cert) => cert.fingerprint256)].join('|')
  const known = cache.get(key)
  if (known && now >= known.from && now <= known.until) {
    cache.delete(key)
    cache.set(key, known)
    return
  }
  const chain = buildChain(leaf, trust, presented, now, usage)
  cache.set(key, {
    from: Math.max(...chain.map((cert) => Date.parse(cert.validFrom))),
    until: Math.min(...chain.map((cert) => Date.parse(cert.validTo))),
  })
  if (cache.size > maxCachedChains) {
    const oldest = cache.keys().next().value
    if (oldest !== undefined) cache.delete(oldest)
  }
}

/** The chain from the leaf to its trust anchor, each link checked; throws naming the first problem. */
function buildChain(
  leaf: ParsedCertificate,
  trust: TrustStore,
  presented: readonly X509Certificate[],
  now: number,
  usage: CertificateUsage,
): X509Certificate[] {
  checkDates(leaf.x509, now, 'has a validity period that', usage)
  const eku = leaf.x509.keyUsage
  if (usage === 'clientAuth' && eku && eku.length > 0 && !eku.includes(clientAuth)) {
    throw untrusted(usage, 'is not for TLS client authentication (extended key usage)')
  }
  const candidates = [...presented, ...trust.intermediates]
  const chain = [leaf.x509]
  let current = leaf.x509
  for (let depth = 0; depth < maxDepth; depth++) {
    const anchor = trust.anchors.find(
      (root) => root.fingerprint256 === current.fingerprint256 || issuedBy(current, root),
    )
    if (anchor) {
      checkDates(anchor, now, `issuer ${anchor.subject.replace(/\n/g, ', ')}`, usage)
      // CA certificates are public: taken as a leaf, anyone could present a trust anchor itself.
      if (leaf.x509.ca)
        throw untrusted(usage, 'is a CA certificate (basicConstraints CA:TRUE), not an end-entity certificate')
      return [...chain, anchor]
    }
    const next = candidates.find(
      (candidate) => candidate.fingerprint256 !== current.fingerprint256 && issuedBy(current, candidate),
    )
    if (!next) {
      throw untrusted(usage, `is not issued by a trusted CA (issuer: ${current.issuer.replace(/\n/g, ', ')})`)
    }
    checkDates(next, now, `intermediate ${next.subject.replace(/\n/g, ', ')}`, usage)
    chain.push(next)
    current = next
  }
  throw untrusted(usage, 'chain is too long')
}
