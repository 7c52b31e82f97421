import { join } from 'node:path'
import { asStoreError } from '../disk-trouble.js'
import { readClaimLines } from './claim-lines.js'
import { ClaimLogFile } from './claim-log-file.js'
import { bucketEndFromFileName } from './expiry-buckets.js'
import { isLegacyShard, readLegacyShard } from './legacy-shards.js'
import { ReplayLog, type ReplayLogOptions } from './replay-log.js'

/**
 * Opens the replay claims in `root` (an existing folder only this process writes): deletes the
 * logs of buckets that have ended, reads the others into the `Map` of live claims (a torn last
 * line is ignored and cut off before the next append), and moves the live claims of an earlier
 * version's shard files (`NN.json`) into the logs, deleting those files once the logs are flushed.
 */
export async function openReplayLog(root: string, options: ReplayLogOptions): Promise<ReplayLog> {
  const log = new ReplayLog(root, options)
  try {
    await readFolder(root, log, options)
    return log
  } catch (err) {
    await log.close()
    throw asStoreError(err, `read the replay claims in ${root}`)
  }
}

async function readFolder(root: string, log: ReplayLog, options: ReplayLogOptions): Promise<void> {
  const { fileSystem, fsync } = options
  const now = options.now()
  const legacy: string[] = []
  for (const entry of await fileSystem.listDirectory(root)) {
    if (entry.isDirectory) continue
    const end = bucketEndFromFileName(entry.name)
    if (end !== undefined) await adoptClaimLog(log, join(root, entry.name), end, now, options)
    else if (isLegacyShard(entry.name)) legacy.push(entry.name)
  }
  if (legacy.length === 0) return
  const claims = (await Promise.all(legacy.map((name) => readLegacyShard(root, name, now, fileSystem)))).flat()
  // One group commit; a key already in the logs (a migration cut short earlier) is simply refused.
  await Promise.all(claims.map(([key, expiresAt]) => log.claim(key, expiresAt)))
  // Only now that the logs hold them: a crash before this point reads the shards again next time.
  for (const name of legacy) await fileSystem.unlink(join(root, name))
  if (fsync) await fileSystem.syncDirectory(root)
}

/** Reads one claim log: its live claims go to the log's `Map`; an ended bucket's file is deleted. */
async function adoptClaimLog(
  log: ReplayLog,
  path: string,
  end: number,
  now: number,
  options: ReplayLogOptions,
): Promise<void> {
  if (end <= now) {
    const deleted = await options.fileSystem.unlink(path).then(
      () => true,
      (err: NodeJS.ErrnoException) => err.code === 'ENOENT',
    )
    if (deleted) return
    // Kept and known, so that no new file of that name is started over it; deleted at a later commit.
  }
  const bytes = await options.fileSystem.readBytes(path)
  const keys: string[] = []
  const { completeLength } = readClaimLines(bytes, (key, expiresAt) => {
    if (expiresAt <= now) return
    keys.push(key)
    log.remember(key, expiresAt)
  })
  log.adopt(new ClaimLogFile(path, end, options, { length: bytes.length, completeLength, keys }))
}
