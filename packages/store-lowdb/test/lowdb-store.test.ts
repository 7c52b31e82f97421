import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createTestClock, describeClientStore, fullRecord } from '@open-dcr/store-test-suite'
import { afterAll, describe, expect, it } from 'vitest'
import { createLowdbStore, DataDirectoryLockedError } from '../src/index.js'

const dirs: string[] = []
const tmp = async () => {
  const dir = await mkdtemp(join(tmpdir(), 'open-dcr-lowdb-'))
  dirs.push(dir)
  return dir
}
afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })))
})

describeClientStore('lowdb', { create: async (clock) => createLowdbStore({ dir: await tmp(), now: clock.now }) })

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

  it('refuses a directory that a live process holds, naming the process', async () => {
    const dir = await tmp()
    const store = await createLowdbStore({ dir })
    const again = createLowdbStore({ dir })
    await expect(again).rejects.toBeInstanceOf(DataDirectoryLockedError)
    await expect(again).rejects.toThrow(`is in use by process ${process.pid} (this process)`)
    await store.close()
    const reopened = await createLowdbStore({ dir })
    await reopened.close()
  })

  it('takes over a lock left by a process that is gone', async () => {
    const dir = await tmp()
    await writeFile(join(dir, '.lock'), '999999999')
    const store = await createLowdbStore({ dir })
    expect(await readFile(join(dir, '.lock'), 'utf8')).toBe(String(process.pid))
    await store.close()
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
