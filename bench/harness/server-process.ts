/**
 * Parent side of a server child: forks it, hands it its spec, and brackets load windows. Every
 * child is killed when this process exits, however it exits (normal end, error, Ctrl-C).
 */
import { type ChildProcess, fork } from 'node:child_process'
import { once } from 'node:events'
import type { Command, Report, ServerSpec, WindowStats } from './protocol.js'
import { settings } from './settings.js'

const children = new Set<ChildProcess>()
let cleanupInstalled = false

function installCleanup(): void {
  if (cleanupInstalled) return
  cleanupInstalled = true
  process.on('exit', () => {
    for (const child of children) child.kill('SIGKILL')
  })
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      for (const child of children) child.kill('SIGKILL')
      process.exit(130)
    })
  }
}

/** A running server child. */
export interface ServerProcess {
  /** `http://127.0.0.1:port`. */
  origin: string
  pid: number
  /** Starts measuring CPU and event-loop delay in the child. */
  windowStart(): void
  /** Stops measuring and returns what the child saw since {@link windowStart}. */
  windowEnd(): Promise<WindowStats>
  /** Asks the child to close its server and store and exit; kills it if it has not within 10 s. */
  stop(): Promise<void>
}

/** Options of {@link startServer}. */
export interface StartOptions {
  /** Write a V8 CPU profile of the child to this directory when it exits. */
  cpuProfileDir?: string
}

/** Forks a server child running `spec` and waits until it listens. */
export async function startServer(spec: ServerSpec, options: StartOptions = {}): Promise<ServerProcess> {
  installCleanup()
  const child = fork(new URL('./server-child.ts', import.meta.url), [], {
    execArgv: [
      '--import',
      'tsx',
      ...(options.cpuProfileDir ? ['--cpu-prof', '--cpu-prof-dir', options.cpuProfileDir] : []),
      ...settings.nodeFlags,
    ],
    // As deployed: Express and Koa in production mode on every target.
    env: { ...process.env, NODE_ENV: 'production' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  children.add(child)
  child.once('exit', () => children.delete(child))

  const reports: Report[] = []
  const waiting: ((report: Report) => void)[] = []
  child.on('message', (report: Report) => {
    const next = waiting.shift()
    if (next) next(report)
    else reports.push(report)
  })
  const exited = once(child, 'exit').then(([code, signal]) => {
    const report: Report = { type: 'failed', message: `server child exited (${signal ?? code})` }
    for (const next of waiting.splice(0)) next(report)
  })
  const nextReport = () =>
    new Promise<Report>((resolve) => {
      const queued = reports.shift()
      if (queued) resolve(queued)
      else if (child.exitCode !== null || child.signalCode !== null)
        resolve({ type: 'failed', message: 'server child has exited' })
      else waiting.push(resolve)
    })
  const command = (message: Command) => child.send(message)

  command({ type: 'start', spec })
  const listening = await nextReport()
  if (listening.type !== 'listening') {
    child.kill('SIGKILL')
    throw new Error(`server did not start: ${listening.type === 'failed' ? listening.message : listening.type}`)
  }
  return {
    origin: `http://127.0.0.1:${listening.port}`,
    pid: child.pid ?? 0,
    windowStart: () => command({ type: 'window-start' }),
    async windowEnd() {
      command({ type: 'window-end' })
      const report = await nextReport()
      if (report.type !== 'window') {
        throw new Error(`server window failed: ${report.type === 'failed' ? report.message : report.type}`)
      }
      const { type: _type, ...stats } = report
      return stats
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return
      command({ type: 'stop' })
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
      await exited
      clearTimeout(timer)
    },
  }
}
