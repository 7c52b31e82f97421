/**
 * Filler clients for the scale benchmark: stored as registration would store them (metadata with
 * the software statement, about 3 KB each), loaded in bulk before anything is measured.
 */
import { randomUUID } from 'node:crypto'
import { type ClientRecord, hashCredential } from '@open-dcr/express'
import type { SignerSpec } from './fixture.js'
import type { OpenedStore } from './stores.js'

/** A client record like one `POST /register` stores for the fixture's TPP. */
export function fillerClient(signer: SignerSpec, now: number): ClientRecord {
  const clientId = randomUUID()
  return {
    clientId,
    tenant: 'default',
    softwareId: signer.softwareId,
    orgId: 'bench-org',
    metadata: {
      ...signer.metadata,
      client_id: clientId,
      client_id_issued_at: Math.floor(now / 1000),
      software_id: signer.softwareId,
      software_statement: signer.softwareStatement,
    },
    secrets: [],
    registrationAccessTokenHash: hashCredential(randomUUID()),
    createdAt: now,
    updatedAt: now,
    version: 1,
  }
}

/**
 * Stores `count` filler clients, `concurrency` at a time; returns their ids. Open the store with
 * fsync off (or the database in bulk-load mode) first: this is setup, not measurement.
 */
export async function bulkLoad(
  opened: OpenedStore,
  signer: SignerSpec,
  count: number,
  onProgress: (done: number) => void,
  concurrency = 256,
): Promise<string[]> {
  const ids: string[] = []
  const now = Date.now()
  let reported = 0
  for (let done = 0; done < count; done += concurrency) {
    const batch = Array.from({ length: Math.min(concurrency, count - done) }, () => fillerClient(signer, now))
    await Promise.all(batch.map((record) => opened.store.create(record)))
    for (const record of batch) ids.push(record.clientId)
    if (ids.length - reported >= 100_000) {
      reported = ids.length
      onProgress(reported)
    }
  }
  return ids
}
