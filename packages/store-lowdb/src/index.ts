import { mkdir } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import type { ClientStore, Clock, ReplayStore } from '@open-dcr/express'
import { createClientFiles } from './client-files.js'
import { lockDataDirectory } from './data-directory-lock.js'
import { createReplayShards } from './replay-shards.js'

export { DataDirectoryLockedError } from './data-directory-lock.js'

/** Options of {@link createLowdbStore}. */
export interface LowdbStoreOptions {
  /** Data directory; created if missing, locked while open. Required. */
  dir: string
  /** Clock for replay expiry, epoch ms. Default `Date.now`. */
  now?: Clock
  /** fsync each write before it resolves. Default true; turn off only for bulk loads and benchmarks. */
  fsync?: boolean
  /** Number of replay-claim files. Default 16. */
  replayShards?: number
}

/** The embedded store: clients and replay claims in one locked data directory. */
export interface LowdbStore extends ClientStore, ReplayStore {
  /** Waits for pending writes and releases the directory lock. */
  close(): Promise<void>
}

/**
 * Opens (creating if needed) a lowdb store in `dir`. Refuses a directory another live process
 * holds, or that this process has open already ({@link DataDirectoryLockedError}).
 *
 * @example
 * const store = await createLowdbStore({ dir: './data' })
 * app.use('/open-banking', createDcrRouter({ ..., store, replayStore: store }))
 */
export async function createLowdbStore(options: LowdbStoreOptions): Promise<LowdbStore> {
  if (typeof options?.dir !== 'string' || options.dir.length === 0) {
    throw new TypeError('open-dcr lowdb store: option "dir" must be a directory path')
  }
  const shardCount = options.replayShards ?? 16
  if (!Number.isInteger(shardCount) || shardCount < 1 || shardCount > 256) {
    throw new TypeError('open-dcr lowdb store: option "replayShards" must be a whole number from 1 to 256')
  }
  const dir = resolve(options.dir)
  await mkdir(dir, { recursive: true })
  const lock = lockDataDirectory(dir)
  const fsync = options.fsync ?? true
  const clients = createClientFiles(join(dir, 'clients'), fsync)
  await mkdir(join(dir, 'replay'), { recursive: true })
  const replay = createReplayShards(join(dir, 'replay'), { shardCount, fsync, now: options.now ?? Date.now })
  let closed = false
  const open =
    <A extends unknown[], R>(fn: (...args: A) => Promise<R>) =>
    (...args: A): Promise<R> => {
      if (closed) return Promise.reject(new Error('open-dcr lowdb store is closed'))
      return fn(...args)
    }
  return {
    create: open(clients.create),
    get: open(clients.get),
    update: open(clients.update),
    delete: open(clients.delete),
    claim: open(replay.claim),
    async close() {
      if (closed) return
      closed = true
      await replay.settle()
      lock.release()
    },
  }
}
export { DurableJsonFile } from './durable-json-file.js'
