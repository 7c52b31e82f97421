import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { silentLogger } from '@open-dcr/express'
import { startSandbox } from '@open-dcr/sandbox'
import { describe, expect, it } from 'vitest'
import { runJourney } from '../src/journey.js'

describe('examples/tpp-register', () => {
  it('runs kit → register → token → GET → rotate → delete against a running sandbox', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'open-dcr-tpp-example-'))
    const sandbox = await startSandbox({ port: 0, mtlsPort: 0, dataDir, logger: silentLogger })
    try {
      const steps = await runJourney(sandbox.urls.http)
      expect(steps.map((s) => `${s.status} ${s.name}`)).toEqual([
        '201 create kit',
        '200 discovery',
        '201 register',
        '200 token',
        '200 read',
        '200 rotate secret',
        '204 delete',
      ])
      const registered = steps[2]?.body ?? {}
      const rotated = steps[5]?.body ?? {}
      expect(rotated.client_secret).not.toBe(registered.client_secret)
      expect(await sandbox.store.get(String(registered.client_id))).toBeUndefined()
    } finally {
      await sandbox.close()
      await rm(dataDir, { recursive: true, force: true })
    }
  })
})
