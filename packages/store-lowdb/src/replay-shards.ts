import { createHash } from 'node:crypto'
import { join } from 'node:path'
import type { Clock, ReplayStore } from '@open-dcr/express'
import { Low } from 'lowdb'
import { DurableJsonFile } from './durable-json-file.js'

interface ShardData {
  /** key → expiry, epoch ms. */
  claims: Record<string, number>
}

const pruneEvery = 60_000

/**
 * One lowdb file of replay claims. Claims arriving while a write is under way share the next
 * write (group commit), so a burst costs two writes, not one per claim. Only live claims are kept.
 */
class ReplayShard {
  readonly #db: Low<ShardData>
  readonly #loaded: Promise<void>
  #writing: Promise<void> | undefined
  #queued: Promise<void> | undefined
  #nextPrune = 0

  constructor(file: string, fsync: boolean) {
    this.#db = new Low<ShardData>(new DurableJsonFile(file, { fsync }), { claims: {} })
    this.#loaded = this.#db.read()
  }

  async claim(key: string, expiresAt: number, now: number): Promise<boolean> {
    await this.#loaded
    const claims = this.#db.data.claims
    const live = claims[key]
    if (live !== undefined && live > now) return false
    claims[key] = expiresAt
    this.#prune(now)
    try {
      await this.#flush()
    } catch (err) {
      if (claims[key] === expiresAt) delete claims[key]
      throw err
    }
    return true
  }

  #prune(now: number): void {
    if (now < this.#nextPrune) return
    this.#nextPrune = now + pruneEvery
    const claims = this.#db.data.claims
    for (const [key, expiresAt] of Object.entries(claims)) if (expiresAt <= now) delete claims[key]
  }

  #flush(): Promise<void> {
    if (this.#queued) return this.#queued
    if (!this.#writing) return this.#start()
    this.#queued = this.#writing
      .catch(() => {})
      .then(() => {
        this.#queued = undefined
        return this.#start()
      })
    return this.#queued
  }

  #start(): Promise<void> {
    const writing = this.#db.write().finally(() => {
      if (this.#writing === writing) this.#writing = undefined
    })
    this.#writing = writing
    return writing
  }

  async settle(): Promise<void> {
    await this.#loaded.catch(() => {})
    while (this.#writing || this.#queued) await (this.#queued ?? this.#writing)?.catch(() => {})
  }
}

/** Replay claims spread over `shardCount` lowdb files by a hash of the key. */
export function createReplayShards(
  root: string,
  shardCount: number,
  fsync: boolean,
  now: Clock,
): ReplayStore & { settle(): Promise<void> } {
  const shards = new Map<number, ReplayShard>()
  const shardOf = (key: string) => {
    const index = createHash('sha256').update(key, 'utf8').digest().readUInt32BE(0) % shardCount
    let shard = shards.get(index)
    if (!shard) {
      shard = new ReplayShard(join(root, `${index.toString(16).padStart(2, '0')}.json`), fsync)
      shards.set(index, shard)
    }
    return shard
  }
  return {
    claim: (key, expiresAt) => shardOf(key).claim(key, expiresAt, now()),
    settle: async () => {
      await Promise.all([...shards.values()].map((shard) => shard.settle()))
    },
  }
}
