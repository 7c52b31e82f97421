import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { createLowdbStore, DataDirectoryLockedError, type LowdbStore } from '../src/index.js'
import { type FixtureMessage, type FixtureProcess, startFixture } from './child-process.js'

const dirs: string[] = []
const tmp = async () => {
  const dir = await mkdtemp(join(tmpdir(), 'open-dcr-lock-'))
  dirs.push(dir)
  return dir
}
const fixtures: FixtureProcess[] = []
const contender = () => {
  const fixture = startFixture('lock-contender')
  fixtures.push(fixture)
  return fixture
}
const stores: LowdbStore[] = []
afterEach(async () => {
  await Promise.all(stores.splice(0).map((store) => store.close()))
})
afterAll(async () => {
  await Promise.all(fixtures.splice(0).map((fixture) => fixture.stop()))
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })))
})

/**
 * Waits until the kernel reports `pid` dead, checking synchronously so that this process does not
 * reap it first: every thread gone and the process a zombie (which `kill(pid, 0)` calls alive), or
 * gone altogether. No fixed sleep.
 */
async function deadByKernel(pid: number, exited: Promise<void>): Promise<void> {
  if (process.platform !== 'linux') return exited
  const deadline = Date.now() + 30_000
  while (Date.now() < deadline) {
    try {
      const threads = readdirSync(`/proc/${pid}/task`)
      const state = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0]
      // A killed process's first thread turns zombie before the others have finished exiting.
      if (threads.length === 1 && state === 'Z') return
    } catch {
      return
    }
  }
  throw new Error(`process ${pid} still alive 30 s after SIGKILL`)
}

/** Generous: these tests start Node processes, slow on a busy 2-core machine; they never sleep. */
const multiProcessTimeout = 120_000

