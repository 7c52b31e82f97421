import { constants } from 'node:fs'
import { type FileHandle, mkdir, open, readdir, readFile, rename, unlink } from 'node:fs/promises'

/** An open file being written: the part of Node's `FileHandle` the store uses. */
export interface WritableFile {
  writeFile(data: string, encoding: 'utf8'): Promise<void>
  sync(): Promise<void>
  close(): Promise<void>
}

/** A file written in place at chosen offsets, as an append-only log is: the part of `FileHandle` it uses. */
export interface AppendableFile {
  /** Writes all of `data` at byte `position` (pwrite), however many calls that takes. */
  write(data: Uint8Array, position: number): Promise<void>
  /** Flushes the file's data, and its size, to disk (fdatasync). */
  datasync(): Promise<void>
  /** Cuts the file to `length` bytes. */
  truncate(length: number): Promise<void>
  close(): Promise<void>
}

/**
 * The file-system calls the store makes, in one place, so that tests can make them fail the way a
 * full or failing disk does (ENOSPC, EIO) without a full disk. Production uses {@link nodeFileSystem}.
 */
export interface FileSystem {
  /** Creates or truncates `path` for writing. */
  openForWriting(path: string): Promise<WritableFile>
  /** Opens `path` for reading and writing, creating it (empty) if missing; never truncates. */
  openForAppending(path: string): Promise<AppendableFile>
  readFile(path: string): Promise<string>
  /** The whole file as bytes (for files that may be larger than a string can hold). */
  readBytes(path: string): Promise<Buffer>
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
  openForAppending: async (path) => appendable(await open(path, constants.O_RDWR | constants.O_CREAT, 0o644)),
  readFile: (path) => readFile(path, 'utf8'),
  readBytes: (path) => readFile(path),
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

function appendable(handle: FileHandle): AppendableFile {
  return {
    async write(data, position) {
      let done = 0
      while (done < data.length) {
        const { bytesWritten } = await handle.write(data, done, data.length - done, position + done)
        // A regular file takes at least one byte or fails; never loop on a call that wrote nothing.
        if (bytesWritten <= 0) throw new Error(`write at ${position + done} wrote nothing`)
        done += bytesWritten
      }
    },
    datasync: () => handle.datasync(),
    truncate: (length) => handle.truncate(length),
    close: () => handle.close(),
  }
}
