import * as fs from 'node:fs'
import { promisify } from 'node:util'

/** An open file being written. */
export interface WritableFile {
  writeFile(data: string, encoding: 'utf8'): Promise<void>
  sync(): Promise<void>
  close(): Promise<void>
}

/** A file written in place at chosen offsets, as an append-only log is. */
export interface AppendableFile {
  /** Writes all of `data` at byte `position` (pwrite), however many calls that takes. */
  write(data: Uint8Array, position: number): Promise<void>
  /** Flushes the file's data, and its size, to disk (fdatasync). */
  datasync(): Promise<void>
  /** Cuts the file to `length` bytes. */
  truncate(length: number): Promise<void>
  close(): Promise<void>
}

/** An open directory, kept to flush its entries to disk. */
export interface OpenDirectory {
  /** Flushes the directory's entries (renames, new and removed files in it) to disk: fsync. */
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
  /** Opens `path` for reading and writing, creating it (empty) if missing; never truncates. */
  openForAppending(path: string): Promise<AppendableFile>
  /** Opens a directory to flush its entries. */
  openDirectory(path: string): Promise<OpenDirectory>
  readFile(path: string): Promise<string>
  /** The whole file as bytes (for files that may be larger than a string can hold). */
  readBytes(path: string): Promise<Buffer>
  rename(from: string, to: string): Promise<void>
  unlink(path: string): Promise<void>
  /** Creates `path` and its parents; no error if it exists. */
  makeDirectory(path: string): Promise<void>
  /** Flushes a directory's entries (a rename or unlink in it) to disk: open, fsync, close. */
  syncDirectory(path: string): Promise<void>
  /** The names of the entries of a directory, with whether each is a directory. */
  listDirectory(path: string): Promise<{ name: string; isDirectory: boolean }[]>
}

// Node's callback API on plain descriptors: each call is one trip to libuv's thread pool, without
// the FileHandle objects (and their bookkeeping) of node:fs/promises.
const call = {
  open: promisify(fs.open),
  write: promisify(fs.write),
  fsync: promisify(fs.fsync),
  fdatasync: promisify(fs.fdatasync),
  ftruncate: promisify(fs.ftruncate),
  close: promisify(fs.close),
  readFile: promisify(fs.readFile),
  rename: promisify(fs.rename),
  unlink: promisify(fs.unlink),
  mkdir: promisify(fs.mkdir),
  readdir: promisify(fs.readdir),
}

async function writeAll(fd: number, data: Uint8Array, position: number | null): Promise<void> {
  let done = 0
  while (done < data.length) {
    const at = position === null ? null : position + done
    const written = (await call.write(fd, data, done, data.length - done, at)).bytesWritten
    // A regular file takes at least one byte or fails; never loop on a call that wrote nothing.
    if (written <= 0) throw new Error('a write to a file wrote nothing')
    done += written
  }
}

function writable(fd: number): WritableFile {
  return {
    writeFile: (data) => writeAll(fd, Buffer.from(data, 'utf8'), null),
    sync: () => call.fsync(fd),
    close: () => call.close(fd),
  }
}

function appendable(fd: number): AppendableFile {
  return {
    write: (data, position) => writeAll(fd, data, position),
    datasync: () => call.fdatasync(fd),
    truncate: (length) => call.ftruncate(fd, length),
    close: () => call.close(fd),
  }
}

/** {@link FileSystem} on Node's `node:fs`. */
export const nodeFileSystem: FileSystem = {
  openForWriting: async (path) => writable(await call.open(path, 'w')),
  openForAppending: async (path) =>
    appendable(await call.open(path, fs.constants.O_RDWR | fs.constants.O_CREAT, 0o644)),
  async openDirectory(path) {
    const fd = await call.open(path, 'r')
    return { sync: () => call.fsync(fd), close: () => call.close(fd) }
  },
  readFile: (path) => call.readFile(path, 'utf8'),
  readBytes: (path) => call.readFile(path),
  rename: (from, to) => call.rename(from, to),
  unlink: (path) => call.unlink(path),
  makeDirectory: async (path) => {
    await call.mkdir(path, { recursive: true })
  },
  async syncDirectory(path) {
    const directory = await nodeFileSystem.openDirectory(path)
    try {
      await directory.sync()
    } finally {
      await directory.close()
    }
  },
  listDirectory: async (path) =>
    (await call.readdir(path, { withFileTypes: true })).map((entry) => ({
      name: entry.name,
      isDirectory: entry.isDirectory(),
    })),
}