describe('data directory lock', () => {
  it('refuses the same process opening a directory twice, naming it and saying what to do', async () => {
    const dir = await tmp()
    stores.push(await createLowdbStore({ dir }))
    const again = createLowdbStore({ dir })
    await expect(again).rejects.toBeInstanceOf(DataDirectoryLockedError)
    await expect(again).rejects.toThrow(`data directory ${dir} is in use by process ${process.pid} (this process)`)
    await expect(again).rejects.toThrow(/close that store \(store.close\(\)\) before opening the directory again/)
    await expect(createLowdbStore({ dir: join(dir, '.', 'clients', '..') })).rejects.toBeInstanceOf(
      DataDirectoryLockedError,
    )
  })

  it('opens again once the holder closed, which removed its lock file', async () => {
    const dir = await tmp()
    const first = await createLowdbStore({ dir })
    expect(await readFile(join(dir, '.lock'), 'utf8')).toBe(`${process.pid}\n`)
    await first.close()
    expect(existsSync(join(dir, '.lock'))).toBe(false)
    const second = await createLowdbStore({ dir })
    stores.push(second)
    expect(await readFile(join(dir, '.lock'), 'utf8')).toBe(`${process.pid}\n`)
  })

  it.each([
    ['empty', ''],
    ['garbage', 'not a pid \u0000\u00ff'],
    ['pid 1 (a container restart)', '1'],
    ['this process id', String(process.pid)],
    ['the parent process id (alive)', String(process.ppid)],
    ['a pid that does not exist', '999999999'],
  ])('a lock file left behind never blocks: %s', async (_name, content) => {
    const dir = await tmp()
    await writeFile(join(dir, '.lock'), content)
    const store = await createLowdbStore({ dir })
    stores.push(store)
    expect(await readFile(join(dir, '.lock'), 'utf8')).toBe(`${process.pid}\n`)
    expect(await store.claim('jti', Date.now() + 60_000)).toBe(true)
  })

  it(
    'lets exactly one of two processes opening one directory at once win, 100 rounds out of 100',
    async () => {
      const a = contender()
      const b = contender()
      await Promise.all([a.next((m) => m.type === 'ready'), b.next((m) => m.type === 'ready')])
      const leftovers = ['', '1', String(a.child.pid), String(b.child.pid), 'garbage']
      const winners = { a: 0, b: 0 }
      for (let round = 0; round < 100; round++) {
        const dir = await tmp()
        // Every other round starts over a lock file left behind (the old scheme's worst case).
        if (round % 2 === 1) await writeFile(join(dir, '.lock'), leftovers[round % leftovers.length] ?? '')
        const first = round % 2 === 0 ? a : b
        const second = first === a ? b : a
        first.send({ type: 'open', dir, round })
        second.send({ type: 'open', dir, round })
        const inRound = (m: FixtureMessage) => m.round === round && (m.type === 'opened' || m.type === 'refused')
        const [fromA, fromB] = await Promise.all([a.next(inRound), b.next(inRound)])
        const opened = [fromA, fromB].filter((m) => m.type === 'opened')
        expect(opened, `round ${round}`).toHaveLength(1)
        const loser = fromA.type === 'refused' ? fromA : fromB
        expect(loser.name).toBe('DataDirectoryLockedError')
        expect(loser.message).toContain(`data directory ${dir} is in use by`)
        expect(loser.message).toContain('stop that process or give this one another data directory')
        const winner = fromA.type === 'opened' ? a : b
        winners[winner === a ? 'a' : 'b']++
        winner.send({ type: 'close', round })
        await winner.next((m) => m.type === 'closed' && m.round === round)
        await rm(dir, { recursive: true, force: true })
      }
      expect(winners.a + winners.b).toBe(100)
    },
    multiProcessTimeout,
  )

  it(
    'never lets two processes hold it while its holder closes (removing the lock file) at that moment',
    async () => {
      const dir = await tmp()
      const trio = [contender(), contender(), contender()]
      await Promise.all(trio.map((fixture) => fixture.next((m) => m.type === 'ready')))
      let holder = trio[0] as FixtureProcess
      holder.send({ type: 'open', dir, round: -1 })
      expect((await holder.next((m) => m.round === -1)).type).toBe('opened')
      let handovers = 0
      for (let round = 0; round < 100; round++) {
        const others = trio.filter((fixture) => fixture !== holder)
        holder.send({ type: 'close', round })
        for (const other of others) other.send({ type: 'open', dir, round })
        const inRound = (m: FixtureMessage) => m.round === round && (m.type === 'opened' || m.type === 'refused')
        const replies = await Promise.all(others.map((other) => other.next(inRound)))
        await holder.next((m) => m.type === 'closed' && m.round === round)
        const winners = others.filter((_, i) => replies[i]?.type === 'opened')
        expect(winners.length, `round ${round}`).toBeLessThanOrEqual(1)
        if (winners[0]) {
          holder = winners[0]
          handovers++
        } else {
          // Both tried while the holder still held it; one of them takes it now, alone.
          holder = others[0] as FixtureProcess
          holder.send({ type: 'open', dir, round: round + 0.5 })
          expect((await holder.next((m) => m.round === round + 0.5)).type).toBe('opened')
        }
      }
      holder.send({ type: 'close', round: 100 })
      await holder.next((m) => m.type === 'closed')
      expect(handovers).toBeGreaterThan(0)
    },
    multiProcessTimeout,
  )

  it(
    'opens at once after the holding process is killed with SIGKILL, in this process and in a new one',
    async () => {
      const dir = await tmp()
      const holder = contender()
      await holder.next((m) => m.type === 'ready')
      holder.send({ type: 'open', dir, round: 0 })
      expect((await holder.next((m) => m.round === 0)).type).toBe('opened')
      await expect(createLowdbStore({ dir })).rejects.toThrow(`is in use by process ${holder.child.pid}`)

      const pid = holder.child.pid ?? 0
      holder.child.kill('SIGKILL')
      await deadByKernel(pid, holder.exited)
      const restarted = await createLowdbStore({ dir })
      await restarted.close()

      await holder.exited
      const next = contender()
      await next.next((m) => m.type === 'ready')
      next.send({ type: 'open', dir, round: 1 })
      expect((await next.next((m) => m.round === 1)).type).toBe('opened')
      await expect(createLowdbStore({ dir })).rejects.toBeInstanceOf(DataDirectoryLockedError)
      next.send({ type: 'close', round: 1 })
      await next.next((m) => m.type === 'closed')
    },
    multiProcessTimeout,
  )
})
