import { execFile } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { decodeJwt } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { call, cleanUp, dcrServiceToken, sandbox, tempDir } from './helpers.js'

const run = promisify(execFile)
const root = fileURLToPath(new URL('..', import.meta.url))
const cli = join(root, 'packages/testkit/src/cli.ts')

/** Runs `open-dcr --json` from source (these tests parse its output); resolves with exit code and output. */
async function openDcr(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(
      process.execPath,
      ['--conditions=source', '--import', 'tsx', cli, '--json', ...args],
      {
        cwd: root,
        timeout: 60_000,
      },
    )
    return { code: 0, stdout, stderr }
  } catch (err) {
    const failed = err as { code?: number; stdout?: string; stderr?: string }
    return {
      code: typeof failed.code === 'number' ? failed.code : 1,
      stdout: failed.stdout ?? '',
      stderr: failed.stderr ?? '',
    }
  }
}

let bank: Awaited<ReturnType<typeof sandbox>>
let dir: string
let kitFile: string
beforeAll(async () => {
  bank = await sandbox()
  dir = await tempDir()
  kitFile = join(dir, 'kit.json')
})
afterAll(async () => {
  await bank?.close()
  await cleanUp()
})

describe('open-dcr CLI against a running sandbox', () => {
  it('kit create → sign-request → register (mutual TLS) → token → http-sign', async () => {
    const created = await openDcr(
      'kit',
      'create',
      '--sandbox',
      bank.urls.http,
      '--roles',
      'AISP,PISP',
      '--out',
      kitFile,
    )
    expect(created.code).toBe(0)
    const kit = JSON.parse(await readFile(kitFile, 'utf8')) as { software_id: string }
    expect(JSON.parse(created.stdout)).toEqual({ software_id: kit.software_id, written: kitFile })

    const signed = await openDcr(
      'sign-request',
      '--kit',
      kitFile,
      '--audience',
      'https://bank.example',
      '--metadata',
      '{"client_name":"CLI app"}',
    )
    expect(signed.code).toBe(0)
    const request = JSON.parse(signed.stdout) as { jwt: string; content_type: string }
    expect(request.content_type).toBe('application/jose')
    expect(decodeJwt(request.jwt)).toMatchObject({
      iss: kit.software_id,
      aud: 'https://bank.example',
      client_name: 'CLI app',
      scope: 'openid accounts payments',
    })

    const registered = await openDcr(
      'register',
      '--sandbox',
      bank.urls.mtls,
      '--brand',
      'northbank-personal',
      '--kit',
      kitFile,
    )
    expect(registered.stderr).toBe('')
    expect(registered.code).toBe(0)
    const client = JSON.parse(registered.stdout) as { client_id: string; software_id: string }
    expect(client.software_id).toBe(kit.software_id)

    const token = await openDcr(
      'token',
      '--sandbox',
      bank.urls.mtls,
      '--brand',
      'northbank-personal',
      '--kit',
      kitFile,
      '--client-id',
      client.client_id,
    )
    expect(token.code).toBe(0)
    expect(JSON.parse(token.stdout)).toMatchObject({ token_type: 'Bearer', scope: 'openid accounts payments' })

    const sign = await openDcr(
      'http-sign',
      '--kit',
      kitFile,
      '--method',
      'POST',
      '--path',
      '/continental-corporate/client/v1/register',
      '--body',
      '{}',
    )
    expect(sign.code).toBe(0)
    const headers = JSON.parse(sign.stdout) as { signing_string: string; headers: Record<string, string> }
    const verified = await call(`${bank.urls.http}/sandbox/http-signatures/verify`, {
      body: { method: 'POST', path: '/continental-corporate/client/v1/register', body: '{}', headers: headers.headers },
    })
    expect(verified.body).toMatchObject({ valid: true })
  })

  it('registers over plain HTTP (certificate in X-Client-Certificate) and with the eidas brand', async () => {
    const plain = await openDcr(
      'register',
      '--sandbox',
      bank.urls.http,
      '--brand',
      'northbank-business',
      '--kit',
      kitFile,
    )
    expect(plain.code).toBe(0)
    expect(JSON.parse(plain.stdout)).toHaveProperty('client_id')

    const portalToken = await dcrServiceToken(bank.urls.http)
    const eidas = await openDcr(
      'register',
      '--sandbox',
      bank.urls.mtls,
      '--brand',
      'continental-corporate',
      '--kit',
      kitFile,
      '--profile',
      'eidas',
      '--portal-token',
      portalToken,
    )
    expect(eidas.stderr).toBe('')
    expect(eidas.code).toBe(0)
    expect(JSON.parse(eidas.stdout)).toMatchObject({ client_secret_expires_at: 0 })
  })

  it('builds the request as the brand describes it in GET /brands, without --profile', async () => {
    const portalToken = await dcrServiceToken(bank.urls.http)
    const eidas = await openDcr(
      'register',
      '--sandbox',
      bank.urls.mtls,
      '--brand',
      'continental-corporate',
      '--kit',
      kitFile,
      '--portal-token',
      portalToken,
    )
    expect(eidas.stderr).toBe('')
    expect(eidas.code).toBe(0)
    expect(JSON.parse(eidas.stdout)).toMatchObject({ client_secret_expires_at: 0 })
    const json = await openDcr('register', '--sandbox', bank.urls.http, '--brand', 'meridian-connect', '--kit', kitFile)
    expect(json.stderr).toBe('')
    expect(json.code).toBe(0)
    expect(JSON.parse(json.stdout)).toHaveProperty('client_id')
    const noToken = await openDcr(
      'register',
      '--sandbox',
      bank.urls.mtls,
      '--brand',
      'continental-corporate',
      '--kit',
      kitFile,
    )
    expect(noToken.code).toBe(1)
    expect(noToken.stderr).toMatch(/this brand needs --portal-token/)
    const badProfile = await openDcr(
      'register',
      '--sandbox',
      bank.urls.http,
      '--brand',
      'meridian-connect',
      '--kit',
      kitFile,
      '--profile',
      'fapi',
    )
    expect(badProfile.code).toBe(1)
    expect(badProfile.stderr).toMatch(/--profile must be one of ob-uk, rfc7591, eidas/)
  })

  it('exits 1 with the server’s error, or a clear message', async () => {
    const refused = await openDcr(
      'register',
      '--sandbox',
      bank.urls.http,
      '--brand',
      'northbank-personal',
      '--kit',
      kitFile,
      '--metadata',
      '{"scope":"openid fundsconfirmations"}',
    )
    expect(refused.code).toBe(1)
    expect(JSON.parse(refused.stdout)).toMatchObject({ error: 'invalid_client_metadata' })
    const unknown = await openDcr('register', '--sandbox', bank.urls.http, '--brand', 'nowhere', '--kit', kitFile)
    expect(unknown.code).toBe(1)
    expect(unknown.stderr).toMatch(/no brand "nowhere"/)
    const badJson = await openDcr('sign-request', '--kit', kitFile, '--audience', 'x', '--metadata', '{')
    expect(badJson.code).toBe(1)
    expect(badJson.stderr).toMatch(/must be a JSON object/)
  })
})
