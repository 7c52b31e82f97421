import { constants, type KeyObject, verify } from 'node:crypto'
import type { SignatureParameters } from './signature-header.js'

/**
 * hs2019 takes its algorithm from the key (draft-cavage-12 §2.3), and the draft recommends SHA-512
 * for it while several banks' guides sign with SHA-256: both digests are accepted, RSA keys with
 * RSASSA-PSS (any salt length), EC keys with ECDSA (DER or IEEE P1363 signatures).
 */
const hs2019Digests = ['sha512', 'sha256'] as const

/** Whether `params.signature` is `key`'s signature of `data` under `params.algorithm` (rsa-sha256 or hs2019). */
export function checkSignature(params: SignatureParameters, key: KeyObject, data: Buffer): boolean {
  const type = key.asymmetricKeyType
  if (params.algorithm === 'rsa-sha256') {
    return type === 'rsa' && verify('sha256', data, { key, padding: constants.RSA_PKCS1_PADDING }, params.signature)
  }
  if (type === 'rsa' || type === 'rsa-pss') {
    const pss = { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_AUTO }
    return hs2019Digests.some((digest) => verify(digest, data, pss, params.signature))
  }
  if (type === 'ec') {
    return hs2019Digests.some((digest) =>
      (['der', 'ieee-p1363'] as const).some((dsaEncoding) =>
        verify(digest, data, { key, dsaEncoding }, params.signature),
      ),
    )
  }
  return false
}
