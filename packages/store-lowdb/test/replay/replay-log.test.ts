import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { StoreUnavailableError } from '@open-dcr/express'
import { createTestClock, prototypeNames, type TestClock } from '@open-dcr/store-test-suite'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { type FileSystem, nodeFileSystem } from '../../src/file-system.js'
import { readClaimLines } from '../../src/replay/claim-lines.js'
import { bucketEndFromFileName, bucketEndOf, bucketFileName, bucketWidth } from '../../src/replay/expiry-buckets.js'
import { openReplayLog } from '../../src/replay/open-replay-log.js'
import type { ReplayLog } from '../../src/replay/replay-log.js'
import { type FaultStep, faultyFileSystem } from '../faulty-file-system.js'

const dirs: string[] = []
const tmp = async () => {
  const dir = await mkdtemp(join(tmpdir(), 'open-dcr-replay-'))
  dirs.push(dir)
  return dir
}
const logs: ReplayLog[] = []
afterEach(async () => {
  await Promise.all(logs.splice(0).map((log) => log.close()))
})
afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })))
})

/** Opens the replay log in `dir` on `clock` (closed after the test). */
async function open(dir: string, clock: TestClock, fileSystem: FileSystem = nodeFileSystem): Promise<ReplayLog> {
  const log = await openReplayLog(dir, { fsync: true, now: clock.now, fileSystem })
  logs.push(log)
  return log
}

/** Closes `log` (so that its files are complete) and opens the folder again, as a restart does. */
async function reopen(log: ReplayLog, dir: string, clock: TestClock): Promise<ReplayLog> {
  await log.close()
  return open(dir, clock)
}

const minute = 60_000
/** The test clock starts on a bucket boundary: 2026-01-01T00:00:00Z. */
const start = createTestClock().now()

