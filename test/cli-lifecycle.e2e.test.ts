import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDcr, openDcrJson } from './cli-runner.js'
import { cleanUp, dcrServiceToken, sandbox, tempDir } from './helpers.js'

let bank: Awaited<ReturnType<typeof sandbox>>
let dir: string
beforeAll(async () => {
  bank = await sandbox()
  dir = await tempDir()
})
afterAll(async () => {
  await bank?.close()
  await cleanUp()
})

const redirects = ['https://tpp.example/cb', 'https://tpp.example/other']

describe.each([
  { profile: 'ob-uk', brand: 'northbank-personal', listener: 'mtls' as const },
  { profile: 'rfc7591', brand: 'meridian-connect', listener: 'http' as const },
  { profile: 'eidas', brand: 'continental-corporate', listener: 'mtls' as const },
])('open-dcr client lifecycle on the $profile brand', ({ brand, listener }) => {
  it('kit create → register → client get → update → rotate → token → delete → get refused', async () => {
    const url = bank.urls[listener]
    const kitFile = join(dir, `${brand}.json`)
    const created = await openDcrJson(
      'kit',
      'create',
      '--sandbox',
      bank.urls.http,
      '--redirect-uris',
      redirects.join(','),
      '--out',
      kitFile,
    )
    const kit = JSON.parse(await readFile(kitFile, 'utf8')) as { software_id: string; redirect_uris: string[] }
    expect(created.software_id).toBe(kit.software_id)
    expect(kit.redirect_uris).toEqual(redirects)

    const portal = brand === 'continental-corporate' ? ['--portal-token', await dcrServiceToken(bank.urls.http)] : []
    const target = ['--sandbox', url, '--brand', brand, '--kit', kitFile]
    const client = await openDcrJson('register', ...target, ...portal)
    const clientId = String(client.client_id)
    expect(client.redirect_uris).toEqual(redirects)
    let token = String(client.registration_access_token)
    const manage = ['--client-id', clientId]
    const follow = (answer: Record<string, unknown>) => {
      if (typeof answer.registration_access_token === 'string') token = answer.registration_access_token
      return answer
    }

    const read = follow(await openDcrJson('client', 'get', ...target, ...manage, '--token', token))
    expect(read).toMatchObject({ client_id: clientId, redirect_uris: redirects })

    const updated = follow(
      await openDcrJson(
        'client',
        'update',
        ...target,
        ...manage,
        '--token',
        token,
        '--redirect-uris',
        redirects[1] ?? '',
        '--metadata',
        '{"client_name":"CLI renamed"}',
      ),
    )
    expect(updated).toMatchObject({ client_id: clientId, redirect_uris: [redirects[1]], client_name: 'CLI renamed' })
    const withNull = await openDcr(
      'client',
      'update',
      ...target,
      ...manage,
      '--token',
      token,
      '--metadata',
      '{"client_name":null}',
    )
    expect(withNull.code).not.toBe(0)
    expect(withNull.stderr).toContain('"client_name" is null: to drop a field use `client update --unset client_name`')
    const unset = follow(
      await openDcrJson('client', 'update', ...target, ...manage, '--token', token, '--unset', 'client_name'),
    )
    expect(unset.client_name).toBeUndefined()
    // The update starts from the registration as it is now, not from the kit: the redirect URI set above stays.
    expect(unset.redirect_uris).toEqual([redirects[1]])

    const method = String(client.token_endpoint_auth_method)
    let secret = typeof client.client_secret === 'string' ? client.client_secret : undefined
    const rotated = await openDcr('--json', 'client', 'rotate', ...target, ...manage, '--token', token)
    if (secret) {
      expect(rotated.code).toBe(0)
      const fresh = follow(JSON.parse(rotated.stdout) as Record<string, unknown>)
      expect(fresh.client_secret).toEqual(expect.any(String))
      expect(fresh.client_secret).not.toBe(secret)
      secret = String(fresh.client_secret)
    } else {
      expect(rotated.code).toBe(1)
      expect(JSON.parse(rotated.stdout)).toMatchObject({ error: expect.any(String) })
    }

    const auth = ['--method', method, ...(secret ? ['--client-secret', secret] : [])]
    const issued = await openDcrJson('token', ...target, ...manage, ...auth)
    expect(issued).toMatchObject({ token_type: 'Bearer', access_token: expect.any(String) })
    const byAccessToken = await openDcrJson(
      'client',
      'get',
      ...target,
      ...manage,
      '--token',
      String(issued.access_token),
    )
    expect(byAccessToken).toMatchObject({ client_id: clientId })

    const deleted = await openDcr('client', 'delete', ...target, ...manage, '--token', token)
    expect(deleted.stderr).toBe('')
    expect(deleted.code).toBe(0)
    expect(deleted.stdout).toContain(`deleted ${clientId}`)

    const after = await openDcr('client', 'get', ...target, ...manage, '--token', token)
    expect(after.code).toBe(1)
    expect(after.stderr).toMatch(/^open-dcr: invalid_token.*\(HTTP 401\)/)
  })
})
