import { spawn } from 'node:child_process'
import { open, readFile } from 'node:fs/promises'
import { dirname } from 'node:path'

/** How to run the tool once. */
export interface ToolRun {
  /** The `conformance-dcr` binary. */
  tool: string
  /** Its `config.json`. */
  configFile: string
  /** PEM file of the CA that issued the bank's TLS certificate (`SSL_CERT_FILE`). */
  caFile: string
  /** Where the tool's whole output (stdout and stderr, in order) is written. */
  logFile: string
  /** Aborting kills the tool (Ctrl-C). */
  signal: AbortSignal
  /** Milliseconds before the tool is killed. Default 120000. */
  timeoutMs?: number
}

/** How the tool ended, and everything it printed. */
export interface ToolExit {
  /** Exit code, or null when a signal (the timeout, an abort) ended it. */
  code: number | null
  /** The signal that ended it, or null. */
  killedBy: NodeJS.Signals | null
  output: string
}

/**
 * Runs `conformance-dcr -config-path <configFile> -debug` with the sandbox CA trusted, writing its
 * output straight into `logFile` (one file descriptor for stdout and stderr keeps their order).
 * Rejects with an `AbortError` when `signal` aborts.
 */
export async function runConformanceTool(run: ToolRun): Promise<ToolExit> {
  const log = await open(run.logFile, 'w')
  try {
    const { code, killedBy } = await new Promise<Omit<ToolExit, 'output'>>((done, fail) => {
      const child = spawn(run.tool, ['-config-path', run.configFile, '-debug'], {
        cwd: dirname(run.configFile),
        env: { ...process.env, SSL_CERT_FILE: run.caFile },
        stdio: ['ignore', log.fd, log.fd],
        signal: run.signal,
        timeout: run.timeoutMs ?? 120_000,
        killSignal: 'SIGKILL',
      })
      child.once('error', fail)
      child.once('close', (exitCode, signal) => done({ code: exitCode, killedBy: signal }))
    })
    return { code, killedBy, output: await readFile(run.logFile, 'utf8') }
  } finally {
    await log.close()
  }
}