describe('replay log', () => {
  it('files each claim as one line in the log of its expiry bucket', async () => {
    const dir = await tmp()
    const log = await open(dir, createTestClock())
    expect(await log.claim('a', start + minute)).toBe(true)
    expect(await log.claim('b', start + 4 * minute)).toBe(true)
    expect(await log.claim('c', start + 6 * minute)).toBe(true)
    expect(await log.claim('line\nbreak"', start + 6 * minute)).toBe(true)
    expect((await readdir(dir)).sort()).toEqual([
      bucketFileName(start + 5 * minute),
      bucketFileName(start + 10 * minute),
    ])
    expect(await readFile(join(dir, bucketFileName(start + 5 * minute)), 'utf8')).toBe(
      `["a",${start + minute}]\n["b",${start + 4 * minute}]\n`,
    )
    expect(await readFile(join(dir, bucketFileName(start + 10 * minute)), 'utf8')).toBe(
      `["c",${start + 6 * minute}]\n["line\\nbreak\\"",${start + 6 * minute}]\n`,
    )
  })

  it('refuses a key while its claim lives, across bucket boundaries, and grants it once expired', async () => {
    const dir = await tmp()
    const clock = createTestClock()
    const log = await open(dir, clock)
    // Just before and just after a boundary: two buckets.
    expect(await log.claim('k', start + bucketWidth - 1)).toBe(true)
    expect(await log.claim('k', start + bucketWidth + 1)).toBe(false)
    clock.advance(bucketWidth - 2)
    expect(await log.claim('k', start + 2 * bucketWidth)).toBe(false)
    clock.advance(1)
    expect(await log.claim('k', start + bucketWidth + 1)).toBe(true)
    expect(await log.claim('k', start + 2 * bucketWidth)).toBe(false)
    clock.advance(2)
    expect(await log.claim('k', start + 2 * bucketWidth)).toBe(true)
    // The first bucket has ended and is gone; the claims made since are in the next two.
    expect((await readdir(dir)).sort()).toEqual(
      [bucketFileName(start + 2 * bucketWidth), bucketFileName(start + 3 * bucketWidth)].sort(),
    )
  })

  it('deletes a bucket file once its bucket has ended, and forgets its claims', async () => {
    const dir = await tmp()
    const clock = createTestClock()
    const log = await open(dir, clock)
    for (let i = 0; i < 50; i++) expect(await log.claim(`early-${i}`, start + minute + i)).toBe(true)
    expect(await log.claim('late', start + 7 * minute)).toBe(true)
    expect(log.size).toBe(51)
    const early = bucketFileName(start + 5 * minute)
    clock.advance(5 * minute - 1)
    expect(await log.claim('x', start + 8 * minute)).toBe(true)
    // Expired, but its bucket has not ended yet: kept until it has.
    expect((await readdir(dir)).sort()).toContain(early)
    expect(log.size).toBe(53 - 1)
    clock.advance(1)
    expect(await log.claim('y', start + 8 * minute)).toBe(true)
    expect((await readdir(dir)).sort()).toEqual([bucketFileName(start + 10 * minute)])
    expect(log.size).toBe(3)
    expect(await log.claim('early-3', start + 8 * minute)).toBe(true)
    expect(await log.claim('late', start + 8 * minute)).toBe(false)
  })

  it('rebuilds its claims at open: live ones refused, expired ones granted, ended buckets deleted', async () => {
    const dir = await tmp()
    const clock = createTestClock()
    let log = await open(dir, clock)
    expect(await log.claim('soon', start + minute)).toBe(true)
    expect(await log.claim('later', start + 4 * minute)).toBe(true)
    expect(await log.claim('next-bucket', start + 9 * minute)).toBe(true)
    for (const key of prototypeNames) expect(await log.claim(key, start + 9 * minute)).toBe(true)
    clock.advance(2 * minute)
    log = await reopen(log, dir, clock)
    expect(log.size).toBe(2 + prototypeNames.length)
    expect(await log.claim('soon', start + 3 * minute)).toBe(true)
    expect(await log.claim('later', start + 4 * minute)).toBe(false)
    expect(await log.claim('next-bucket', start + 9 * minute)).toBe(false)
    for (const key of prototypeNames) expect(await log.claim(key, start + 9 * minute), key).toBe(false)

    clock.advance(3 * minute)
    log = await reopen(log, dir, clock)
    expect(await readdir(dir)).toEqual([bucketFileName(start + 10 * minute)])
    expect(await log.claim('later', start + 6 * minute)).toBe(true)
    expect(await log.claim('next-bucket', start + 9 * minute)).toBe(false)
    clock.advance(5 * minute)
    log = await reopen(log, dir, clock)
    expect(await readdir(dir)).toEqual([])
    expect(log.size).toBe(0)
  })

  it('ignores a torn final line, and cuts it off before appending after it', async () => {
    const dir = await tmp()
    const clock = createTestClock()
    const file = join(dir, bucketFileName(start + 5 * minute))
    const whole = `["kept-1",${start + minute}]\n["kept-2",${start + minute}]\n`
    // Longer than the line appended next, which must not leave any of it behind.
    await writeFile(file, `${whole}["torn-${'x'.repeat(80)}",${start}`)
    let log = await open(dir, clock)
    expect(log.size).toBe(2)
    expect(await log.claim('kept-1', start + minute)).toBe(false)
    expect(await log.claim('kept-2', start + minute)).toBe(false)
    expect(await log.claim('torn', start + minute)).toBe(true)
    expect(await readFile(file, 'utf8')).toBe(`${whole}["torn",${start + minute}]\n`)
    expect(await log.claim(`torn-${'x'.repeat(80)}`, start + minute)).toBe(true)
    log = await reopen(log, dir, clock)
    expect(await log.claim('torn', start + minute)).toBe(false)
  })

  it('skips complete lines that are not claims (a torn write a later append followed)', async () => {
    const dir = await tmp()
    const file = join(dir, bucketFileName(start + 5 * minute))
    const text = `["a",${start + minute}]\n\u0000\u0000\u0000\n["b",nul\n{"c":1}\n["d",${start + minute}]\n`
    await writeFile(file, text)
    const read: string[] = []
    expect(readClaimLines(Buffer.from(text), (key) => read.push(key))).toEqual({
      completeLength: Buffer.byteLength(text),
      unreadableLines: 3,
    })
    expect(read).toEqual(['a', 'd'])
    const log = await open(dir, createTestClock())
    expect(log.size).toBe(2)
    expect(await log.claim('a', start + minute)).toBe(false)
    expect(await log.claim('d', start + minute)).toBe(false)
    expect(await log.claim('b', start + minute)).toBe(true)
  })

  it('grants exactly one of concurrent claims of one key, whatever their expiries', async () => {
    const dir = await tmp()
    const clock = createTestClock()
    let log = await open(dir, clock)
    const results = await Promise.all(
      Array.from({ length: 60 }, (_, i) => log.claim('same', start + minute + i * 10_000)),
    )
    expect(results.filter(Boolean)).toHaveLength(1)
    log = await reopen(log, dir, clock)
    const again = await Promise.all(Array.from({ length: 20 }, () => log.claim('same', start + 20 * minute)))
    expect(again.filter(Boolean)).toHaveLength(0)
  })

  it('writes claims that arrive together in one append and one flush per bucket (group commit)', async () => {
    const dir = await tmp()
    const calls: FaultStep[] = []
    const counting = faultyFileSystem((step) => {
      calls.push(step)
      return undefined
    })
    const log = await open(dir, createTestClock(), counting)
    const results = await Promise.all(Array.from({ length: 200 }, (_, i) => log.claim(`k-${i}`, start + minute)))
    expect(results.every(Boolean)).toBe(true)
    const writes = calls.filter((step) => step === 'write').length
    const flushes = calls.filter((step) => step === 'sync').length
    // The first claim starts an append at once; the other 199 arrive while it runs and share the next.
    expect(writes).toBe(2)
    expect(flushes).toBe(2)
    expect(calls.filter((step) => step === 'open')).toHaveLength(1)
    expect(calls.filter((step) => step === 'syncDirectory')).toHaveLength(1)
    expect((await readFile(join(dir, bucketFileName(start + 5 * minute)), 'utf8')).split('\n')).toHaveLength(201)
  })

  it('takes back every claim of a failed append, and leaves none of its bytes in the file', async () => {
    const dir = await tmp()
    const clock = createTestClock()
    const failing = { step: undefined as FaultStep | undefined }
    const failingBucket = bucketFileName(start + 10 * minute)
    const fileSystem = faultyFileSystem((step, path) =>
      step === failing.step && path.endsWith(failingBucket) ? 'ENOSPC' : undefined,
    )
    let log = await open(dir, clock, fileSystem)
    expect(await log.claim('before', start + 6 * minute)).toBe(true)
    const sizeBefore = (await stat(join(dir, failingBucket))).size
    for (const step of ['write', 'sync'] as const) {
      failing.step = step
      const burst = await Promise.allSettled([
        log.claim(`ok-${step}`, start + minute),
        ...Array.from({ length: 10 }, (_, i) => log.claim(`failed-${step}-${i}`, start + 6 * minute)),
      ])
      expect(burst[0]).toEqual({ status: 'fulfilled', value: true })
      for (const result of burst.slice(1)) {
        expect(result.status).toBe('rejected')
        if (result.status === 'rejected') expect(result.reason).toBeInstanceOf(StoreUnavailableError)
      }
      expect((await stat(join(dir, failingBucket))).size).toBe(sizeBefore)
    }
    log = await reopen(log, dir, clock)
    expect(await log.claim('before', start + 6 * minute)).toBe(false)
    expect(await log.claim('ok-write', start + minute)).toBe(false)
    for (let i = 0; i < 10; i++) expect(await log.claim(`failed-write-${i}`, start + 6 * minute)).toBe(true)
    for (let i = 0; i < 10; i++) expect(await log.claim(`failed-sync-${i}`, start + 6 * minute)).toBe(true)
  })

  it('cuts a failed append off before the next one when cutting it failed at first', async () => {
    const dir = await tmp()
    const clock = createTestClock()
    const failing = new Set<FaultStep>()
    const fileSystem = faultyFileSystem((step, path) =>
      failing.has(step) && path.includes('until-') ? 'EIO' : undefined,
    )
    let log = await open(dir, clock, fileSystem)
    expect(await log.claim('before', start + minute)).toBe(true)
    failing.add('write').add('truncate')
    await expect(log.claim('failed', start + minute)).rejects.toBeInstanceOf(StoreUnavailableError)
    failing.delete('write')
    // The half-written line is still there, and cannot be cut: nothing is appended after it.
    await expect(log.claim('blocked', start + minute)).rejects.toBeInstanceOf(StoreUnavailableError)
    failing.clear()
    expect(await log.claim('after', start + minute)).toBe(true)
    expect(await readFile(join(dir, bucketFileName(start + 5 * minute)), 'utf8')).toBe(
      `["before",${start + minute}]\n["after",${start + minute}]\n`,
    )
    log = await reopen(log, dir, clock)
    expect(await log.claim('failed', start + minute)).toBe(true)
    expect(await log.claim('blocked', start + minute)).toBe(true)
  })

  it('grants a claim that has already expired without writing it, and refuses expiries a Date cannot hold', async () => {
    const dir = await tmp()
    const log = await open(dir, createTestClock())
    expect(await log.claim('past', start)).toBe(true)
    expect(await log.claim('past', start)).toBe(true)
    expect(await readdir(dir)).toEqual([])
    for (const expiresAt of [Number.NaN, Number.POSITIVE_INFINITY, 1e300]) {
      await expect(log.claim('odd', expiresAt)).rejects.toBeInstanceOf(TypeError)
    }
  })
})

