import { createHash } from 'node:crypto'
import { join } from 'node:path'
import { type ClientRecord, type ClientStore, StoreConflictError } from '@open-dcr/express'
import { Low } from 'lowdb'
import { asStoreError } from './disk-trouble.js'
import { DurableJsonFile, directoryMaker } from './durable-json-file.js'
import type { FileSystem } from './file-system.js'
import type { FolderFlusher } from './folder-flusher.js'
import { KeyedMutex } from './keyed-mutex.js'

/**
 * Clients as one small lowdb document each, under 256 folders chosen by a hash of the client id:
 * a write touches one client's bytes however many clients exist, and a read loads one file.
 * File names are hashes, so no client id can reach outside the folder.
 */
export function createClientFiles(
  root: string,
  options: { fsync: boolean; fileSystem: FileSystem; folders: FolderFlusher },
): Omit<ClientStore, 'close'> {
  const { fsync, fileSystem, folders } = options
  const flushFolder = (dir: string) => folders.flush(dir)
  const mutex = new KeyedMutex()
  const makeDirectory = directoryMaker(fileSystem)
  const locate = (clientId: string) => {
    const hash = createHash('sha256').update(clientId, 'utf8').digest('hex')
    const dir = join(root, hash.slice(0, 2))
    return { dir, file: join(dir, `${hash}.json`) }
  }
  const load = async (clientId: string) => {
    const { dir, file } = locate(clientId)
    const adapter = new DurableJsonFile<ClientRecord | null>(file, { fsync, fileSystem, flushFolder })
    const db = new Low<ClientRecord | null>(adapter, null)
    await db.read()
    // A hash collision is astronomically unlikely; still, never hand out another client's record.
    if (db.data && db.data.clientId !== clientId) db.data = null
    return { db, adapter, dir, file }
  }

  return {
    create: (record) =>
      mutex.run(record.clientId, async () => {
        const { db, adapter, dir, file } = await load(record.clientId)
        if (db.data) throw new StoreConflictError(record.clientId)
        await makeDirectory(dir)
        try {
          // The adapter serialises the record before its first await: no copy needed to keep it.
          await adapter.write(record)
        } catch (err) {
          // Only a failed folder flush gets past the rename; the caller is told the create failed,
          // so take the file back (it did not exist before: this create holds the id's mutex).
          await fileSystem.unlink(file).catch(() => {})
          throw err
        }
      }),
    async get(clientId) {
      const { db } = await load(clientId)
      return db.data ?? undefined
    },
    update: (record, expectedVersion) =>
      mutex.run(record.clientId, async () => {
        const { db, adapter } = await load(record.clientId)
        if (!db.data || db.data.version !== expectedVersion) return false
        await adapter.write(record)
        return true
      }),
    delete: (clientId) =>
      mutex.run(clientId, async () => {
        const { db, dir, file } = await load(clientId)
        if (!db.data) return false
        try {
          await fileSystem.unlink(file)
          if (fsync) await folders.flush(dir)
        } catch (err) {
          throw asStoreError(err, `delete ${file}`)
        }
        return true
      }),
  }
}
