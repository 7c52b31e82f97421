import { execFile } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cleanUp, sandbox } from './helpers.js'

type Sandbox = Awaited<ReturnType<typeof sandbox>>

const run = promisify(execFile)
const readme = new URL('../README.md', import.meta.url)

/** The README's "Register against the sandbox" section: its prose and its `sh` blocks, as written. */
async function registrationSection(): Promise<{ text: string; blocks: string[] }> {
  const markdown = await readFile(readme, 'utf8')
  const start = markdown.indexOf('## Register against the sandbox in three calls')
  expect(start).toBeGreaterThanOrEqual(0)
  const end = markdown.indexOf('\n## ', start + 1)
  const text = markdown.slice(start, end)
  const blocks = [...text.matchAll(/```sh\n([\s\S]*?)```/g)].map((match) => match[1] ?? '')
  return { text, blocks }
}

/** Runs a README block in bash against the test sandbox: only the documented address changes. */
async function runBlock(block: string, bank: Sandbox): Promise<Record<string, unknown>> {
  const script = block.replaceAll('localhost:8080', new URL(bank.urls.http).host)
  expect(script).not.toMatch(/localhost:8080/)
  const { stdout } = await run('bash', ['-euo', 'pipefail', '-c', script], { timeout: 60_000 })
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as Record<string, unknown>
}

describe('README: register against the sandbox', () => {
  let bank: Sandbox
  beforeAll(async () => {
    bank = await sandbox()
  })
  afterAll(async () => {
    await bank?.close()
    await cleanUp()
  })

  it('has the three blocks: ob-uk, rfc7591 and eidas', async () => {
    const { blocks } = await registrationSection()
    expect(blocks).toHaveLength(3)
    expect(blocks[0]).toMatch(/northbank-personal\/register/)
    expect(blocks[1]).toMatch(/meridian-connect\/register/)
    expect(blocks[2]).toMatch(/continental-corporate\/client\/v1\/register/)
  })

  it('the ob-uk block registers at every brand it says it fits, and those are exactly the ob-uk brands', async () => {
    const { text, blocks } = await registrationSection()
    const paragraph = text.slice(text.indexOf('**UK Open Banking brands**'), text.indexOf('```sh'))
    const listed = [...paragraph.matchAll(/`([a-z0-9-]+)`/g)].map((m) => m[1]).filter((id) => id !== 'ob-uk')
    const brands = (await (await fetch(`${bank.urls.http}/brands`)).json()) as { id: string; profile: string }[]
    expect(listed.sort()).toEqual(
      brands
        .filter((b) => b.profile === 'ob-uk')
        .map((b) => b.id)
        .sort(),
    )
    for (const brand of listed) {
      const client = await runBlock((blocks[0] ?? '').replaceAll('northbank-personal', brand ?? ''), bank)
      expect(client, brand).toMatchObject({ client_id: expect.any(String), software_id: expect.any(String) })
      expect(client.registration_client_uri).toBe(`${bank.urls.http}/${brand}/register/${client.client_id}`)
    }
  }, 180_000)

  it('the rfc7591 block registers at meridian-connect', async () => {
    const { blocks } = await registrationSection()
    const client = await runBlock(blocks[1] ?? '', bank)
    expect(client).toMatchObject({
      client_id: expect.any(String),
      token_endpoint_auth_method: expect.any(String),
      registration_access_token: expect.stringMatching(/^[0-9a-f-]{36}\./),
    })
  }, 60_000)

  it('the eidas block registers at continental-corporate with a signed request', async () => {
    const { blocks } = await registrationSection()
    const client = await runBlock(blocks[2] ?? '', bank)
    expect(client).toMatchObject({
      client_id: expect.any(String),
      client_secret: expect.any(String),
      client_name: 'My app',
      software_id: expect.stringMatching(/^PSDGB-FCA-\d+$/),
    })
  }, 60_000)
})
