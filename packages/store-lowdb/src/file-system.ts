import { mkdir, open, readdir, readFile, rename, unlink } from 'node:fs/promises'

/** An open file being written: the part of Node's `FileHandle` the store uses. */
export interface WritableFile {
  writeFile(data: string, encoding: 'utf8'): Promise<void>
  sync(): Promise<void>
  close(): Promise<void>
}

/**
 * The file-system calls the store makes, in one place, so that tests can make them fail the way a
 * full or failing disk does (ENOSPC, EIO) without a full disk. Production uses {@link nodeFileSystem}.
 */
export interface FileSystem {
  /** Creates or truncates `path` for writing. */
  openForWriting(path: string): Promise<WritableFile>
  readFile(path: string): Promise<string>
  rename(from: string, to: string): Promise<void>
  unlink(path: string): Promise<void>
  /** Creates `path` and its parents; no error if it exists. */
  makeDirectory(path: string): Promise<void>
  /** Flushes a directory's entries (a rename or unlink in it) to disk. */
  syncDirectory(path: string): Promise<void>
  /** The names of the entries of a directory, with whether each is a directory. */
  listDirectory(path: string): Promise<{ name: string; isDirectory: boolean }[]>
}

/** {@link FileSystem} on `node:fs/promises`. */
export const nodeFileSystem: FileSystem = {
  openForWriting: (path) => open(path, 'w'),
  readFile: (path) => readFile(path, 'utf8'),
  rename,
  unlink,
  makeDirectory: async (path) => {
    await mkdir(path, { recursive: true })
  },
  async syncDirectory(path) {
    const handle = await open(path, 'r')
    try {
      await handle.sync()
    } finally {
      await handle.close()
    }
  },
  listDirectory: async (path) =>
    (await readdir(path, { withFileTypes: true })).map((entry) => ({
      name: entry.name,
      isDirectory: entry.isDirectory(),
    })),
}
