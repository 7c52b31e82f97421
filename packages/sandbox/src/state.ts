import { join } from 'node:path'
import { DurableJsonFile } from '@open-dcr/store-lowdb'
import {
  type CertificateAuthority,
  createCertificateAuthority,
  createMockDirectory,
  type IssuedCertificate,
  type MockDirectory,
  signingKeyFromJwk,
} from '@open-dcr/testkit'
import type { JWK } from 'jose'
import { Low } from 'lowdb'

interface StoredState {
  ca: { certPem: string; keyPem: string }
  directoryKey: JWK
  server: IssuedCertificate
}

/** The sandbox's own PKI and directory, created on first start and kept in the data directory. */
export interface SandboxState {
  ca: CertificateAuthority
  directory: MockDirectory
  /** TLS certificate of the HTTPS listener (SAN localhost, 127.0.0.1). */
  server: IssuedCertificate
}

/** Loads the sandbox state from `dataDir/sandbox-state.json`, creating it on first start. */
export async function loadSandboxState(dataDir: string): Promise<SandboxState> {
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
  return {
    ca: createCertificateAuthority(db.data.ca),
    directory: await createMockDirectory({ signingKey: await signingKeyFromJwk(db.data.directoryKey) }),
    server: db.data.server,
  }
}
