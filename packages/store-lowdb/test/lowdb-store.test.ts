import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  createTestClock,
  describeClientStore,
  describeReplayStore,
  fullRecord,
  prototypeNames,
  type TestClock,
} from '@open-dcr/store-test-suite'
import { afterAll, describe, expect, it } from 'vitest'
import { createLowdbStore } from '../src/index.js'

const dirs: string[] = []
const tmp = async () => {
  const dir = await mkdtemp(join(tmpdir(), 'open-dcr-lowdb-'))
  dirs.push(dir)
  return dir
}
afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })))
})

/** A store over a new, empty folder for each conformance test. */
const conformanceStore = { create: async (clock: TestClock) => createLowdbStore({ dir: await tmp(), now: clock.now }) }
describeClientStore('lowdb', conformanceStore)
describeReplayStore('lowdb', conformanceStore)

describe('lowdb store on disk', () => {
  it('keeps clients and replay claims across close and reopen', async () => {
    const dir = await tmp()
    const clock = createTestClock()
    const record = fullRecord(clock.now())
    const first = await createLowdbStore({ dir, now: clock.now })
    await first.create(record)
    expect(await first.claim('jti-x', clock.now() + 60_000)).toBe(true)
    await first.close()
    const second = await createLowdbStore({ dir, now: clock.now })
    expect(await second.get(record.clientId)).toEqual(record)
    expect(await second.claim('jti-x', clock.now() + 60_000)).toBe(false)
    await second.close()
  })

  it('keeps claims of Object.prototype names across close and reopen', async () => {
    const dir = await tmp()
    const clock = createTestClock()
    const expiresAt = clock.now() + 60_000
    const first = await createLowdbStore({ dir, now: clock.now })
    for (const key of prototypeNames) expect(await first.claim(key, expiresAt)).toBe(true)
    await first.close()
    const [log] = await readdir(join(dir, 'replay'))
    const lines = (await readFile(join(dir, 'replay', log ?? 'none'), 'utf8')).trimEnd().split('\n')
    expect(lines.map((line) => (JSON.parse(line) as [string, number])[0]).sort()).toEqual([...prototypeNames].sort())
    const second = await createLowdbStore({ dir, now: clock.now })
    for (const key of prototypeNames) expect(await second.claim(key, expiresAt)).toBe(false)
    expect(await second.claim('fresh', expiresAt)).toBe(true)
    await second.close()
  })

  it('writes each client to its own small file and leaves no temporary files', async () => {
    const dir = await tmp()
    const clock = createTestClock()
    const store = await createLowdbStore({ dir, now: clock.now })
    const records = Array.from({ length: 50 }, () => fullRecord(clock.now()))
    await Promise.all(records.map((record) => store.create(record)))
    await store.close()
    const folders = await readdir(join(dir, 'clients'))
    const files = (await Promise.all(folders.map((f) => readdir(join(dir, 'clients', f))))).flat()
    expect(files).toHaveLength(50)
    expect(files.every((file) => /^[0-9a-f]{64}\.json$/.test(file))).toBe(true)
    const one = records[0]
    if (!one) throw new Error('no record')
    const raw = await Promise.all(
      folders.map((f) =>
        readdir(join(dir, 'clients', f)).then((names) => names.map((n) => join(dir, 'clients', f, n))),
      ),
    )
    const contents = await Promise.all(raw.flat().map((file) => readFile(file, 'utf8')))
    expect(contents.filter((text) => text.includes(one.clientId))).toHaveLength(1)
    expect(Math.max(...contents.map((text) => text.length))).toBeLessThan(4096)
  })

  it('refuses to work after close', async () => {
    const store = await createLowdbStore({ dir: await tmp() })
    await store.close()
    await expect(store.get('x')).rejects.toThrow(/closed/)
  })

  it('validates its options', async () => {
    await expect(createLowdbStore({ dir: '' })).rejects.toThrow(/"dir"/)
    await expect(createLowdbStore({ dir: await tmp(), replayShards: 0 })).rejects.toThrow(/"replayShards"/)
  })
})
