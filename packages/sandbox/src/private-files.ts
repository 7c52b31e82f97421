import { chmod, mkdir, open, readdir, readFile, rename, unlink } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import type { Adapter } from 'lowdb'

/** Files holding private keys or secrets: owner read and write only. */
export const privateFileMode = 0o600
/** Folders of such files: owner only. */
export const privateDirectoryMode = 0o700

let sequence = 0

async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r')
  try {
    await handle.sync()
  } finally {
    await handle.close()
  }
}

/**
 * A lowdb adapter for files holding private keys: each write goes to a new temporary file created
 * 0600 (never readable by others, whatever the umask), is fsynced, renamed over the target, and the
 * folder fsynced, so a write is durable before it resolves.
 */
export class PrivateJsonFile<T> implements Adapter<T> {
  readonly #file: string

  constructor(file: string) {
    this.#file = file
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
    const handle = await open(temp, 'wx', privateFileMode)
    try {
      await handle.writeFile(JSON.stringify(data), 'utf8')
      await handle.sync()
    } finally {
      await handle.close()
    }
    try {
      await rename(temp, this.#file)
    } catch (err) {
      await unlink(temp).catch(() => {})
      throw err
    }
    await syncDirectory(dir)
  }
}

/**
 * Makes `dir` a private folder: created 0700 when missing, an existing one tightened to 0700, and
 * every file directly in it tightened to 0600 (earlier versions wrote them 0644).
 */
export async function privateDirectory(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: privateDirectoryMode })
  await chmod(dir, privateDirectoryMode)
  const entries = await readdir(dir, { withFileTypes: true })
  await Promise.all(
    entries.filter((entry) => entry.isFile()).map((entry) => chmod(join(dir, entry.name), privateFileMode)),
  )
}

/** Tightens one private file to 0600 if it exists. */
export async function tightenFile(file: string): Promise<void> {
  await chmod(file, privateFileMode).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== 'ENOENT') throw err
  })
}
