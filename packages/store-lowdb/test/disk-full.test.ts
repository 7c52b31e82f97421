import { execFile } from 'node:child_process'
import { mkdtemp, open, readdir, readFile, rm, rmdir, unlink } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, describe, expect, it } from 'vitest'
import { createLowdbStore, type LowdbStore } from '../src/index.js'
import { openLowdbStore } from '../src/lowdb-store.js'
import { faultyFileSystem, tempFilesUnder } from './faulty-file-system.js'
import { lowdbBank, sharedPki } from './lowdb-bank.js'

const run = promisify(execFile)
const cleanUps: (() => Promise<void>)[] = []
afterAll(async () => {
  for (const cleanUp of cleanUps.splice(0).reverse()) await cleanUp()
  await (await sharedPki()).jwks.close()
})

const tmp = async () => {
  const dir = await mkdtemp(join(tmpdir(), 'open-dcr-disk-'))
  cleanUps.push(() => rm(dir, { recursive: true, force: true }))
  return dir
}

/** How many clients the store holds on disk. */
async function storedClients(dir: string): Promise<number> {
  const root = join(dir, 'clients')
  const folders = await readdir(root).catch(() => [] as string[])
  const files = await Promise.all(folders.map((folder) => readdir(join(root, folder))))
  return files.flat().filter((name) => name.endsWith('.json')).length
}

/** A disk that can be made full and freed again. */
interface Disk {
  fill(): Promise<void>
  free(): Promise<void>
}

/** Whether the replay logs hold a claim of the request `jwt`'s `jti`. */
async function claimOnDisk(dir: string, jwt: string): Promise<boolean> {
  const payload = JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as { jti: string }
  const root = join(dir, 'replay')
  const logs = await Promise.all((await readdir(root)).map((name) => readFile(join(root, name), 'utf8')))
  return logs.some((text) => text.includes(JSON.stringify(payload.jti).slice(1, -1)))
}

/**
 * Registration, secret rotation and a read through the middleware while the disk is full: 503
 * with Retry-After for writes, nothing half-written or left behind, reads still answered; once
 * space is back, the very request refused before is accepted when its replay claim failed (never
 * counted). On a real full disk the claim's line may still fit in a block its log already has, so
 * that only the client write fails: then the claim stands, and the retry needs a new `jti` (as the
 * README tells TPPs).
 */
async function fullDiskScenario(store: LowdbStore, dir: string, disk: Disk, claim: 'fails' | 'may fit'): Promise<void> {
  const bank = await lowdbBank(store)
  const first = await bank.register(await bank.sign())
  expect(first.status).toBe(201)
  const clientId = first.body.client_id as string
  const before = await store.get(clientId)

  await disk.fill()
  const jwt = await bank.sign()
  const refused = await bank.register(jwt)
  expect(refused.status).toBe(503)
  expect(refused.headers['retry-after']).toBe('30')
  expect(refused.body).toEqual({
    error: 'temporarily_unavailable',
    error_description: 'the registration service is temporarily unavailable; retry later',
  })
  const rotation = await bank.rotateSecret(clientId)
  expect(rotation.status).toBe(503)
  expect(rotation.headers['retry-after']).toBe('30')
  expect(await store.get(clientId)).toEqual(before)
  const read = await bank.read(clientId)
  expect(read.status).toBe(200)
  expect(read.body.client_id).toBe(clientId)
  expect(await storedClients(dir)).toBe(1)
  expect(await tempFilesUnder(dir)).toEqual([])

  const claimed = await claimOnDisk(dir, jwt)
  if (claim === 'fails') expect(claimed).toBe(false)
  await disk.free()
  if (claimed) {
    expect((await bank.register(jwt)).status).toBe(400)
    expect((await bank.register(await bank.sign())).status).toBe(201)
  } else {
    expect((await bank.register(jwt)).status).toBe(201)
    expect((await bank.register(jwt)).status).toBe(400)
  }
  expect((await bank.rotateSecret(clientId)).status).toBe(200)
  expect(await storedClients(dir)).toBe(2)
  expect(await tempFilesUnder(dir)).toEqual([])
}

