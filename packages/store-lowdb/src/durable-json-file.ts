import { mkdir, open, readFile, rename, unlink } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import type { Adapter } from 'lowdb'

let sequence = 0

/** Flushes a directory entry (a rename or unlink) to disk. */
export async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r')
  try {
    await handle.sync()
  } finally {
    await handle.close()
  }
}

/**
 * A lowdb adapter that makes each write durable before it resolves: write a temporary file, fsync
 * it, rename it over the target, fsync the directory. (lowdb's own JSONFile renames atomically but
 * never fsyncs, so a power cut could lose a write a client was already told about.)
 */
export class DurableJsonFile<T> implements Adapter<T> {
  readonly #file: string
  readonly #fsync: boolean

  constructor(file: string, options: { fsync: boolean }) {
    this.#file = file
    this.#fsync = options.fsync
  }

  async read(): Promise<T | null> {
    try {
      return JSON.parse(await readFile(this.#file, 'utf8')) as T
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null
      throw err
    }
  }

  async write(data: T): Promise<void> {
    const dir = dirname(this.#file)
    const temp = join(dir, `.${basename(this.#file)}.${process.pid}.${++sequence}.tmp`)
    const handle = await open(temp, 'w')
    try {
      await handle.writeFile(JSON.stringify(data), 'utf8')
      if (this.#fsync) await handle.sync()
    } finally {
      await handle.close()
    }
    try {
      await rename(temp, this.#file)
    } catch (err) {
      await unlink(temp).catch(() => {})
      throw err
    }
    if (this.#fsync) await syncDirectory(dir)
  }
}

/** Creates `dir` (and parents) once per process. */
export function directoryMaker(): (dir: string) => Promise<void> {
  const made = new Set<string>()
  return async (dir) => {
    if (made.has(dir)) return
    await mkdir(dir, { recursive: true })
    made.add(dir)
  }
}
