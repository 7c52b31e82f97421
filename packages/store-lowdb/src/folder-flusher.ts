import type { FileSystem, OpenDirectory } from './file-system.js'

/** One folder's open handle and flushes. */
interface Folder {
  handle: Promise<OpenDirectory> | undefined
  /** The flush under way. */
  running: Promise<void> | undefined
  /** The flush that starts when the one under way ends, shared by everyone who asked meanwhile. */
  next: Promise<void> | undefined
}

/**
 * Flushes folders' entries to disk (fsync of the folder) after files were renamed into them, for
 * many writes at once: a flush asked for while one of the same folder is under way waits for the
 * next one, which serves every write that asked meanwhile (group commit; one that already started
 * may not cover a rename made after it began). Each folder is opened once and kept open until
 * {@link FolderFlusher.close}, so a flush is one call, not three (open, fsync, close): the store
 * has a fixed set of folders (256 for clients, a few more), so that many descriptors at most.
 */
export class FolderFlusher {
  readonly #fileSystem: FileSystem
  readonly #folders = new Map<string, Folder>()

  constructor(fileSystem: FileSystem) {
    this.#fileSystem = fileSystem
  }

  /** Resolves once a flush of `path` that started after this call has completed. */
  flush(path: string): Promise<void> {
    let folder = this.#folders.get(path)
    if (!folder) {
      folder = { handle: undefined, running: undefined, next: undefined }
      this.#folders.set(path, folder)
    }
    const running = folder.running
    if (!running) return this.#start(folder, path)
    const current = folder
    current.next ??= running
      .catch(() => {})
      .then(() => {
        current.next = undefined
        return current.running ?? this.#start(current, path)
      })
    return current.next
  }

  /** Waits for the flushes under way and closes every folder. */
  async close(): Promise<void> {
    const folders = [...this.#folders.values()]
    this.#folders.clear()
    await Promise.all(
      folders.map(async (folder) => {
        while (folder.running || folder.next) await (folder.next ?? folder.running)?.catch(() => {})
        const handle = await folder.handle?.catch(() => undefined)
        await handle?.close().catch(() => {})
      }),
    )
  }

  #start(folder: Folder, path: string): Promise<void> {
    const running = this.#sync(folder, path).finally(() => {
      if (folder.running === running) folder.running = undefined
    })
    folder.running = running
    return running
  }

  async #sync(folder: Folder, path: string): Promise<void> {
    folder.handle ??= this.#fileSystem.openDirectory(path)
    const opened = folder.handle
    try {
      await (await opened).sync()
    } catch (err) {
      // Opened afresh next time: a descriptor that failed once is not trusted again.
      if (folder.handle === opened) folder.handle = undefined
      await opened.then((handle) => handle.close()).catch(() => {})
      throw err
    }
  }
}