describe('replay files of an earlier version (replay/NN.json)', () => {
  it('moves their live claims into the logs at open and deletes them', async () => {
    const dir = await tmp()
    const clock = createTestClock()
    const shard = (claims: string) => `{"claims":{${claims}}}`
    await writeFile(
      join(dir, '00.json'),
      shard(`"__proto__":${start + minute},"live":${start + 7 * minute},"expired":${start},"odd":"x"`),
    )
    await writeFile(join(dir, '0f.json'), shard(`"constructor":${start + minute}`))
    await writeFile(join(dir, 'ff.json'), '{}')
    await writeFile(join(dir, 'notes.json'), 'not ours')
    let log = await open(dir, clock)
    expect((await readdir(dir)).sort()).toEqual(
      [bucketFileName(start + 5 * minute), bucketFileName(start + 10 * minute), 'notes.json'].sort(),
    )
    expect(await log.claim('__proto__', start + minute)).toBe(false)
    expect(await log.claim('constructor', start + minute)).toBe(false)
    expect(await log.claim('live', start + minute)).toBe(false)
    expect(await log.claim('expired', start + minute)).toBe(true)
    expect(await log.claim('odd', start + minute)).toBe(true)
    log = await reopen(log, dir, clock)
    expect(await log.claim('__proto__', start + minute)).toBe(false)
    expect(await log.claim('live', start + minute)).toBe(false)
  })

  it('are read again after a migration cut short, without granting anything twice', async () => {
    const dir = await tmp()
    const clock = createTestClock()
    const content = `{"claims":{"a":${start + minute},"b":${start + minute}}}`
    await writeFile(join(dir, '03.json'), content)
    const log = await open(dir, clock)
    await log.close()
    // As if the process died after flushing the logs but before deleting the old file.
    await writeFile(join(dir, '03.json'), content)
    const again = await open(dir, clock)
    expect(await again.claim('a', start + minute)).toBe(false)
    expect(await again.claim('b', start + minute)).toBe(false)
    expect(await readdir(dir)).toEqual([bucketFileName(start + 5 * minute)])
  })

  it('refuses to open over one that is not JSON, naming it', async () => {
    const dir = await tmp()
    await writeFile(join(dir, '07.json'), '{"claims":')
    await expect(open(dir, createTestClock())).rejects.toThrow(`the replay file ${join(dir, '07.json')}`)
  })

  it('keeps them while the logs cannot be written (a full disk): nothing is lost', async () => {
    const dir = await tmp()
    const clock = createTestClock()
    await writeFile(join(dir, '00.json'), `{"claims":{"a":${start + minute}}}`)
    const full = faultyFileSystem((step) => (step === 'write' ? 'ENOSPC' : undefined))
    await expect(open(dir, clock, full)).rejects.toBeInstanceOf(StoreUnavailableError)
    expect(await readdir(dir)).toContain('00.json')
    const log = await open(dir, clock)
    expect(await log.claim('a', start + minute)).toBe(false)
  })
})

describe('expiry buckets', () => {
  it('file a claim in the bucket whose end is the first boundary after its expiry', () => {
    expect(bucketEndOf(start)).toBe(start + bucketWidth)
    expect(bucketEndOf(start + bucketWidth - 1)).toBe(start + bucketWidth)
    expect(bucketEndOf(start + bucketWidth)).toBe(start + 2 * bucketWidth)
  })

  it('name their files so that the name reads back as the same end, and nothing else does', () => {
    for (const end of [start + bucketWidth, 0, -bucketWidth])
      expect(bucketEndFromFileName(bucketFileName(end))).toBe(end)
    for (const name of ['until-0123.log', 'until-1e3.log', 'until-.log', 'until-12.log.tmp', '03.json', 'x.log']) {
      expect(bucketEndFromFileName(name), name).toBeUndefined()
    }
  })
})
