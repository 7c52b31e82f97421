import { randomUUID } from 'node:crypto'
import { open, stat, unlink, utimes } from 'node:fs/promises'
import { hostname } from 'node:os'
import { join } from 'node:path'

/** Thrown when another instance holds the state lock for longer than the wait allows. */
export class StateLockTimeoutError extends Error {
  override readonly name = 'StateLockTimeoutError'
}

/** How often the holder renews its lease, and after how long without renewal a lock counts as abandoned. */
const renewEvery = 1_000
const abandonedAfter = 15_000

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms))

/**
 * Runs `work` holding `dataDir/.state.lock`, so sandbox instances starting together on one data
 * directory create its CA, directory key and brand keys once: the first generates and writes them,
 * the others wait and then read the same files. The lock is a file created exclusively (also on a
 * network file system shared by several hosts) whose modification time the holder renews every
 * second; one not renewed for 15 s was left by a process that died, and is taken over.
 */
export async function withStateLock<T>(dataDir: string, work: () => Promise<T>, waitMs = 120_000): Promise<T> {
  const path = join(dataDir, '.state.lock')
  const owner = `${hostname()} pid ${process.pid} ${randomUUID()}`
  const deadline = Date.now() + waitMs
  for (;;) {
    try {
      const handle = await open(path, 'wx')
      await handle.writeFile(owner)
      await handle.close()
      break
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
    }
    const held = await stat(path).catch(() => undefined)
    if (held && Date.now() - held.mtimeMs > abandonedAfter) {
      // Remove only the abandoned file seen above, not one a faster instance has just created.
      const again = await stat(path).catch(() => undefined)
      if (again?.ino === held.ino && again.mtimeMs === held.mtimeMs) await unlink(path).catch(() => {})
      continue
    }
    if (Date.now() > deadline) {
      throw new StateLockTimeoutError(
        `${path} has been held by another sandbox instance for more than ${waitMs / 1000} s; ` +
          'if no instance is starting, remove the file',
      )
    }
    await sleep(50 + Math.random() * 100)
  }
  const lease = setInterval(() => {
    const now = new Date()
    utimes(path, now, now).catch(() => {})
  }, renewEvery)
  lease.unref()
  try {
    return await work()
  } finally {
    clearInterval(lease)
    await unlink(path).catch(() => {})
  }
}
