import { open, readFile, unlink } from 'node:fs/promises'

/** Thrown when another live process holds the data directory. */
export class DataDirectoryLockedError extends Error {
  override readonly name = 'DataDirectoryLockedError'
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * Takes `path` as an exclusive lock holding this process id. A lock left by a process that is gone
 * is taken over; one held by a live process (this one included) is refused with a clear error.
 */
export async function acquireLock(path: string, dir: string): Promise<() => Promise<void>> {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(path, 'wx')
      await handle.writeFile(String(process.pid))
      await handle.close()
      return async () => {
        await unlink(path).catch(() => {})
      }
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
    }
    const pid = Number.parseInt(await readFile(path, 'utf8').catch(() => ''), 10)
    if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) {
      throw new DataDirectoryLockedError(
        `data directory ${dir} is in use by process ${pid}${pid === process.pid ? ' (this process)' : ''}; ` +
          'stop it, close the other store, or use another directory',
      )
    }
    await unlink(path).catch(() => {})
  }
  throw new DataDirectoryLockedError(`could not lock data directory ${dir}`)
}
