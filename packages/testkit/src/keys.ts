import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto'
import { calculateJwkThumbprint, type JSONWebKeySet, type JWK } from 'jose'

/** The JWS algorithms test keys are made for (FAPI's two). */
export type KeyAlgorithm = 'PS256' | 'ES256'

/** A signing key pair with its public JWK; `kid` is the RFC 7638 thumbprint. */
export interface SigningKey {
  kid: string
  alg: KeyAlgorithm
  privateKey: KeyObject
  publicKey: KeyObject
  /** Public JWK with kid, alg and use. */
  publicJwk: JWK
  /** Private JWK with kid and alg, for storing or handing to a TPP. */
  privateJwk: JWK
}

/**
 * Generates a signing key: RSA-2048 for PS256, P-256 for ES256.
 *
 * @example
 * const key = await generateSigningKey('PS256')
 */
export async function generateSigningKey(alg: KeyAlgorithm = 'PS256'): Promise<SigningKey> {
  const { privateKey, publicKey } =
    alg === 'PS256'
      ? generateKeyPairSync('rsa', { modulusLength: 2048 })
      : generateKeyPairSync('ec', { namedCurve: 'P-256' })
  return signingKeyFrom(privateKey, alg, publicKey)
}

/** Wraps an existing private key (e.g. read back from a private JWK) as a {@link SigningKey}. */
export async function signingKeyFrom(
  privateKey: KeyObject,
  alg: KeyAlgorithm,
  publicKey?: KeyObject,
): Promise<SigningKey> {
  const pub = publicKey ?? createPublicKey(privateKey)
  const bare = pub.export({ format: 'jwk' }) as JWK
  const kid = await calculateJwkThumbprint(bare)
  return {
    kid,
    alg,
    privateKey,
    publicKey: pub,
    publicJwk: { ...bare, kid, alg, use: 'sig' },
    privateJwk: { ...(privateKey.export({ format: 'jwk' }) as JWK), kid, alg },
  }
}

/** Reads a private JWK (as produced in {@link SigningKey.privateJwk}) back into a key. */
export async function signingKeyFromJwk(jwk: JWK): Promise<SigningKey> {
  const alg = jwk.alg === 'ES256' ? 'ES256' : 'PS256'
  return signingKeyFrom(createPrivateKey({ key: jwk as never, format: 'jwk' }), alg)
}

/** A JWKS of the keys' public halves. */
export function toJwks(...keys: SigningKey[]): JSONWebKeySet {
  return { keys: keys.map((key) => key.publicJwk) }
}
