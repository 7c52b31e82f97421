import {
  closeSync,
  constants,
  fstatSync,
  ftruncateSync,
  openSync,
  readFileSync,
  realpathSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs'
import { join } from 'node:path'
import { tryLockExclusive } from './native-file-lock.js'

/** Thrown when a data directory is held by another store, in this process or another. */
export class DataDirectoryLockedError extends Error {
  override readonly name = 'DataDirectoryLockedError'
  /** The data directory that could not be locked. */
  readonly dir: string
  constructor(dir: string, message: string) {
    super(message)
    this.dir = dir
  }
}

/** A held data directory lock. */
export interface DataDirectoryLock {
  /** Releases the lock (closes the lock file); calling it again does nothing. */
  release(): void
}

/** The lock file inside a data directory: removed on close by its holder, harmless when left behind. */
export const lockFileName = '.lock'

/** Data directories (real paths) that stores in this process hold. */
const heldHere = new Set<string>()

function holderOf(path: string): string {
  const pid = Number.parseInt(readFileSyncOrEmpty(path), 10)
  if (!Number.isInteger(pid) || pid <= 0) return 'another process'
  return pid === process.pid ? `process ${pid} (this process, through another copy of open-dcr)` : `process ${pid}`
}

function readFileSyncOrEmpty(path: string): string {
  try {
    return readFileSync(path, 'utf8')
  } catch {
    return ''
  }
}

function isSameFile(fd: number, path: string): boolean {
  try {
    const open = fstatSync(fd)
    const named = statSync(path)
    return open.dev === named.dev && open.ino === named.ino
  } catch {
    return false
  }
}

/**
 * Locks the data directory `dir` (which must exist) for this process with a kernel advisory lock
 * on `dir/.lock`, held on an open file for as long as the store is open. The kernel releases it
 * when the process exits, crashes or is killed, so a lock file left behind never blocks a restart,
 * whatever it contains; two live processes can never both hold it. The file's content (this
 * process id) is only for people reading it; `release()` removes it. Refuses with
 * {@link DataDirectoryLockedError} a directory held by another process, or already open in this one.
 */
export function lockDataDirectory(dir: string): DataDirectoryLock {
  const key = realpathSync(dir)
  if (heldHere.has(key)) {
    throw new DataDirectoryLockedError(
      dir,
      `data directory ${dir} is in use by process ${process.pid} (this process): another store here has ` +
        'it open; close that store (store.close()) before opening the directory again, or use that one store',
    )
  }
  const path = join(dir, lockFileName)
  // The file locked must be the one `path` names: a holder that closed between our open and our
  // lock removed it, and the next process creates and locks a new one, so try again on that.
  for (let attempt = 0; attempt < 5; attempt++) {
    const fd = openSync(path, constants.O_RDWR | constants.O_CREAT, 0o644)
    let locked = false
    try {
      locked = tryLockExclusive(fd)
    } finally {
      if (!locked) closeSync(fd)
    }
    if (!locked) {
      throw new DataDirectoryLockedError(
        dir,
        `data directory ${dir} is in use by ${holderOf(path)}, which holds its lock ${path}: ` +
          'stop that process or give this one another data directory (the lock ends with the process ' +
          'that holds it, so this is a running process, not a leftover)',
      )
    }
    if (!isSameFile(fd, path)) {
      closeSync(fd)
      continue
    }
    ftruncateSync(fd, 0)
    writeSync(fd, `${process.pid}\n`, 0)
    heldHere.add(key)
    let released = false
    return {
      release() {
        if (released) return
        released = true
        heldHere.delete(key)
        // Removed while still locked: a process that opened this file meanwhile finds it gone
        // after locking it (the check above) and starts over on a new file.
        try {
          unlinkSync(path)
        } catch {
          // Already gone or not removable: harmless, the next holder reuses it.
        }
        closeSync(fd)
      },
    }
  }
  throw new DataDirectoryLockedError(
    dir,
    `data directory ${dir}: its lock file ${path} keeps being replaced; make sure nothing deletes it`,
  )
}
