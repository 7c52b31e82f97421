import { createRequire } from 'node:module'

/** The part of `fs-native-extensions` used here (the package ships no types). */
interface FsNativeExtensions {
  /** Takes a lock on an open file without waiting: true if taken, false if another holder has it. */
  tryLock(fd: number, offset?: number, length?: number, options?: { shared?: boolean }): boolean
}

let addon: FsNativeExtensions | undefined

function load(): FsNativeExtensions {
  try {
    return createRequire(import.meta.url)('fs-native-extensions') as FsNativeExtensions
  } catch (err) {
    throw new Error(
      `open-dcr lowdb store: cannot load the file-lock addon fs-native-extensions on ${process.platform}-${process.arch} ` +
        '(it ships prebuilt binaries for glibc Linux, macOS and Windows on x64 and arm64)',
      { cause: err },
    )
  }
}

/**
 * Takes an exclusive advisory lock on the whole of the open file `fd`, without waiting: true if
 * taken, false if another open file holds it. The lock belongs to the open file description
 * (Linux: `fcntl(F_OFD_SETLK)`; macOS: `flock`; Windows: `LockFileEx`), so the kernel releases it
 * when the file is closed or its process dies, however it dies, and a second open of the same
 * file, in this process or another, is refused.
 */
export function tryLockExclusive(fd: number): boolean {
  addon ??= load()
  try {
    return addon.tryLock(fd)
  } catch (err) {
    // POSIX lets fcntl report a conflicting lock as EACCES as well as EAGAIN (NFS does).
    if ((err as NodeJS.ErrnoException).code === 'EACCES') return false
    throw err
  }
}
