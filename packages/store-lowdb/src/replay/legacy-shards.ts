import { join } from 'node:path'
import type { FileSystem } from '../file-system.js'

/** Replay files of earlier versions: `replay/NN.json`, each a lowdb document `{ claims: { key: expiresAt } }`. */
const shardPattern = /^[0-9a-f]{2}\.json$/

/** Whether `name` is a replay shard file of an earlier version of the store. */
export function isLegacyShard(name: string): boolean {
  return shardPattern.test(name)
}

/**
 * The live claims of an earlier version's replay shard. Keys are read as own properties only (as
 * `JSON.parse` makes them, `__proto__` included), entries that are not numbers are skipped.
 * Throws when the file is not JSON: those files were only ever replaced whole, so it was damaged.
 */
export async function readLegacyShard(
  root: string,
  name: string,
  now: number,
  fileSystem: FileSystem,
): Promise<[key: string, expiresAt: number][]> {
  const path = join(root, name)
  let document: unknown
  try {
    document = JSON.parse(await fileSystem.readFile(path))
  } catch (err) {
    if (!(err instanceof SyntaxError)) throw err
    throw new Error(
      `open-dcr lowdb store: the replay file ${path} of an earlier version is not JSON; ` +
        'move it away to open the store (the replay claims it held are then forgotten)',
      { cause: err },
    )
  }
  const stored = (document as { claims?: unknown } | null)?.claims
  if (typeof stored !== 'object' || stored === null) return []
  const live: [string, number][] = []
  for (const [key, expiresAt] of Object.entries(stored)) {
    if (typeof expiresAt === 'number' && expiresAt > now) live.push([key, expiresAt])
  }
  return live
}
