import {
  createCertificateAuthority,
  createMockDirectory,
  createTppKit,
  defaultRequestMetadata,
  type JwksServer,
  startJwksServer,
  type TppKit,
  toJwks,
} from '@open-dcr/testkit'
import type { JSONWebKeySet, JWK } from 'jose'

/** The bank's issuer URL every target is configured with: the `aud` of registration requests. */
export const issuer = 'https://bank.example'

/** What a server child needs to trust the directory and fetch the TPP's keys (plain data, sent over IPC). */
export interface TrustSpec {
  issuer: string
  directoryIssuer: string
  directoryJwks: JSONWebKeySet
  /** Origin of the JWKS server the software statement points at, trusted despite being local http. */
  jwksOrigin: string
}

/** What a signing worker needs to sign registration requests as the TPP (plain data). */
export interface SignerSpec {
  privateJwk: JWK
  softwareId: string
  softwareStatement: string
  audience: string
  metadata: Record<string, unknown>
}

/** A mock OB directory, one TPP with its software statement, and the JWKS server publishing its key. */
export interface Fixture {
  kit: TppKit
  jwks: JwksServer
  trust: TrustSpec
  signer: SignerSpec
  close(): Promise<void>
}

/** Sets up the directory, the TPP kit and its JWKS server (on 127.0.0.1, in this process). */
export async function createFixture(): Promise<Fixture> {
  const directory = await createMockDirectory()
  const jwks = await startJwksServer()
  const kit = await createTppKit({ directory, ca: createCertificateAuthority(), jwksEndpoint: jwks.endpoint })
  jwks.publish(kit.softwareId, toJwks(kit.signingKey))
  return {
    kit,
    jwks,
    trust: { issuer, directoryIssuer: directory.issuer, directoryJwks: directory.jwks, jwksOrigin: jwks.url },
    signer: {
      privateJwk: kit.signingKey.privateJwk,
      softwareId: kit.softwareId,
      softwareStatement: kit.softwareStatement,
      audience: issuer,
      metadata: defaultRequestMetadata(kit.roles, kit.redirectUris, kit.signingKey.alg),
    },
    close: () => jwks.close(),
  }
}
