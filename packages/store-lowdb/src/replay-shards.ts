import { createHash } from 'node:crypto'
import { join } from 'node:path'
import type { Clock, ReplayStore } from '@open-dcr/express'
import { DurableJsonFile } from './durable-json-file.js'
import type { FileSystem } from './file-system.js'

/** A shard file as stored: key → expiry, epoch ms (a JSON object; keys are input, read as own properties only). */
interface ShardFile {
  claims: Record<string, number>
}

/** Claims that share one write, and how their callers learn its outcome. */
interface Batch {
  readonly claims: Map<string, number>
  readonly done: Promise<void>
  settle(err?: unknown): void
}

const pruneEvery = 60_000

function newBatch(): Batch {
  let resolve = () => {}
  let reject: (err: unknown) => void = () => {}
  const done = new Promise<void>((res, rej) => {
    resolve = res
    reject = rej
  })
  // A batch nobody awaits any more (all its callers gone) must not become an unhandled rejection.
  done.catch(() => {})
  return { claims: new Map(), done, settle: (err) => (err === undefined ? resolve() : reject(err)) }
}

/** Reads a shard file's claims into a Map, keeping only well-formed entries. */
function claimsOf(file: ShardFile | null): Map<string, number> {
  const claims = new Map<string, number>()
  const stored = file?.claims
  if (typeof stored !== 'object' || stored === null) return claims
  // JSON.parse makes every key an own property (even "__proto__"), and Object.entries reads only those.
  for (const [key, expiresAt] of Object.entries(stored)) if (typeof expiresAt === 'number') claims.set(key, expiresAt)
  return claims
}

/**
 * One file of replay claims. Claims arriving while a write is under way share the next write
 * (group commit), so a burst costs two writes, not one per claim. Only live claims are kept.
 * Claims live in a Map, so a key such as `__proto__` or `constructor` is a key like any other.
 * A write that fails takes its claims back before the next write starts: a claim whose caller was
 * told it failed is never counted, in memory or on disk.
 */
class ReplayShard {
  readonly #file: DurableJsonFile<ShardFile>
  #claims: Map<string, number> | undefined
  #loading: Promise<Map<string, number>> | undefined
  #next: Batch | undefined
  #writing: Promise<void> | undefined
  #nextPrune = 0

  constructor(path: string, fsync: boolean, fileSystem: FileSystem) {
    this.#file = new DurableJsonFile<ShardFile>(path, { fsync, fileSystem })
  }

  async claim(key: string, expiresAt: number, now: number): Promise<boolean> {
    const claims = await this.#load()
    const live = claims.get(key)
    if (live !== undefined && live > now) return false
    claims.set(key, expiresAt)
    this.#prune(claims, now)
    this.#next ??= newBatch()
    const batch = this.#next
    batch.claims.set(key, expiresAt)
    if (!this.#writing) this.#writeNext()
    await batch.done
    return true
  }

  /** Loads the file once; a failed load (an I/O error) is tried again by the next claim. */
  #load(): Promise<Map<string, number>> {
    if (this.#claims) return Promise.resolve(this.#claims)
    this.#loading ??= this.#file.read().then(
      (file) => {
        this.#claims = claimsOf(file)
        return this.#claims
      },
      (err: unknown) => {
        this.#loading = undefined
        throw err
      },
    )
    return this.#loading
  }

  #prune(claims: Map<string, number>, now: number): void {
    if (now < this.#nextPrune) return
    this.#nextPrune = now + pruneEvery
    for (const [key, expiresAt] of claims) if (expiresAt <= now) claims.delete(key)
  }

  /** Writes every claim made so far; claims made meanwhile wait for the write after it. */
  #writeNext(): void {
    const batch = this.#next
    const claims = this.#claims
    this.#next = undefined
    if (!batch || !claims) return
    // Object.fromEntries defines own properties, so a "__proto__" key is written as data.
    const snapshot: ShardFile = { claims: Object.fromEntries(claims) }
    this.#writing = this.#file.write(snapshot).then(
      () => batch.settle(),
      (err: unknown) => {
        for (const [key, expiresAt] of batch.claims) if (claims.get(key) === expiresAt) claims.delete(key)
        batch.settle(err)
      },
    )
    void this.#writing.then(() => {
      this.#writing = undefined
      this.#writeNext()
    })
  }

  /** Resolves when no write is under way or waiting. */
  async settle(): Promise<void> {
    await this.#loading?.catch(() => {})
    while (this.#writing) await this.#writing
  }
}

/** Replay claims spread over `shardCount` lowdb files by a hash of the key. */
export function createReplayShards(
  root: string,
  options: { shardCount: number; fsync: boolean; now: Clock; fileSystem: FileSystem },
): ReplayStore & { settle(): Promise<void> } {
  const shards = new Map<number, ReplayShard>()
  const shardOf = (key: string) => {
    const index = createHash('sha256').update(key, 'utf8').digest().readUInt32BE(0) % options.shardCount
    let shard = shards.get(index)
    if (!shard) {
      const file = join(root, `${index.toString(16).padStart(2, '0')}.json`)
      shard = new ReplayShard(file, options.fsync, options.fileSystem)
      shards.set(index, shard)
    }
    return shard
  }
  return {
    claim: (key, expiresAt) => shardOf(key).claim(key, expiresAt, options.now()),
    settle: async () => {
      await Promise.all([...shards.values()].map((shard) => shard.settle()))
    },
  }
}
