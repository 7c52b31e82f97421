import { describe, expect, it } from 'vitest'
import { type FileSystem, nodeFileSystem, type OpenDirectory } from '../src/file-system.js'
import { FolderFlusher } from '../src/folder-flusher.js'

/** A file system whose folder flushes end when the test says, recording opens, syncs and closes. */
function heldFlushes() {
  const events: string[] = []
  const waiting: { path: string; end: (err?: Error) => void }[] = []
  const fileSystem: FileSystem = {
    ...nodeFileSystem,
    async openDirectory(path): Promise<OpenDirectory> {
      events.push(`open ${path}`)
      return {
        sync: () =>
          new Promise<void>((resolve, reject) => {
            events.push(`sync ${path}`)
            waiting.push({ path, end: (err) => (err ? reject(err) : resolve()) })
          }),
        close: async () => {
          events.push(`close ${path}`)
        },
      }
    },
  }
  /** Ends the oldest flush under way (with `err`, a failure), and lets its callers run. */
  const endFlush = async (err?: Error) => {
    const flush = waiting.shift()
    if (!flush) throw new Error('no flush under way')
    flush.end(err)
    for (let i = 0; i < 10; i++) await Promise.resolve()
  }
  const settled = <T>(promise: Promise<T>) => {
    const state = { done: false, failed: undefined as unknown }
    promise.then(
      () => {
        state.done = true
      },
      (err: unknown) => {
        state.failed = err
      },
    )
    return state
  }
  return { fileSystem, events, endFlush, settled, underWay: () => waiting.map((flush) => flush.path) }
}

const tick = async () => {
  for (let i = 0; i < 10; i++) await Promise.resolve()
}

describe('FolderFlusher', () => {
  it('opens a folder once and keeps it open for later flushes, until close', async () => {
    const { fileSystem, events, endFlush } = heldFlushes()
    const flusher = new FolderFlusher(fileSystem)
    const first = flusher.flush('/a')
    await tick()
    await endFlush()
    await first
    const second = flusher.flush('/a')
    await tick()
    await endFlush()
    await second
    await flusher.close()
    expect(events).toEqual(['open /a', 'sync /a', 'sync /a', 'close /a'])
  })

  it('serves every flush asked for during one under way with one next flush, never with the one under way', async () => {
    const { fileSystem, events, endFlush, settled, underWay } = heldFlushes()
    const flusher = new FolderFlusher(fileSystem)
    const early = settled(flusher.flush('/a'))
    await tick()
    // These renames happened after the first flush began: it may not cover them.
    const late = [settled(flusher.flush('/a')), settled(flusher.flush('/a')), settled(flusher.flush('/a'))]
    const other = settled(flusher.flush('/b'))
    await tick()
    expect(underWay()).toEqual(['/a', '/b'])
    await endFlush()
    expect(early.done).toBe(true)
    expect(late.some((flush) => flush.done)).toBe(false)
    expect(underWay()).toEqual(['/b', '/a'])
    await endFlush()
    expect(other.done).toBe(true)
    await endFlush()
    expect(late.every((flush) => flush.done)).toBe(true)
    expect(events.filter((event) => event === 'sync /a')).toHaveLength(2)
    await flusher.close()
  })

  it('fails every caller of a failed flush, and opens the folder afresh for the next', async () => {
    const { fileSystem, events, endFlush, settled } = heldFlushes()
    const flusher = new FolderFlusher(fileSystem)
    const failed = settled(flusher.flush('/a'))
    await tick()
    await endFlush(Object.assign(new Error('EIO'), { code: 'EIO' }))
    expect((failed.failed as NodeJS.ErrnoException).code).toBe('EIO')
    const next = settled(flusher.flush('/a'))
    await tick()
    await endFlush()
    expect(next.done).toBe(true)
    expect(events).toEqual(['open /a', 'sync /a', 'close /a', 'open /a', 'sync /a'])
    await flusher.close()
  })
})
