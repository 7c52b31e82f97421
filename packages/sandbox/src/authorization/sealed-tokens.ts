import { randomUUID } from 'node:crypto'
import type { Clock } from '@open-dcr/express'
import { EncryptJWT, errors, type JWTPayload, jwtDecrypt } from 'jose'

/** What a sealed token is; each kind is refused where another is expected. */
export type SealedKind = 'authorization-code' | 'refresh-token' | 'consent-transaction'

/** The outcome of opening a sealed token. */
export type Opened = { ok: true; claims: JWTPayload } | { ok: false; reason: 'expired' | 'invalid' }

/**
 * Stateless, tamper-proof, confidential tokens: a JWT encrypted with the sandbox's symmetric key
 * (JWE `dir` + A256GCM), typed by kind and addressed to one brand. Any sandbox instance on the same
 * data directory opens them; single use, where needed, is enforced with the shared replay store.
 */
export interface Sealer {
  /** Seals `claims` for `brandId`, valid for `lifetime` seconds; adds `jti`, `iat`, `exp`. */
  seal(kind: SealedKind, brandId: string, claims: JWTPayload, lifetime: number): Promise<string>
  /** Opens a token of `kind` sealed for `brandId`; anything else (tampered, other kind or brand, expired) is refused. */
  open(kind: SealedKind, brandId: string, token: string): Promise<Opened>
}

const typ = (kind: SealedKind) => `${kind}+jwt`

/** Creates the sealer over a 32-byte key. */
export function createSealer(key: Uint8Array, now: Clock): Sealer {
  if (key.length !== 32) throw new TypeError('the authorization key must be 32 bytes')
  return {
    async seal(kind, brandId, claims, lifetime) {
      const at = Math.floor(now() / 1000)
      return new EncryptJWT(claims)
        .setProtectedHeader({ alg: 'dir', enc: 'A256GCM', typ: typ(kind) })
        .setAudience(brandId)
        .setIssuedAt(at)
        .setExpirationTime(at + lifetime)
        .setJti(randomUUID())
        .encrypt(key)
    },
    async open(kind, brandId, token) {
      try {
        const { payload } = await jwtDecrypt(token, key, {
          keyManagementAlgorithms: ['dir'],
          contentEncryptionAlgorithms: ['A256GCM'],
          typ: typ(kind),
          audience: brandId,
          currentDate: new Date(now()),
          requiredClaims: ['exp', 'jti'],
        })
        return { ok: true, claims: payload }
      } catch (err) {
        return { ok: false, reason: err instanceof errors.JWTExpired ? 'expired' : 'invalid' }
      }
    },
  }
}
