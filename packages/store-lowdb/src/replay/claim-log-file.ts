import { dirname } from 'node:path'
import { asStoreError } from '../disk-trouble.js'
import type { AppendableFile, FileSystem } from '../file-system.js'

/** How a {@link ClaimLogFile} writes. */
export interface ClaimLogFileOptions {
  /** fsync each append (and a new file's folder entry) before it resolves. */
  fsync: boolean
  /** The file-system calls to make. */
  fileSystem: FileSystem
}

/** A claim log found on disk when the store opened. */
export interface FoundClaimLog {
  /** The file's length in bytes. */
  length: number
  /** Bytes up to the end of its last complete line. */
  completeLength: number
  /** The live claims' keys read from it. */
  keys: string[]
}

/**
 * One expiry bucket's append-only claim log. Each append writes at the end of what is known good
 * and is flushed before it resolves; an append that fails is cut back off the file before anything
 * else is written there, so a claim reported failed never reaches the log, and a line cut short can
 * only ever be the last one. The file is opened on the first append and kept open until
 * {@link ClaimLogFile.close} or {@link ClaimLogFile.remove}. One append at a time (the caller's
 * group commit sees to it).
 */
export class ClaimLogFile {
  /** The bucket's end, epoch ms: every claim in this file expires before it. */
  readonly end: number
  readonly path: string
  /** Keys filed here (some maybe claimed again since, or taken back): what to forget when the bucket ends. */
  readonly keys: string[]
  readonly #options: ClaimLogFileOptions
  #file: AppendableFile | undefined
  /** Bytes of complete lines: where the next append goes. */
  #size: number
  /** Whether the file's folder entry is known to be on disk (a file made by this process: not until flushed). */
  #entryDurable: boolean
  /** Bytes past the complete lines (a failed or torn append) may be in the file: cut them off before the next append. */
  #tail: boolean

  constructor(path: string, end: number, options: ClaimLogFileOptions, found?: FoundClaimLog) {
    this.path = path
    this.end = end
    this.#options = options
    this.#size = found?.completeLength ?? 0
    this.#entryDurable = found !== undefined
    // A write cut short by a crash is cut off before the next append, which would otherwise extend it.
    this.#tail = found !== undefined && found.length > found.completeLength
    this.keys = found?.keys ?? []
  }

  /** Appends `text` (whole lines) durably; on failure nothing of it stays in the file. */
  async append(text: string): Promise<void> {
    const { fsync, fileSystem } = this.#options
    const bytes = Buffer.from(text, 'utf8')
    let file: AppendableFile
    try {
      file = await this.#open()
      if (this.#tail) {
        await file.truncate(this.#size)
        if (fsync) await file.datasync()
        this.#tail = false
      }
    } catch (err) {
      throw asStoreError(err, `append to ${this.path}`)
    }
    try {
      await file.write(bytes, this.#size)
      if (fsync) await file.datasync()
      if (fsync && !this.#entryDurable) {
        await fileSystem.syncDirectory(dirname(this.path))
        this.#entryDurable = true
      }
    } catch (err) {
      await this.#cutBack(file)
      throw asStoreError(err, `append to ${this.path}`)
    }
    this.#size += bytes.length
  }

  /**
   * Cuts a failed append back off, flushed, so that not even a crash brings its claims back; if that
   * fails too, the next append tries again before writing.
   */
  async #cutBack(file: AppendableFile): Promise<void> {
    this.#tail = true
    try {
      await file.truncate(this.#size)
      if (this.#options.fsync) await file.datasync()
      this.#tail = false
    } catch {
      // Reported through the append's own error; the next append cuts the file back first.
    }
  }

  /** Closes the file and deletes it (the bucket has ended). A missing file is no error. */
  async remove(): Promise<void> {
    await this.close()
    try {
      await this.#options.fileSystem.unlink(this.path)
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw asStoreError(err, `delete ${this.path}`)
    }
  }

  /** Closes the file if open; the next append opens it again. */
  async close(): Promise<void> {
    const file = this.#file
    this.#file = undefined
    await file?.close()
  }

  async #open(): Promise<AppendableFile> {
    this.#file ??= await this.#options.fileSystem.openForAppending(this.path)
    return this.#file
  }
}