/** Mounts a small tmpfs, or says why it cannot. */
async function smallTmpfs(): Promise<{ dir: string } | { reason: string }> {
  if (process.platform !== 'linux') return { reason: `tmpfs needs Linux, this is ${process.platform}` }
  const dir = await mkdtemp(join(tmpdir(), 'open-dcr-tmpfs-'))
  try {
    await run('mount', ['-t', 'tmpfs', '-o', 'size=1m,mode=0700', 'open-dcr-test', dir])
  } catch (err) {
    await rmdir(dir)
    const { stderr, message } = err as { stderr?: string; message: string }
    return { reason: (stderr || message).trim() }
  }
  cleanUps.push(async () => {
    await run('umount', [dir]).catch((err: Error) => console.error(`could not unmount ${dir}: ${err.message}`))
    await rmdir(dir).catch(() => {})
  })
  return { dir }
}

/** Fills the file system of `dir` with one file until a 1-byte write answers ENOSPC. */
async function fillUp(file: string): Promise<void> {
  const handle = await open(file, 'w')
  try {
    for (const size of [65_536, 4096, 1]) {
      const chunk = Buffer.alloc(size)
      for (;;) {
        const done = await handle.write(chunk).then(
          () => false,
          (err: NodeJS.ErrnoException) => {
            if (err.code === 'ENOSPC') return true
            throw err
          },
        )
        if (done) break
      }
    }
  } finally {
    await handle.close()
  }
}

describe('a full disk, through the middleware', () => {
  it('on a real full file system (a 1 MiB tmpfs): 503 with Retry-After, nothing stored or left, reads answered', async (context) => {
    const mounted = await smallTmpfs()
    if ('reason' in mounted) {
      console.warn(
        `tmpfs variant not run: cannot mount a tmpfs here (${mounted.reason}); the injected ENOSPC variant runs`,
      )
      context.skip()
      return
    }
    const dir = join(mounted.dir, 'data')
    const filler = join(mounted.dir, 'filler')
    const store = await createLowdbStore({ dir })
    try {
      await fullDiskScenario(store, dir, { fill: () => fillUp(filler), free: () => unlink(filler) }, 'may fit')
    } finally {
      await store.close()
    }
  })

  it('with writes failing on an injected ENOSPC (a real errno error from /dev/full): the same', async () => {
    const dir = await tmp()
    const full = { on: false }
    const store = await openLowdbStore(
      { dir },
      faultyFileSystem((step) => (full.on && step === 'write' ? 'ENOSPC' : undefined)),
    )
    try {
      await fullDiskScenario(
        store,
        dir,
        {
          fill: async () => {
            full.on = true
          },
          free: async () => {
            full.on = false
          },
        },
        'fails',
      )
    } finally {
      await store.close()
    }
  })

  it('when the client write fails after the replay claim was written: 503, and no client is stored', async () => {
    const dir = await tmp()
    const full = { on: false }
    const store = await openLowdbStore(
      { dir },
      faultyFileSystem((step, path) =>
        full.on && step === 'write' && path.includes('/clients/') ? 'ENOSPC' : undefined,
      ),
    )
    try {
      const bank = await lowdbBank(store)
      full.on = true
      const refused = await bank.register(await bank.sign())
      expect(refused.status).toBe(503)
      expect(refused.headers['retry-after']).toBe('30')
      expect(await storedClients(dir)).toBe(0)
      expect(await tempFilesUnder(dir)).toEqual([])
      full.on = false
      expect((await bank.register(await bank.sign())).status).toBe(201)
      expect(await storedClients(dir)).toBe(1)
    } finally {
      await store.close()
    }
  })
})
