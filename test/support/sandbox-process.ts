import { type ChildProcess, spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('../..', import.meta.url))
const cli = fileURLToPath(new URL('../../packages/sandbox/src/cli.ts', import.meta.url))
const preload = fileURLToPath(new URL('./exit-with-parent.mjs', import.meta.url))

/** A sandbox running as its own process (`open-dcr-sandbox` from source). */
export interface SandboxProcess {
  /** Plain listener, e.g. http://127.0.0.1:41234. */
  http: string
  mtls: string
  pid: number
  /** Everything it logged so far (pino JSON lines), for failure messages. */
  output(): string
  /** SIGTERM, then waits for it to exit (SIGKILL after 20 s); resolves with the exit code. */
  stop(): Promise<number | null>
}

const exited = (child: ChildProcess) =>
  new Promise<number | null>((done) => {
    if (child.exitCode !== null || child.signalCode !== null) done(child.exitCode)
    else child.once('exit', (code) => done(code))
  })

/**
 * Starts the sandbox CLI on free ports with `env` added (DATA_DIR, DATABASE_URL, PUBLIC_URL…) and
 * resolves when it logs that it listens. It exits when this process does (its stdin closes).
 */
export async function startSandboxProcess(
  env: Record<string, string>,
  timeoutMs = 120_000,
  /** Another `open-dcr-sandbox` to run with plain node, e.g. a packed one's bin; default: the source. */
  bin?: { path: string; cwd: string },
): Promise<SandboxProcess> {
  const args = bin
    ? ['--import', preload, bin.path]
    : ['--conditions=source', '--import', 'tsx', '--import', preload, cli]
  const child = spawn(process.execPath, args, {
    cwd: bin?.cwd ?? root,
    env: { ...process.env, HOST: '127.0.0.1', PORT: '0', MTLS_PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  let output = ''
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8')
  })
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000)
    const code = await exited(child)
    clearTimeout(timer)
    return code
  }
  const listening = new Promise<{ http: string; mtls: string }>((resolve, reject) => {
    let pending = ''
    child.stdout?.on('data', (chunk: Buffer) => {
      const text = chunk.toString('utf8')
      output += text
      pending += text
      const lines = pending.split('\n')
      pending = lines.pop() ?? ''
      for (const line of lines) {
        const entry = (() => {
          try {
            return JSON.parse(line) as { msg?: string; http?: string; mtls?: string }
          } catch {
            return undefined
          }
        })()
        if (entry?.msg?.startsWith('open-dcr sandbox listening') && entry.http && entry.mtls) {
          resolve({ http: entry.http, mtls: entry.mtls })
        }
      }
    })
    child.once('exit', (code) => reject(new Error(`sandbox exited (${code}) before listening:\n${output}`)))
    setTimeout(() => reject(new Error(`sandbox did not listen within ${timeoutMs} ms:\n${output}`)), timeoutMs).unref()
  })
  try {
    const urls = await listening
    return { ...urls, pid: child.pid ?? 0, output: () => output, stop }
  } catch (err) {
    await stop()
    throw err
  }
}
