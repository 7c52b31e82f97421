import { unlinkSync } from 'node:fs'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, expect, it, vi } from 'vitest'
import { createLowdbStore } from '../src/index.js'
import { startFixture } from './child-process.js'

// Runs a step just before the lock is taken: the moment another holder's close can remove the file.
const hooks = vi.hoisted(() => ({ beforeLock: undefined as (() => void) | undefined }))
vi.mock('../src/native-file-lock.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../src/native-file-lock.js')>()
  return {
    tryLockExclusive: (fd: number) => {
      const step = hooks.beforeLock
      hooks.beforeLock = undefined
      step?.()
      return real.tryLockExclusive(fd)
    },
  }
})

const dirs: string[] = []
afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })))
})

it('locks the file the path names when the previous holder removed it between open and lock', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'open-dcr-lock-replaced-'))
  dirs.push(dir)
  await writeFile(join(dir, '.lock'), 'the previous holder')
  hooks.beforeLock = () => unlinkSync(join(dir, '.lock'))
  const store = await createLowdbStore({ dir })
  expect(hooks.beforeLock).toBeUndefined()
  expect(await readFile(join(dir, '.lock'), 'utf8')).toBe(`${process.pid}\n`)

  // Had it kept the lock on the removed file, another process would now lock the new one.
  const other = startFixture('lock-contender')
  try {
    await other.next((m) => m.type === 'ready')
    other.send({ type: 'open', dir, round: 0 })
    const reply = await other.next((m) => m.round === 0)
    expect(reply.type).toBe('refused')
    expect(reply.message).toContain(`is in use by process ${process.pid}`)
  } finally {
    await other.stop()
    await store.close()
  }
})
