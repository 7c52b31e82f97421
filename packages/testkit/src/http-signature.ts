import { constants, createHash, createPrivateKey, sign } from 'node:crypto'
import forge from 'node-forge'
import { rfc4514 } from './ca.js'

/** What {@link signHttpRequest} signs. */
export interface HttpSignOptions {
  method: string
  /** Path and query as sent, e.g. `/client/v1/register`. */
  path: string
  body?: string | Buffer
  /** Other request headers (lowercase names) that may be listed in `signedHeaders`. */
  headers?: Record<string, string>
  /** The QSEAL's private key and certificate (PEM). */
  keyPem: string
  certPem: string
  /** `rsa-sha256` (default) or `hs2019` (RSASSA-PSS with SHA-256 for RSA keys). */
  algorithm?: 'rsa-sha256' | 'hs2019'
  /** Default `(request-target) date digest`. `(created)` and `(expires)` need `hs2019` (draft-cavage-12 §2.3). */
  signedHeaders?: string[]
  /** Epoch ms for `Date` and the `created` parameter. Default now. */
  now?: number
  /** Seconds from `now` to the `expires` parameter, when `(expires)` is signed. Default 300. */
  expiresIn?: number
  /** `base64` (RFC 3230, default) or bare `hex` (one bank's variant). */
  digestEncoding?: 'base64' | 'hex'
}

/** The headers to add to the request, and the signing string they were made from. */
export interface SignedHeaders {
  headers: { date: string; digest: string; signature: string; 'tpp-signature-certificate': string }
  signingString: string
}

/**
 * Signs a request as eIDAS banks expect (draft-cavage-http-signatures-12): `Date`, `Digest`
 * (SHA-256 of the body), `Signature` with keyId `SN=<serial hex>,CA=<issuer DN>`, and the QSEAL in
 * `TPP-Signature-Certificate` (base64 DER).
 *
 * @example
 * const { headers } = signHttpRequest({ method: 'POST', path: '/client/v1/register', body, keyPem, certPem })
 */
export function signHttpRequest(options: HttpSignOptions): SignedHeaders {
  const body = Buffer.from(options.body ?? '')
  const hash = createHash('sha256').update(body).digest()
  const digest = options.digestEncoding === 'hex' ? hash.toString('hex') : `SHA-256=${hash.toString('base64')}`
  const at = options.now ?? Date.now()
  const date = new Date(at).toUTCString()
  const algorithm = options.algorithm ?? 'rsa-sha256'
  const listed = options.signedHeaders ?? ['(request-target)', 'date', 'digest']
  const created = Math.floor(at / 1000)
  const times = {
    '(created)': listed.includes('(created)') ? created : undefined,
    '(expires)': listed.includes('(expires)') ? created + (options.expiresIn ?? 300) : undefined,
  }
  if (algorithm !== 'hs2019' && (times['(created)'] ?? times['(expires)']) !== undefined) {
    throw new Error('(created) and (expires) may only be signed with hs2019 (draft-cavage-12 §2.3)')
  }
  const all: Record<string, string> = { ...options.headers, date, digest }
  const signingString = listed
    .map((name) => {
      if (name === '(request-target)') return `(request-target): ${options.method.toLowerCase()} ${options.path}`
      if (name === '(created)' || name === '(expires)') return `${name}: ${times[name]}`
      return `${name}: ${all[name] ?? ''}`
    })
    .join('\n')
  const key = createPrivateKey(options.keyPem)
  const signature = sign('sha256', Buffer.from(signingString), {
    key,
    padding: algorithm === 'hs2019' ? constants.RSA_PKCS1_PSS_PADDING : constants.RSA_PKCS1_PADDING,
    ...(algorithm === 'hs2019' ? { saltLength: 32 } : {}),
  }).toString('base64')
  const cert = forge.pki.certificateFromPem(options.certPem)
  const keyId = `SN=${cert.serialNumber.toUpperCase()},CA=${rfc4514(cert.issuer.attributes)}`
  return {
    headers: {
      date,
      digest,
      signature: [
        `keyId="${keyId}"`,
        `algorithm="${algorithm}"`,
        ...(times['(created)'] === undefined ? [] : [`created=${times['(created)']}`]),
        ...(times['(expires)'] === undefined ? [] : [`expires=${times['(expires)']}`]),
        `headers="${listed.join(' ')}"`,
        `signature="${signature}"`,
      ].join(','),
      'tpp-signature-certificate': options.certPem.replace(/-----[A-Z ]+-----|\s/g, ''),
    },
    signingString,
  }
}
