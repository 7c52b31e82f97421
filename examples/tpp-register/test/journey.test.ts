import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { silentLogger } from '@open-dcr/express'
import { startSandbox } from '@open-dcr/sandbox'
import { describe, expect, it } from 'vitest'
import { runJourney } from '../src/journey.js'

describe('examples/tpp-register', () => {
  it('runs kit → register → token → GET → rotate → code flow with a verified ID token → delete against a running sandbox', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'open-dcr-tpp-example-'))
    const sandbox = await startSandbox({ port: 0, mtlsPort: 0, dataDir, logger: silentLogger })
    try {
      const steps = await runJourney(sandbox.urls.http)
      expect(steps.map((s) => `${s.status ?? 'ok'} ${s.name}`)).toEqual([
        '201 create kit',
        '200 discovery',
        '201 register',
        '200 token',
        '200 read',
        '200 rotate secret',
        '200 authorize',
        '200 approve',
        '200 token (authorization_code)',
        '200 brand JWKS',
        'ok verify ID token',
        '204 delete',
      ])
      const registered = steps[2]?.body ?? {}
      const rotated = steps[5]?.body ?? {}
      expect(rotated.client_secret).not.toBe(registered.client_secret)
      const tokens = steps[8]?.body ?? {}
      expect(tokens).toMatchObject({ token_type: 'Bearer', scope: 'openid accounts' })
      expect(tokens.refresh_token).toEqual(expect.any(String))
      expect(steps[10]?.body).toMatchObject({
        iss: `${sandbox.urls.http}/northbank-personal`,
        aud: registered.client_id,
        sub: 'sandbox-psu-0001',
      })
      expect(await sandbox.store.get(String(registered.client_id))).toBeUndefined()
    } finally {
      await sandbox.close()
      await rm(dataDir, { recursive: true, force: true })
    }
  })
})
