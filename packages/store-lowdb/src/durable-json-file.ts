import { dirname } from 'node:path'
import type { Adapter } from 'lowdb'
import { asStoreError } from './disk-trouble.js'
import { type FileSystem, nodeFileSystem } from './file-system.js'
import { tempFileFor } from './temp-files.js'

/** Options of {@link DurableJsonFile}. */
export interface DurableJsonFileOptions {
  /** fsync the file and its folder before a write resolves. Turn off only for bulk loads. */
  fsync: boolean
  /** The file-system calls to make. Default: Node's (`node:fs`); tests inject failures here. */
  fileSystem?: FileSystem
  /**
   * Flushes the folder after the rename. Default: open, fsync and close it each time; a store
   * writing many files passes a shared `FolderFlusher`'s.
   */
  flushFolder?: (dir: string) => Promise<void>
}

/**
 * A lowdb adapter that makes each write durable before it resolves: write a temporary file, fsync
 * it, rename it over the target, fsync the directory. (lowdb's own JSONFile renames atomically but
 * never fsyncs, so a power cut could lose a write a client was already told about.)
 *
 * A write that fails leaves the previous version in place and removes its temporary file. A disk
 * that is full, over quota, read-only or failing (ENOSPC, EDQUOT, EROFS, EIO) is reported as
 * `StoreUnavailableError` (503 with `Retry-After` from the middleware), other errors as they are.
 *
 * @example
 * const db = new Low<Settings | null>(new DurableJsonFile('./data/settings.json', { fsync: true }), null)
 */
export class DurableJsonFile<T> implements Adapter<T> {
  readonly #file: string
  readonly #fsync: boolean
  readonly #fs: FileSystem
  readonly #flushFolder: (dir: string) => Promise<void>

  constructor(file: string, options: DurableJsonFileOptions) {
    this.#file = file
    this.#fsync = options.fsync
    const fileSystem = options.fileSystem ?? nodeFileSystem
    this.#fs = fileSystem
    this.#flushFolder = options.flushFolder ?? ((dir) => fileSystem.syncDirectory(dir))
  }

  async read(): Promise<T | null> {
    try {
      return JSON.parse(await this.#fs.readFile(this.#file)) as T
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null
      throw asStoreError(err, `read ${this.#file}`)
    }
  }

  async write(data: T): Promise<void> {
    const temp = tempFileFor(this.#file)
    try {
      await this.#writeFile(temp, JSON.stringify(data))
      await this.#fs.rename(temp, this.#file)
    } catch (err) {
      // Whatever failed (open, write, fsync, close, rename), the target still holds the previous version.
      await this.#fs.unlink(temp).catch(() => {})
      throw asStoreError(err, `write ${this.#file}`)
    }
    if (!this.#fsync) return
    try {
      await this.#flushFolder(dirname(this.#file))
    } catch (err) {
      // The new version is in place and read back already; only the rename's durability is unknown.
      throw asStoreError(err, `flush the folder of ${this.#file}`)
    }
  }

  async #writeFile(path: string, text: string): Promise<void> {
    const handle = await this.#fs.openForWriting(path)
    try {
      await handle.writeFile(text, 'utf8')
      if (this.#fsync) await handle.sync()
    } catch (err) {
      await handle.close().catch(() => {})
      throw err
    }
    await handle.close()
  }
}

/** Creates `dir` (and parents) once per process. */
export function directoryMaker(fileSystem: FileSystem = nodeFileSystem): (dir: string) => Promise<void> {
  const made = new Set<string>()
  return async (dir) => {
    if (made.has(dir)) return
    try {
      await fileSystem.makeDirectory(dir)
    } catch (err) {
      throw asStoreError(err, `create the folder ${dir}`)
    }
    made.add(dir)
  }
}
