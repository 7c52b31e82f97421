import { basename, dirname, join } from 'node:path'
import type { FileSystem } from './file-system.js'

let sequence = 0

/** Temporary files of the store's writes end in this, and nothing else in a data directory does. */
const tempSuffix = '.tmp'

/** The temporary file a write of `file` goes through: hidden, beside it (same file system), unique. */
export function tempFileFor(file: string): string {
  return join(dirname(file), `.${basename(file)}.${process.pid}.${++sequence}${tempSuffix}`)
}

/**
 * Removes every `*.tmp` file under `dir`: what writes left behind when their process was killed
 * before it could clean up. Only the process holding the data directory's lock may call this,
 * since only that process writes there; the files found are then all leftovers. Symbolic links
 * are not followed. Returns how many files were removed.
 */
export async function sweepTempFiles(dir: string, fileSystem: FileSystem): Promise<number> {
  let removed = 0
  const visit = async (folder: string): Promise<void> => {
    for (const entry of await fileSystem.listDirectory(folder)) {
      const path = join(folder, entry.name)
      if (entry.isDirectory) await visit(path)
      else if (entry.name.endsWith(tempSuffix)) {
        await fileSystem.unlink(path)
        removed++
      }
    }
  }
  await visit(dir)
  return removed
}
