import { join } from 'node:path'
import { DurableJsonFile } from '@open-dcr/store-lowdb'
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

interface StoredState {
  ca: { certPem: string; keyPem: string }
  directoryKey: JWK
  server: IssuedCertificate
  /** Each brand's access-token signing key, by brand id. */
  brandKeys?: Record<string, JWK>
}

/** The sandbox's own PKI and directory, created on first start and kept in the data directory. */
export interface SandboxState {
  ca: CertificateAuthority
  directory: MockDirectory
  /** TLS certificate of the HTTPS listener (SAN localhost, 127.0.0.1). */
  server: IssuedCertificate
  /** Each brand's access-token signing key: any sandbox instance on this data directory verifies the tokens. */
  brandKeys: Map<string, SigningKey>
}

/** Loads the sandbox state from `dataDir/sandbox-state.json`, creating it on first start (and keys for new brands). */
export async function loadSandboxState(dataDir: string, brandIds: readonly string[] = []): Promise<SandboxState> {
  const db = new Low<StoredState | null>(
    new DurableJsonFile(join(dataDir, 'sandbox-state.json'), { fsync: true }),
    null,
  )
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
  stored.brandKeys ??= {}
  const missing = brandIds.filter((id) => !stored.brandKeys?.[id])
  for (const id of missing) stored.brandKeys[id] = (await generateSigningKey('PS256')).privateJwk
  if (missing.length > 0) await db.write()
  const brandKeys = new Map<string, SigningKey>()
  for (const id of brandIds) {
    const jwk = stored.brandKeys[id]
    if (jwk) brandKeys.set(id, await signingKeyFromJwk(jwk))
  }
  return {
    ca: createCertificateAuthority(stored.ca),
    directory: await createMockDirectory({ signingKey: await signingKeyFromJwk(stored.directoryKey) }),
    server: stored.server,
    brandKeys,
  }
}
