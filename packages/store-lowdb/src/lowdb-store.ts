import { join, resolve } from 'node:path'
import type { ClientStore, Clock, ReplayStore } from '@open-dcr/express'
import { createClientFiles } from './client-files.js'
import { lockDataDirectory } from './data-directory-lock.js'
import { asStoreError } from './disk-trouble.js'
import { type FileSystem, nodeFileSystem } from './file-system.js'
import { FolderFlusher } from './folder-flusher.js'
import { openReplayLog } from './replay/open-replay-log.js'
import type { ReplayLog } from './replay/replay-log.js'
import { sweepTempFiles } from './temp-files.js'

/** Options of {@link createLowdbStore}. */
export interface LowdbStoreOptions {
  /** Data directory; created if missing, locked while open. Required. */
  dir: string
  /** Clock for replay expiry, epoch ms. Default `Date.now`. */
  now?: Clock
  /** fsync each write before it resolves. Default true; turn off only for bulk loads and benchmarks. */
  fsync?: boolean
  /**
   * @deprecated Replay claims are kept in append-only logs by expiry now, whatever this says.
   * Still checked (a whole number from 1 to 256) so that a configuration written for earlier
   * versions keeps opening.
   */
  replayShards?: number
}

/** The embedded store: clients and replay claims in one locked data directory. */
export interface LowdbStore extends ClientStore, ReplayStore {
  /** Waits for the operations under way and releases the directory lock. */
  close(): Promise<void>
}

function resolveOptions(options: LowdbStoreOptions) {
  if (typeof options?.dir !== 'string' || options.dir.length === 0) {
    throw new TypeError('open-dcr lowdb store: option "dir" must be a directory path')
  }
  const shardCount = options.replayShards ?? 16
  if (!Number.isInteger(shardCount) || shardCount < 1 || shardCount > 256) {
    throw new TypeError('open-dcr lowdb store: option "replayShards" must be a whole number from 1 to 256')
  }
  return { dir: resolve(options.dir), fsync: options.fsync ?? true, now: options.now ?? Date.now }
}

/**
 * Opens a lowdb store over `fileSystem`: {@link createLowdbStore} with Node's, tests with one that
 * fails like a full disk.
 */
export async function openLowdbStore(options: LowdbStoreOptions, fileSystem: FileSystem): Promise<LowdbStore> {
  const { dir, fsync, now } = resolveOptions(options)
  await fileSystem.makeDirectory(dir).catch((err: unknown) => {
    throw asStoreError(err, `create the data directory ${dir}`)
  })
  const lock = lockDataDirectory(dir)
  let replay: ReplayLog
  try {
    // Only the lock holder writes here, so every temporary file found now is a dead write's leftover.
    await sweepTempFiles(dir, fileSystem)
    await fileSystem.makeDirectory(join(dir, 'replay'))
    replay = await openReplayLog(join(dir, 'replay'), { fsync, now, fileSystem })
  } catch (err) {
    lock.release()
    throw asStoreError(err, `prepare the data directory ${dir}`)
  }
  const folders = new FolderFlusher(fileSystem)
  const clients = createClientFiles(join(dir, 'clients'), { fsync, fileSystem, folders })

  const underWay = new Set<Promise<unknown>>()
  let closed = false
  const open =
    <A extends unknown[], R>(fn: (...args: A) => Promise<R>) =>
    (...args: A): Promise<R> => {
      if (closed) return Promise.reject(new Error('open-dcr lowdb store is closed'))
      const result = fn(...args)
      const tracked = result.catch(() => {})
      underWay.add(tracked)
      void tracked.then(() => underWay.delete(tracked))
      return result
    }
  return {
    create: open(clients.create),
    get: open(clients.get),
    update: open(clients.update),
    delete: open(clients.delete),
    claim: open((key: string, expiresAt: number) => replay.claim(key, expiresAt)),
    async close() {
      if (closed) return
      closed = true
      // Another process may take the directory (and sweep temporary files) once the lock is gone.
      await Promise.all(underWay)
      await replay.close()
      await folders.close()
      lock.release()
    },
  }
}

/**
 * Opens (creating if needed) a lowdb store in `dir`. Refuses a directory another live process
 * holds, or that this process has open already ({@link DataDirectoryLockedError}).
 *
 * @example
 * const store = await createLowdbStore({ dir: './data' })
 * app.use('/open-banking', createDcrRouter({ ..., store, replayStore: store }))
 */
export function createLowdbStore(options: LowdbStoreOptions): Promise<LowdbStore> {
  return openLowdbStore(options, nodeFileSystem)
}
