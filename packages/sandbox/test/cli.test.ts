import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { defaultBrands } from '../src/index.js'

const root = fileURLToPath(new URL('../../..', import.meta.url))
const cli = join(root, 'packages/sandbox/src/cli.ts')
const dirs: string[] = []
afterAll(async () => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))))

/** Runs the CLI from source (workspace packages resolved through their "source" export condition). */
function run(
  env: Record<string, string>,
  args: string[] = [],
): { child: ChildProcess; lines: string[]; exited: Promise<number | null> } {
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', cli, ...args], {
    cwd: root,
    env: { ...process.env, HOST: '127.0.0.1', PORT: '0', MTLS_PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const lines: string[] = []
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => lines.push(...chunk.split('\n').filter(Boolean)))
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => lines.push(...chunk.split('\n').filter(Boolean)))
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  return { child, lines, exited }
}

const waitFor = async (lines: string[], pattern: RegExp, exited: Promise<unknown>) => {
  let done = false
  void exited.then(() => {
    done = true
  })
  for (let i = 0; i < 600 && !done; i++) {
    const line = lines.find((l) => pattern.test(l))
    if (line) return line
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  throw new Error(`no line matching ${pattern}; output:\n${lines.join('\n')}`)
}

/** The messages of the process's log lines (pino JSON), for matching. */
const messages = (lines: string[]) =>
  lines
    .map((line) => {
      try {
        const entry = JSON.parse(line) as { msg?: string; err?: { message?: string } }
        return [entry.msg, entry.err?.message].filter(Boolean).join(': ')
      } catch {
        return line
      }
    })
    .join('\n')

const tmp = async () => {
  const dir = await mkdtemp(join(tmpdir(), 'open-dcr-cli-'))
  dirs.push(dir)
  return dir
}

describe('open-dcr-sandbox CLI', () => {
  it('starts, logs its URLs as JSON, serves, and stops cleanly on SIGTERM (lock released)', async () => {
    const dataDir = await tmp()
    const { child, lines, exited } = run({ DATA_DIR: dataDir })
    const started = JSON.parse(await waitFor(lines, /sandbox listening/, exited)) as { http: string; mtls: string }
    expect(started.http).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(started.mtls).toMatch(/^https:\/\/localhost:\d+$/)
    expect(await fetch(`${started.http}/health`).then((r) => r.json())).toEqual({
      status: 'ok',
      brands: defaultBrands.length,
    })
    expect(existsSync(join(dataDir, 'store', '.lock'))).toBe(true)
    child.kill('SIGTERM')
    expect(await exited).toBe(0)
    expect(existsSync(join(dataDir, 'store', '.lock'))).toBe(false)
    expect(existsSync(join(dataDir, 'sandbox-state.json'))).toBe(true)
  })

  it('adds brands from --config and refuses a bad config file naming the field', async () => {
    const dataDir = await tmp()
    const good = join(dataDir, 'good.yaml')
    await writeFile(
      good,
      'brands:\n  - id: harbour-retail\n    name: Harbour Retail\n    market: UK\n    profile: ob-uk\n',
    )
    const ok = run({ DATA_DIR: join(dataDir, 'a') }, ['--config', good])
    const started = JSON.parse(await waitFor(ok.lines, /sandbox listening/, ok.exited)) as {
      http: string
      brands: string[]
    }
    expect(started.brands).toContain('harbour-retail')
    expect((await fetch(`${started.http}/harbour-retail/.well-known/openid-configuration`)).status).toBe(200)
    ok.child.kill('SIGTERM')
    expect(await ok.exited).toBe(0)

    const bad = join(dataDir, 'bad.json')
    await writeFile(
      bad,
      JSON.stringify({ brands: [{ id: 'x-bank', name: 'X', market: 'UK', profile: 'fapi', mtsl: 'required' }] }),
    )
    const failed = run({ DATA_DIR: join(dataDir, 'b'), SANDBOX_CONFIG: bad })
    expect(await failed.exited).toBe(1)
    expect(messages(failed.lines)).toMatch(/brands\[0\]\.profile: must be one of "ob-uk", "rfc7591"/)
    expect(messages(failed.lines)).toMatch(/brands\[0\]\.mtsl: unknown key \(did you mean "mtls"\?\)/)
  })

  it('refuses a bad port', async () => {
    const failed = run({ DATA_DIR: await tmp(), PORT: 'eighty' })
    expect(await failed.exited).toBe(1)
    expect(messages(failed.lines)).toMatch(/PORT must be a port number/)
  })
})
