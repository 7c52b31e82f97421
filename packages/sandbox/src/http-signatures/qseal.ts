import { createPrivateKey, type KeyObject, X509Certificate } from 'node:crypto'
import type { KitRegistry } from '../kits.js'
import { sandboxError } from '../sandbox-error.js'
import type { SignatureRequest } from './signature-request.js'

/** The QSEAL a request is signed with: PEM key and certificate. */
export interface Qseal {
  keyPem: string
  certPem: string
}

const invalid = (description: string, cause?: unknown) =>
  sandboxError(400, 'invalid_request', description, cause === undefined ? undefined : { cause })

/** A kit's QSEAL by software id: 404 when there is no such kit. */
export async function kitQseal(kits: KitRegistry, softwareId: string): Promise<Qseal> {
  const kit = await kits.get(softwareId)
  if (!kit) throw sandboxError(404, 'not_found', 'no TPP kit with this software_id; create one with POST /sandbox/tpps')
  return { keyPem: kit.qseal.key_pem, certPem: kit.qseal.cert_pem }
}

/** A caller's own key and certificate, checked: PEM, RSA (what the utility signs with), and a pair. */
function ownQseal(keyPem: string, certPem: string): Qseal {
  let key: KeyObject
  try {
    key = createPrivateKey(keyPem)
  } catch (err) {
    throw invalid('key_pem is not a PEM private key', err)
  }
  if (key.asymmetricKeyType !== 'rsa')
    throw invalid('key_pem must be an RSA key (rsa-sha256 and hs2019 with RSASSA-PSS)')
  let cert: X509Certificate
  try {
    cert = new X509Certificate(certPem)
  } catch (err) {
    throw invalid('cert_pem is not a PEM certificate', err)
  }
  if (!cert.checkPrivateKey(key)) throw invalid('key_pem is not the private key of cert_pem')
  return { keyPem, certPem }
}

/** The QSEAL a sign call asks for: a kit's (`software_id`) or the caller's own (`key_pem` and `cert_pem`). */
export async function requestedQseal(kits: KitRegistry, request: SignatureRequest): Promise<Qseal> {
  const own = request.keyPem !== undefined || request.certPem !== undefined
  if (request.softwareId !== undefined) {
    if (own) throw invalid('give software_id or key_pem and cert_pem, not both')
    return kitQseal(kits, request.softwareId)
  }
  if (request.keyPem === undefined || request.certPem === undefined)
    throw invalid('give software_id (the kit’s QSEAL) or key_pem and cert_pem')
  return ownQseal(request.keyPem, request.certPem)
}
