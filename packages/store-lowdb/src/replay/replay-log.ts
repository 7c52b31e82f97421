import { join } from 'node:path'
import type { Clock, ReplayStore } from '@open-dcr/express'
import type { FileSystem } from '../file-system.js'
import { claimLine } from './claim-lines.js'
import { ClaimLogFile } from './claim-log-file.js'
import { bucketEndOf, bucketFileName } from './expiry-buckets.js'

/** Options of {@link ReplayLog}. */
export interface ReplayLogOptions {
  /** fsync each append before its claims are granted. */
  fsync: boolean
  /** Clock for expiry, epoch ms. */
  now: Clock
  fileSystem: FileSystem
}

/** Claims waiting for one append to one log, and how their callers learn its outcome. */
interface PendingAppend {
  readonly file: ClaimLogFile
  readonly lines: string[]
  readonly claims: [key: string, expiresAt: number][]
  readonly done: Promise<void>
  settle(err?: unknown): void
}

function pendingAppend(file: ClaimLogFile): PendingAppend {
  let resolve = () => {}
  let reject: (err: unknown) => void = () => {}
  const done = new Promise<void>((res, rej) => {
    resolve = res
    reject = rej
  })
  // An append nobody awaits any more must not become an unhandled rejection.
  done.catch(() => {})
  return { file, lines: [], claims: [], done, settle: (err) => (err === undefined ? resolve() : reject(err)) }
}

/** The latest instant a JavaScript Date can hold, epoch ms: beyond it a bucket's name would not read back. */
const maxEpochMs = 8.64e15

/**
 * Replay claims in append-only logs bucketed by expiry, looked up in a `Map` of live claims (so a
 * key such as `__proto__` is a key like any other). A claim costs one line in its bucket's log:
 * claims arriving while an append is under way share the next one (group commit: one write and one
 * fdatasync per bucket touched), and none is granted before its line is on disk. Nothing is ever
 * rewritten, so a claim costs the same however many are live. Once the clock passes a bucket's end,
 * its file is deleted and its keys leave the `Map` (at the next group commit), so memory holds the
 * live claims and at most one bucket's worth of expired ones. An append that fails takes its
 * claims back before its callers hear of it: a claim reported failed is never counted.
 */
export class ReplayLog implements ReplayStore {
  readonly #root: string
  readonly #options: ReplayLogOptions
  readonly #claims = new Map<string, number>()
  /** Every claim log in the folder, by bucket end. */
  readonly #files = new Map<number, ClaimLogFile>()
  #pending = new Map<ClaimLogFile, PendingAppend>()
  #writing: Promise<void> | undefined

  constructor(root: string, options: ReplayLogOptions) {
    this.#root = root
    this.#options = options
  }

  /**
   * True the first time `key` is claimed while no earlier claim of it lives, once that claim is on
   * disk; false while one lives. A claim already expired is granted without being written.
   */
  async claim(key: string, expiresAt: number): Promise<boolean> {
    if (!Number.isFinite(expiresAt) || Math.abs(expiresAt) > maxEpochMs) {
      throw new TypeError(`open-dcr lowdb store: a claim's expiresAt must be epoch milliseconds, got ${expiresAt}`)
    }
    const now = this.#options.now()
    const live = this.#claims.get(key)
    if (live !== undefined && live > now) return false
    if (expiresAt <= now) return true
    this.#claims.set(key, expiresAt)
    const file = this.#fileFor(expiresAt)
    file.keys.push(key)
    let append = this.#pending.get(file)
    if (!append) {
      append = pendingAppend(file)
      this.#pending.set(file, append)
    }
    append.lines.push(claimLine(key, expiresAt))
    append.claims.push([key, expiresAt])
    this.#startWriting()
    await append.done
    return true
  }

  /** Takes in a claim log found at open (its claims given to {@link ReplayLog.remember}). */
  adopt(file: ClaimLogFile): void {
    this.#files.set(file.end, file)
  }

  /** Takes in a claim read from a log at open; of two claims of one key, the later expiry stands. */
  remember(key: string, expiresAt: number): void {
    const known = this.#claims.get(key)
    if (known === undefined || known < expiresAt) this.#claims.set(key, expiresAt)
  }

  /** How many claims are held in memory: the live ones, and expired ones of buckets not yet ended. */
  get size(): number {
    return this.#claims.size
  }

  /** Resolves when no append is under way or waiting. */
  async settle(): Promise<void> {
    while (this.#writing) await this.#writing
  }

  /** Waits for appends under way and closes every log. */
  async close(): Promise<void> {
    await this.settle()
    await Promise.all([...this.#files.values()].map((file) => file.close().catch(() => {})))
  }

  #fileFor(expiresAt: number): ClaimLogFile {
    const end = bucketEndOf(expiresAt)
    let file = this.#files.get(end)
    if (!file) {
      file = new ClaimLogFile(join(this.#root, bucketFileName(end)), end, this.#options)
      this.#files.set(end, file)
    }
    return file
  }

  /** Starts appending what is waiting, unless appends are under way (they take it next). */
  #startWriting(): void {
    if (this.#writing || this.#pending.size === 0) return
    this.#writing = this.#writeAll().finally(() => {
      this.#writing = undefined
      // Claims made between the last check for more and now.
      this.#startWriting()
    })
  }

  /** Appends what is waiting, one group commit after another, until nothing is. */
  async #writeAll(): Promise<void> {
    while (this.#pending.size > 0) {
      const batch = this.#pending
      this.#pending = new Map()
      await this.#removeEnded(batch)
      await Promise.all([...batch.values()].map((append) => this.#commit(append)))
    }
  }

  async #commit(append: PendingAppend): Promise<void> {
    try {
      await append.file.append(append.lines.join(''))
      append.settle()
    } catch (err) {
      for (const [key, expiresAt] of append.claims) {
        if (this.#claims.get(key) === expiresAt) this.#claims.delete(key)
      }
      append.settle(err)
    }
  }

  /**
   * Deletes the logs of buckets that have ended (but for any written in this batch: the clock moved
   * on since its claims were made) and forgets their keys. A file that cannot be deleted now is
   * tried again at the next group commit; its claims have expired either way.
   */
  async #removeEnded(batch: ReadonlyMap<ClaimLogFile, PendingAppend>): Promise<void> {
    const now = this.#options.now()
    const ended = [...this.#files.values()].filter((file) => file.end <= now && !batch.has(file))
    if (ended.length === 0) return
    for (const file of ended) {
      for (const key of file.keys) {
        const expiresAt = this.#claims.get(key)
        if (expiresAt !== undefined && expiresAt <= now) this.#claims.delete(key)
      }
      file.keys.length = 0
    }
    await Promise.all(
      ended.map((file) =>
        file.remove().then(
          () => {
            if (this.#files.get(file.end) === file) this.#files.delete(file.end)
          },
          () => {},
        ),
      ),
    )
  }
}
