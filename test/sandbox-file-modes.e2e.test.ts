import { chmod, readdir, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { call, cleanUp, sandbox, tempDir } from './helpers.js'

afterAll(cleanUp)

const mode = async (path: string) => (await stat(path)).mode & 0o777
const jsonFiles = async (dir: string) =>
  (await readdir(dir)).filter((name) => name.endsWith('.json')).map((name) => join(dir, name))

/** Every file of the data directory holding private keys or secrets, with the folders they are in. */
async function privatePaths(dataDir: string): Promise<{ files: string[]; dirs: string[] }> {
  const dirs = [join(dataDir, 'kits'), join(dataDir, 'portal-apps')]
  const files = [
    join(dataDir, 'sandbox-state.json'),
    ...(await jsonFiles(dirs[0] ?? '')),
    ...(await jsonFiles(dirs[1] ?? '')),
  ]
  return { files, dirs }
}

describe('sandbox files holding private keys', () => {
  it('are written 0600 in 0700 folders, and a new data directory is 0700', async () => {
    const dataDir = join(await tempDir(), 'data')
    const bank = await sandbox({ dataDir })
    try {
      expect((await call(`${bank.urls.http}/sandbox/tpps`, { body: {} })).status).toBe(201)
      expect((await call(`${bank.urls.http}/sandbox/portal-apps`, { body: {} })).status).toBe(201)
    } finally {
      await bank.close()
    }
    const { files, dirs } = await privatePaths(dataDir)
    expect(files).toHaveLength(3)
    for (const file of files) expect((await mode(file)).toString(8), file).toBe('600')
    for (const dir of [dataDir, ...dirs]) expect((await mode(dir)).toString(8), dir).toBe('700')
  })

  it('are tightened on start when an earlier version left them readable by others', async () => {
    const dataDir = await tempDir()
    const first = await sandbox({ dataDir })
    await call(`${first.urls.http}/sandbox/tpps`, { body: {} })
    await call(`${first.urls.http}/sandbox/portal-apps`, { body: {} })
    await first.close()
    const { files, dirs } = await privatePaths(dataDir)
    await Promise.all([...files.map((file) => chmod(file, 0o644)), ...dirs.map((dir) => chmod(dir, 0o755))])

    const second = await sandbox({ dataDir })
    await second.close()
    for (const file of files) expect((await mode(file)).toString(8), file).toBe('600')
    for (const dir of dirs) expect((await mode(dir)).toString(8), dir).toBe('700')
  })
})
