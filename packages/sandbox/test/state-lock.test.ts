import { mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { loadSandboxState } from '../src/state.js'
import { StateLockTimeoutError, withStateLock } from '../src/state-lock.js'

const dirs: string[] = []
const tmp = async () => {
  const dir = await mkdtemp(join(tmpdir(), 'open-dcr-state-lock-'))
  dirs.push(dir)
  return dir
}
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })))
})

describe('sandbox state lock', () => {
  it('lets instances starting together on a new data directory create one CA and one set of keys', async () => {
    const dir = await tmp()
    const states = await Promise.all(
      Array.from({ length: 3 }, () => withStateLock(dir, () => loadSandboxState(dir, ['bank']))),
    )
    const [first, ...others] = states
    for (const state of others) {
      expect(state.ca.certPem).toBe(first?.ca.certPem)
      expect(state.directory.jwks).toEqual(first?.directory.jwks)
      expect(state.brandKeys.get('bank')?.kid).toBe(first?.brandKeys.get('bank')?.kid)
      expect(Buffer.from(state.authorizationKey).equals(Buffer.from(first?.authorizationKey ?? []))).toBe(true)
    }
    expect(await readdir(dir)).not.toContain('.state.lock')
  })

  it('runs one holder at a time and releases the lock when the work fails', async () => {
    const dir = await tmp()
    let inside = 0
    let most = 0
    const work = async () => {
      most = Math.max(most, ++inside)
      await new Promise((done) => setTimeout(done, 30))
      inside--
    }
    await Promise.all(Array.from({ length: 4 }, () => withStateLock(dir, work)))
    expect(most).toBe(1)
    await expect(withStateLock(dir, async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom')
    expect(await withStateLock(dir, async () => 'free again')).toBe('free again')
  })

  it('takes over a lock abandoned by a process that died, and waits for a live one until its deadline', async () => {
    const dir = await tmp()
    const lock = join(dir, '.state.lock')
    await writeFile(lock, 'another host pid 1')
    const old = new Date(Date.now() - 60_000)
    await utimes(lock, old, old)
    expect(await withStateLock(dir, async () => 'taken over')).toBe('taken over')

    await writeFile(lock, 'another host pid 2')
    const waiting = withStateLock(dir, async () => 'never', 300)
    await expect(waiting).rejects.toBeInstanceOf(StateLockTimeoutError)
    await expect(waiting).rejects.toThrow(/if no instance is starting, remove the file/)
  })
})
