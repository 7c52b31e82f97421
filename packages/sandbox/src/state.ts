import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import type { SigningAlgorithm } from '@open-dcr/express'
import {
  type CertificateAuthority,
  createCertificateAuthority,
  createMockDirectory,
  generateSigningKey,
  type IssuedCertificate,
  type MockDirectory,
  type SigningKey,
  signingKeyFromJwk,
} from '@open-dcr/testkit'
import type { JWK } from 'jose'
import { Low } from 'lowdb'
import { type BrandKeySet, type BrandSigningKey, brandKeyFromJwk, generateBrandKey } from './brand-keys.js'
import { PrivateJsonFile, tightenFile } from './private-files.js'

interface StoredState {
  ca: { certPem: string; keyPem: string }
  directoryKey: JWK
  server: IssuedCertificate
  /** Each brand's PS256 key (access tokens, PS256 ID tokens), by brand id. */
  brandKeys?: Record<string, JWK>
  /** Each brand's keys for its other algs (ES256, RS256), by brand id and alg. */
  brandAlgKeys?: Record<string, Record<string, JWK>>
  /** base64url of the 32-byte key that encrypts codes, refresh tokens and consent transactions. */
  authorizationKey?: string
}

/** A brand whose keys the state keeps: its id and the algs it signs with (default PS256, ES256). */
export interface BrandKeyRequest {
  id: string
  signingAlgorithms?: readonly SigningAlgorithm[]
}

/** The sandbox's own PKI and directory, created on first start and kept in the data directory. */
export interface SandboxState {
  ca: CertificateAuthority
  directory: MockDirectory
  /** TLS certificate of the HTTPS listener (SAN localhost, 127.0.0.1). */
  server: IssuedCertificate
  /** Each brand's access-token signing key (PS256): any sandbox instance on this data directory verifies the tokens. */
  brandKeys: Map<string, SigningKey>
  /** Each brand's signing keys, one per alg it allows (the PS256 one is the access-token key); all published at `/{brand}/jwks`. */
  brandSigningKeys: Map<string, BrandKeySet>
  /**
   * Symmetric key (32 bytes) sealing authorization codes, refresh tokens and consent transactions
   * (JWE `dir` + A256GCM), so every instance on this data directory can redeem them.
   */
  authorizationKey: Uint8Array
}

const defaultAlgorithms: readonly SigningAlgorithm[] = ['PS256', 'ES256']

/** Adds what is missing: a PS256 key per brand (kept from older state files), a key per other alg, the authorization key. */
async function addMissingKeys(stored: StoredState, brands: readonly BrandKeyRequest[]): Promise<boolean> {
  let changed = false
  stored.brandKeys ??= {}
  stored.brandAlgKeys ??= {}
  for (const brand of brands) {
    if (!stored.brandKeys[brand.id]) {
      stored.brandKeys[brand.id] = (await generateSigningKey('PS256')).privateJwk
      changed = true
    }
    const others = stored.brandAlgKeys[brand.id] ?? {}
    stored.brandAlgKeys[brand.id] = others
    for (const alg of brand.signingAlgorithms ?? defaultAlgorithms) {
      if (alg === 'PS256' || others[alg]) continue
      others[alg] = (await generateBrandKey(alg)).privateJwk
      changed = true
    }
  }
  if (!stored.authorizationKey) {
    stored.authorizationKey = randomBytes(32).toString('base64url')
    changed = true
  }
  return changed
}

/**
 * Loads the sandbox state from `dataDir/sandbox-state.json`, creating it on first start, and adds
 * keys for new brands and algs (existing keys are never replaced, so issued tokens keep verifying).
 */
export async function loadSandboxState(
  dataDir: string,
  brands: readonly (string | BrandKeyRequest)[] = [],
): Promise<SandboxState> {
  const requests = brands.map((brand) => (typeof brand === 'string' ? { id: brand } : brand))
  const file = join(dataDir, 'sandbox-state.json')
  await tightenFile(file)
  const db = new Low<StoredState | null>(new PrivateJsonFile(file), null)
  await db.read()
  if (!db.data) {
    const ca = createCertificateAuthority({ commonName: 'open-dcr sandbox root CA', organization: 'open-dcr sandbox' })
    const directory = await createMockDirectory()
    db.data = {
      ca: { certPem: ca.certPem, keyPem: ca.keyPem },
      directoryKey: directory.signingKey.privateJwk,
      server: ca.issueServerCertificate({ hosts: ['localhost', '127.0.0.1', '::1'] }),
    }
    await db.write()
  }
  const stored = db.data
  if (await addMissingKeys(stored, requests)) await db.write()
  const brandKeys = new Map<string, SigningKey>()
  const brandSigningKeys = new Map<string, BrandKeySet>()
  for (const { id } of requests) {
    const jwk = stored.brandKeys?.[id]
    if (!jwk) continue
    brandKeys.set(id, await signingKeyFromJwk(jwk))
    const keys = new Map<SigningAlgorithm, BrandSigningKey>([['PS256', await brandKeyFromJwk(jwk)]])
    for (const other of Object.values(stored.brandAlgKeys?.[id] ?? {})) {
      const key = await brandKeyFromJwk(other)
      keys.set(key.alg, key)
    }
    brandSigningKeys.set(id, keys)
  }
  return {
    ca: createCertificateAuthority(stored.ca),
    directory: await createMockDirectory({ signingKey: await signingKeyFromJwk(stored.directoryKey) }),
    server: stored.server,
    brandKeys,
    brandSigningKeys,
    authorizationKey: new Uint8Array(Buffer.from(stored.authorizationKey ?? '', 'base64url')),
  }
}
