import { constants, createHash, sign, X509Certificate } from 'node:crypto'
import { post, signed } from './requests.js'
import { certificateHeader, type Scene } from './scene.js'

/** How to sign (or mis-sign) a registration request, draft-cavage-12; every member has a good default. */
export interface SignatureSpec {
  /** `algorithm` parameter. Default `rsa-sha256`; `hs2019` signs with RSASSA-PSS. */
  algorithm?: string
  /** Covered headers in order. Default `(request-target) date digest`. */
  headers?: string[]
  created?: number
  expires?: number
  /** The Date header. Default the bank's now; `null` leaves it out. */
  date?: string | null
  /** The Digest header, given the body's SHA-256 in base64. Default `SHA-256=<base64>`; `null` leaves it out. */
  digest?: ((base64: string) => string) | null
  /** `keyId`. Default `SN=<serial>,CA=<issuer DN>` of the seal certificate. */
  keyId?: string
  /** The key that signs and the certificate sent. Default the kit's QSEAL. */
  seal?: { keyPem: string; certPem: string }
  /** The TPP-Signature-Certificate value. Default the seal certificate as base64 DER; `null` leaves it out. */
  certificate?: string | null
  /** Rewrites the Signature header's value as built. */
  rewrite?: (signature: string) => string
  /** Other request headers (signed when listed in `headers`). */
  extra?: Record<string, string | string[]>
  /** Sends another body than the one signed. */
  tamper?: (body: string) => string
}

const keyIdOf = (certPem: string) => {
  const cert = new X509Certificate(certPem)
  return `SN=${cert.serialNumber},CA=${cert.issuer.split('\n').reverse().join(',')}`
}

/** `POST /bank/register` with the kit's transport certificate and an HTTP signature made to `spec`. */
export async function signedRegistration(scene: Scene, spec: SignatureSpec = {}) {
  const { kit } = scene
  const body = await signed(scene)
  const seal = spec.seal ?? kit.seal
  const algorithm = spec.algorithm ?? 'rsa-sha256'
  const covered = spec.headers ?? ['(request-target)', 'date', 'digest']
  const base64 = createHash('sha256').update(body).digest('base64')
  const headers: Record<string, string | string[]> = { ...spec.extra }
  if (spec.date !== null) headers.date = spec.date ?? new Date(scene.bank.clock.now).toUTCString()
  if (spec.digest !== null) headers.digest = (spec.digest ?? ((b: string) => `SHA-256=${b}`))(base64)
  const line = (name: string) => {
    if (name === '(request-target)') return `${name}: post /bank/register`
    if (name === '(created)') return `${name}: ${spec.created}`
    if (name === '(expires)') return `${name}: ${spec.expires}`
    const value = headers[name]
    return `${name}: ${Array.isArray(value) ? value.join(', ') : (value ?? '')}`
  }
  const signature = sign('sha256', Buffer.from(covered.map(line).join('\n')), {
    key: seal.keyPem,
    padding: algorithm === 'hs2019' ? constants.RSA_PKCS1_PSS_PADDING : constants.RSA_PKCS1_PADDING,
    saltLength: 32,
  }).toString('base64')
  const parameters = [
    `keyId="${spec.keyId ?? keyIdOf(seal.certPem)}"`,
    `algorithm="${algorithm}"`,
    ...(spec.created === undefined ? [] : [`created=${spec.created}`]),
    ...(spec.expires === undefined ? [] : [`expires=${spec.expires}`]),
    `headers="${covered.join(' ')}"`,
    `signature="${signature}"`,
  ].join(',')
  const req = post(scene, spec.tamper ? spec.tamper(body) : body).set(
    certificateHeader,
    encodeURIComponent(kit.transport.certPem),
  )
  // superagent sends an array value as one header line per item; its types do not say so.
  for (const [name, value] of Object.entries(headers)) req.set(name, value as string)
  req.set('signature', spec.rewrite ? spec.rewrite(parameters) : parameters)
  const certificate =
    spec.certificate === undefined ? new X509Certificate(seal.certPem).raw.toString('base64') : spec.certificate
  if (certificate !== null) req.set('tpp-signature-certificate', certificate)
  return req
}

/** A case's request: a registration signed to `spec` (computed from the scene when a function). */
export const signing =
  (spec: SignatureSpec | ((scene: Scene) => SignatureSpec) = {}) =>
  (scene: Scene) =>
    signedRegistration(scene, typeof spec === 'function' ? spec(scene) : spec)
