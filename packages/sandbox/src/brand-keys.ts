import { createPrivateKey, createPublicKey, generateKeyPair, type KeyObject } from 'node:crypto'
import { promisify } from 'node:util'
import type { SigningAlgorithm } from '@open-dcr/express'
import { calculateJwkThumbprint, type JWK } from 'jose'

/** One of a brand's signing keys: for ID tokens of its alg, and (PS256) access tokens. */
export interface BrandSigningKey {
  /** RFC 7638 thumbprint of the public key. */
  kid: string
  alg: SigningAlgorithm
  privateKey: KeyObject
  /** Public JWK with kid, alg and use, as `/{brand}/jwks` publishes it. */
  publicJwk: JWK
  /** Private JWK with kid and alg, as the sandbox state keeps it. */
  privateJwk: JWK
}

/** A brand's signing keys by alg: one for every alg the brand allows. */
export type BrandKeySet = ReadonlyMap<SigningAlgorithm, BrandSigningKey>

const generateKeyPairAsync = promisify(generateKeyPair)

/** The key type each alg needs: RSA-2048 for PS256 and RS256, P-256 for ES256; made on libuv's thread pool. */
async function generatePrivateKey(alg: SigningAlgorithm): Promise<KeyObject> {
  const pair =
    alg === 'ES256'
      ? await generateKeyPairAsync('ec', { namedCurve: 'P-256' })
      : await generateKeyPairAsync('rsa', { modulusLength: 2048 })
  return pair.privateKey
}

async function toBrandKey(privateKey: KeyObject, alg: SigningAlgorithm): Promise<BrandSigningKey> {
  const bare = createPublicKey(privateKey).export({ format: 'jwk' }) as JWK
  const kid = await calculateJwkThumbprint(bare)
  return {
    kid,
    alg,
    privateKey,
    publicJwk: { ...bare, kid, alg, use: 'sig' },
    privateJwk: { ...(privateKey.export({ format: 'jwk' }) as JWK), kid, alg },
  }
}

/** A new brand signing key for `alg`. */
export async function generateBrandKey(alg: SigningAlgorithm): Promise<BrandSigningKey> {
  return toBrandKey(await generatePrivateKey(alg), alg)
}

/** Reads a stored private JWK back; its `alg` member says what it signs (PS256 when absent, as older state files). */
export async function brandKeyFromJwk(jwk: JWK): Promise<BrandSigningKey> {
  const alg: SigningAlgorithm = jwk.alg === 'ES256' ? 'ES256' : jwk.alg === 'RS256' ? 'RS256' : 'PS256'
  return toBrandKey(createPrivateKey({ key: jwk as never, format: 'jwk' }), alg)
}
