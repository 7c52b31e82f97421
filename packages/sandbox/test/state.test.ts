import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { loadSandboxState } from '../src/state.js'

const dirs: string[] = []
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })))
})

describe('sandbox state keys', () => {
  it('keeps a PS256 key of an older state file and adds the missing alg keys and the authorization key', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'open-dcr-state-'))
    dirs.push(dir)
    const first = await loadSandboxState(dir, ['bank'])
    const file = join(dir, 'sandbox-state.json')
    // An older state file: brand keys (PS256) only.
    const { brandAlgKeys: _keys, authorizationKey: _key, ...older } = JSON.parse(await readFile(file, 'utf8'))
    await writeFile(file, JSON.stringify(older))

    const second = await loadSandboxState(dir, [{ id: 'bank', signingAlgorithms: ['PS256', 'ES256', 'RS256'] }])
    const ps256 = first.brandKeys.get('bank')?.kid
    expect(second.brandKeys.get('bank')?.kid).toBe(ps256)
    const keys = second.brandSigningKeys.get('bank')
    expect([...(keys?.keys() ?? [])]).toEqual(['PS256', 'ES256', 'RS256'])
    expect(keys?.get('PS256')?.kid).toBe(ps256)
    expect(keys?.get('ES256')?.publicJwk).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' })
    expect(keys?.get('RS256')?.publicJwk).toMatchObject({ kty: 'RSA', alg: 'RS256' })
    expect(keys?.get('RS256')?.kid).not.toBe(ps256)
    expect(second.authorizationKey).toHaveLength(32)

    const third = await loadSandboxState(dir, [{ id: 'bank', signingAlgorithms: ['PS256', 'ES256', 'RS256'] }])
    expect(third.brandSigningKeys.get('bank')?.get('ES256')?.kid).toBe(keys?.get('ES256')?.kid)
    expect(Buffer.from(third.authorizationKey).equals(Buffer.from(second.authorizationKey))).toBe(true)
    expect(third.brandSigningKeys.get('bank')?.get('PS256')?.publicJwk).not.toHaveProperty('d')
  })
})
