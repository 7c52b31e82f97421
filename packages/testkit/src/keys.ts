import { createPrivateKey, createPublicKey, generateKeyPair, type KeyObject } from 'node:crypto'
import { promisify } from 'node:util'
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

const generateKeyPairAsync = promisify(generateKeyPair)

/** Where new RSA-2048 private keys come from, e.g. a pool of keys made ahead. */
export type RsaKeySource = () => Promise<KeyObject>

/**
 * A new RSA-2048 private key, generated on libuv's thread pool (an RSA key takes 50 to 500 ms of
 * CPU, which would otherwise stop the event loop that long).
 *
 * @example
 * const cert = ca.issueTransportCertificate({ orgId, softwareId, key: await generateRsaKey() })
 */
export async function generateRsaKey(): Promise<KeyObject> {
  return (await generateKeyPairAsync('rsa', { modulusLength: 2048 })).privateKey
}

/**
 * Generates a signing key off the event loop: RSA-2048 for PS256 (from `rsaKeys`, default
 * {@link generateRsaKey}), P-256 for ES256.
 *
 * @example
 * const key = await generateSigningKey('PS256')
 */
export async function generateSigningKey(
  alg: KeyAlgorithm = 'PS256',
  rsaKeys: RsaKeySource = generateRsaKey,
): Promise<SigningKey> {
  const privateKey =
    alg === 'PS256' ? await rsaKeys() : (await generateKeyPairAsync('ec', { namedCurve: 'P-256' })).privateKey
  return signingKeyFrom(privateKey, alg)
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
