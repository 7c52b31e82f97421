import { join } from 'node:path'
import { decodeJwt } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDcr, openDcrJson } from './cli-runner.js'
import { cleanUp, sandbox, tempDir } from './helpers.js'

let bank: Awaited<ReturnType<typeof sandbox>>
let kitFile: string
beforeAll(async () => {
  bank = await sandbox()
  kitFile = join(await tempDir(), 'kit.json')
  await openDcrJson('kit', 'create', '--sandbox', bank.urls.http, '--out', kitFile)
})
afterAll(async () => {
  await bank?.close()
  await cleanUp()
})

describe('open-dcr authorize, portal-app create and human-readable output', () => {
  it('authorize: request object with PKCE S256, consent approved, code exchanged for tokens', async () => {
    const target = ['--sandbox', bank.urls.mtls, '--brand', 'northbank-personal', '--kit', kitFile]
    const client = await openDcrJson('register', ...target)
    const tokens = await openDcrJson(
      'authorize',
      ...target,
      '--client-id',
      String(client.client_id),
      '--scope',
      'openid accounts',
    )
    expect(tokens).toMatchObject({ token_type: 'Bearer', scope: 'openid accounts', id_token: expect.any(String) })
    expect(decodeJwt(String(tokens.access_token))).toMatchObject({ client_id: client.client_id })
    expect(decodeJwt(String(tokens.id_token))).toMatchObject({ aud: client.client_id })

    const refused = await openDcr('authorize', ...target, '--client-id', 'no-such-client')
    expect(refused.code).toBe(1)
    expect(refused.stderr).toMatch(/^open-dcr: \w+/)
  })

  it('sign-request reads the audience from the brand’s discovery document', async () => {
    const signed = await openDcr(
      'sign-request',
      '--kit',
      kitFile,
      '--sandbox',
      bank.urls.http,
      '--brand',
      'northbank-personal',
    )
    expect(signed.code).toBe(0)
    expect(decodeJwt(signed.stdout.trim())).toMatchObject({ aud: `${bank.urls.http}/northbank-personal` })
    const scripted = await openDcrJson('sign-request', '--kit', kitFile, '--audience', 'https://bank.example')
    expect(scripted).toEqual({ jwt: expect.any(String), content_type: 'application/jose', aud: 'https://bank.example' })
    expect(decodeJwt(String(scripted.jwt))).toMatchObject({ aud: 'https://bank.example' })
    const neither = await openDcr('sign-request', '--kit', kitFile)
    expect(neither.code).toBe(1)
    expect(neither.stderr).toMatch(/give --audience, or --sandbox and --brand/)
  })

  it('portal-app create gives a client that gets a DCR-service token', async () => {
    const app = await openDcrJson('portal-app', 'create', '--sandbox', bank.urls.http, '--name', 'CLI portal app')
    expect(app).toMatchObject({ client_id: expect.any(String), client_secret: expect.any(String) })
    const token = await openDcrJson(
      'token',
      '--sandbox',
      bank.urls.http,
      '--brand',
      'continental-corporate',
      '--kit',
      kitFile,
      '--client-id',
      String(app.client_id),
      '--client-secret',
      String(app.client_secret),
      '--method',
      'client_secret_basic',
    )
    expect(token).toMatchObject({ token_type: 'Bearer', access_token: expect.any(String) })
  })

  it('prints name: value lines by default and the server’s error on stderr with exit 1', async () => {
    const target = ['--sandbox', bank.urls.http, '--brand', 'meridian-connect', '--kit', kitFile]
    const registered = await openDcr('register', ...target)
    expect(registered.code).toBe(0)
    expect(registered.stdout).toMatch(/^client_id: \S+$/m)
    expect(() => JSON.parse(registered.stdout)).toThrow()
    const trailing = await openDcr('register', ...target, '--json')
    expect(trailing.code).toBe(0)
    expect(JSON.parse(trailing.stdout)).toHaveProperty('client_id')
    const notObject = await openDcr('register', ...target, '--metadata', '[1]')
    expect(notObject.code).toBe(1)
    expect(notObject.stderr).toMatch(/must be a JSON object/)
    const badMethod = await openDcr('token', ...target, '--client-id', 'x', '--method', 'none')
    expect(badMethod.code).toBe(1)
    expect(badMethod.stderr).toMatch(/--method must be private_key_jwt, tls_client_auth/)
    const refused = await openDcr('register', ...target, '--metadata', '{"redirect_uris":["http://evil.example/cb"]}')
    expect(refused.code).toBe(1)
    expect(refused.stdout).toBe('')
    expect(refused.stderr).toMatch(/^open-dcr: invalid_\w+: .+ \(HTTP 400\)$/m)
  })
})
