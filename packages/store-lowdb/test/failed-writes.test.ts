import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { StoreUnavailableError } from '@open-dcr/express'
import { createTestClock, fullRecord, minimalRecord } from '@open-dcr/store-test-suite'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { createLowdbStore, DataDirectoryLockedError, type LowdbStore } from '../src/index.js'
import { openLowdbStore } from '../src/lowdb-store.js'
import { startFixture } from './child-process.js'
import { type FaultStep, faultyFileSystem, tempFilesUnder } from './faulty-file-system.js'

const dirs: string[] = []
const tmp = async () => {
  const dir = await mkdtemp(join(tmpdir(), 'open-dcr-writes-'))
  dirs.push(dir)
  return dir
}
const stores: LowdbStore[] = []
afterEach(async () => {
  await Promise.all(stores.splice(0).map((store) => store.close()))
})
afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })))
})

/** A store whose writes to client files (or replay files) fail at `step` with `code` while `failing.on`. */
async function storeFailing(step: FaultStep, code: string, under: 'clients' | 'replay' = 'clients') {
  const dir = await tmp()
  const clock = createTestClock()
  const failing = { on: false }
  const fileSystem = faultyFileSystem((at, path) =>
    failing.on && at === step && path.includes(`/${under}/`) ? code : undefined,
  )
  const store = await openLowdbStore({ dir, now: clock.now }, fileSystem)
  stores.push(store)
  return { dir, clock, store, failing }
}

const writeSteps: FaultStep[] = ['open', 'write', 'sync', 'close', 'rename']

describe('a write that fails', () => {
  it.each(writeSteps)('at %s leaves no temporary file and the previous version intact (ENOSPC)', async (step) => {
    const { dir, clock, store, failing } = await storeFailing(step, 'ENOSPC')
    const record = fullRecord(clock.now())
    await store.create(record)
    failing.on = true

    const next = { ...record, metadata: { client_name: 'v2' }, version: 2 }
    const update = store.update(next, 1)
    await expect(update).rejects.toBeInstanceOf(StoreUnavailableError)
    await expect(update).rejects.toThrow(/no space left on device \(ENOSPC\)/)
    expect(await store.get(record.clientId)).toEqual(record)

    const other = minimalRecord(clock.now())
    await expect(store.create(other)).rejects.toBeInstanceOf(StoreUnavailableError)
    expect(await store.get(other.clientId)).toBeUndefined()
    expect(await tempFilesUnder(dir)).toEqual([])

    failing.on = false
    expect(await store.update(next, 1)).toBe(true)
    await store.create(other)
    expect(await store.get(other.clientId)).toEqual(other)
  })

  it.each(['ENOSPC', 'EDQUOT', 'EROFS', 'EIO'])('with %s is StoreUnavailableError with a Retry-After', async (code) => {
    const { store, clock, failing } = await storeFailing('write', code)
    failing.on = true
    const error = await store.create(minimalRecord(clock.now())).catch((err: unknown) => err)
    expect(error).toBeInstanceOf(StoreUnavailableError)
    expect((error as StoreUnavailableError).retryAfter).toBe(30)
    expect(((error as Error).cause as NodeJS.ErrnoException).code).toBe(code)
  })

  it('for any other reason is passed on as it is, still leaving no temporary file', async () => {
    const { dir, store, clock, failing } = await storeFailing('rename', 'EACCES')
    failing.on = true
    const error = await store.create(minimalRecord(clock.now())).catch((err: unknown) => err)
    expect(error).not.toBeInstanceOf(StoreUnavailableError)
    expect((error as NodeJS.ErrnoException).code).toBe('EACCES')
    expect(await tempFilesUnder(dir)).toEqual([])
  })

  it('to flush the folder after the rename takes a new client back', async () => {
    const { dir, store, clock, failing } = await storeFailing('syncDirectory', 'EIO')
    failing.on = true
    const record = minimalRecord(clock.now())
    await expect(store.create(record)).rejects.toBeInstanceOf(StoreUnavailableError)
    expect(await store.get(record.clientId)).toBeUndefined()
    expect(await tempFilesUnder(dir)).toEqual([])
  })

  it('of a replay claim does not count as claimed, for any claim sharing the write', async () => {
    const { dir, store, clock, failing } = await storeFailing('write', 'ENOSPC', 'replay')
    const expiresAt = clock.now() + 60_000
    expect(await store.claim('before', expiresAt)).toBe(true)
    failing.on = true
    const burst = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => store.claim(`jti-${i}`, expiresAt)))
    for (const result of burst) {
      expect(result.status).toBe('rejected')
      if (result.status === 'rejected') expect(result.reason).toBeInstanceOf(StoreUnavailableError)
    }
    expect(await tempFilesUnder(dir)).toEqual([])
    failing.on = false
    for (let i = 0; i < 20; i++) expect(await store.claim(`jti-${i}`, expiresAt)).toBe(true)
    expect(await store.claim('before', expiresAt)).toBe(false)
  })

  it('keeps reads answering while writes fail', async () => {
    const { store, clock, failing } = await storeFailing('write', 'ENOSPC')
    const record = fullRecord(clock.now())
    await store.create(record)
    failing.on = true
    await expect(store.create(minimalRecord(clock.now()))).rejects.toBeInstanceOf(StoreUnavailableError)
    expect(await store.get(record.clientId)).toEqual(record)
    expect(await store.get('unknown')).toBeUndefined()
  })
})

describe('temporary files left by a process that died mid-write', () => {
  it('are removed when the store opens, and nothing else is', async () => {
    const dir = await tmp()
    const record = fullRecord(Date.now())
    const first = await createLowdbStore({ dir })
    await first.create(record)
    expect(await first.claim('jti', Date.now() + 60_000)).toBe(true)
    await first.close()
    const folder = (await readdir(join(dir, 'clients')))[0] ?? 'none'
    const leftovers = [
      `clients/${folder}/.${'a'.repeat(64)}.json.4242.7.tmp`,
      'replay/.03.json.4242.8.tmp',
      'replay/.until-1767225900000.log.4242.9.tmp',
      '.stray.tmp',
    ]
    await mkdir(join(dir, 'clients', 'ff'), { recursive: true })
    leftovers.push('clients/ff/.x.json.1.1.tmp')
    for (const file of leftovers) await writeFile(join(dir, file), '{"half":')
    await writeFile(join(dir, 'notes.txt'), 'kept')

    const second = await createLowdbStore({ dir })
    stores.push(second)
    expect(await tempFilesUnder(dir)).toEqual([])
    expect(await second.get(record.clientId)).toEqual(record)
    expect(await second.claim('jti', Date.now() + 60_000)).toBe(false)
    expect(await readdir(dir)).toContain('notes.txt')
  })

  it('are left alone while another process holds the directory', async () => {
    const dir = await tmp()
    const holder = startFixture('lock-contender')
    try {
      await holder.next((m) => m.type === 'ready')
      holder.send({ type: 'open', dir, round: 0 })
      expect((await holder.next((m) => m.round === 0)).type).toBe('opened')
      await writeFile(join(dir, 'replay', '.00.json.1.1.tmp'), 'a write under way')
      await expect(createLowdbStore({ dir })).rejects.toBeInstanceOf(DataDirectoryLockedError)
      expect(await tempFilesUnder(dir)).toEqual(['replay/.00.json.1.1.tmp'])
    } finally {
      await holder.stop()
    }
  })
})
