/**
 * One measured run of one target: a fresh server child with a fresh store, a probe request,
 * warm-up load, then the measured window with the child's CPU and event-loop delay around it.
 */
import { loadavg } from 'node:os'
import { setTimeout as sleep } from 'node:timers/promises'
import { cpuPressureMeter } from './cpu-pressure.js'
import type { TrustSpec } from './fixture.js'
import { type LoadResult, type RequestSource, runLoad } from './load.js'
import { type PostgresServer, postgresServer } from './postgres-server.js'
import type { WindowStats } from './protocol.js'
import { type ServerProcess, type StartOptions, startServer } from './server-process.js'
import type { Target } from './targets.js'

/** What one run measured, and whether it counts. */
export interface RunResult {
  target: string
  load: LoadResult
  server: WindowStats
  /** Server CPU per 2xx response, ms. */
  cpuMsPerRequest: number
  /** PostgreSQL server CPU over the window, ms (embedded server only). */
  databaseCpuMs?: number
  /** Load generator (this process) CPU over the window, ms: it shares the machine's cores. */
  loadGeneratorCpuMs: number
  /** The machine's 1-minute load average when the window opened (2 cores: above 2 means queueing). */
  loadAverage: number
  /**
   * Share of the window during which some task on the machine waited for a CPU (Linux PSI); the
   * higher, the more other work disturbed this run. Undefined where PSI is not available.
   */
  cpuPressure?: number
  /** Reasons the run is invalid (errors, non-2xx, stored count not matching the 201s). */
  problems: string[]
}

/** Options of {@link measureRun}. */
export interface MeasureOptions {
  connections: number
  warmup: number
  duration: number
  /** Check that the server stored one registration per 2xx (registration workloads only). */
  countRegistrations: boolean
  start?: StartOptions
}

/** Sends one request and fails loudly, with the server's answer, unless it succeeds. */
export async function probe(server: ServerProcess, source: RequestSource): Promise<void> {
  const request = source.next()
  const res = await fetch(`${server.origin}${request.path}`, {
    method: request.method,
    headers: request.headers,
    ...(request.body === undefined ? {} : { body: request.body }),
  })
  const text = await res.text()
  if (!res.ok) throw new Error(`probe ${request.method} ${request.path} answered ${res.status}: ${text.slice(0, 500)}`)
}

/** Options of {@link measureWindow}. */
export interface WindowOptions {
  connections: number
  duration: number
  /** Check that the server stored one registration per 2xx (registration workloads only). */
  countRegistrations: boolean
  /** Measure this PostgreSQL server's CPU too. */
  database?: PostgresServer
}

/** One measured load window against a running server: load, server CPU and event-loop delay. */
export async function measureWindow(
  name: string,
  server: ServerProcess,
  source: RequestSource,
  options: WindowOptions,
): Promise<RunResult> {
  const databaseCpuBefore = options.database?.cpuMs()
  const loadAverage = loadavg()[0] ?? Number.NaN
  const loadGeneratorCpu = process.cpuUsage()
  const pressure = cpuPressureMeter()
  server.windowStart()
  const result = await runLoad({
    origin: server.origin,
    connections: options.connections,
    duration: options.duration,
    source,
  })
  const stats = await server.windowEnd()
  const cpuPressure = pressure()
  const generatorCpu = process.cpuUsage(loadGeneratorCpu)
  const databaseCpuAfter = options.database?.cpuMs()
  const problems: string[] = []
  if (result.errors > 0) problems.push(`${result.errors} connection errors or timeouts`)
  if (result.non2xx > 0) problems.push(`${result.non2xx} non-2xx responses ${JSON.stringify(result.statusCodes)}`)
  if (
    options.countRegistrations &&
    (stats.registered < result.ok || stats.registered > result.ok + options.connections)
  ) {
    problems.push(`server stored ${stats.registered} registrations for ${result.ok} 2xx responses`)
  }
  return {
    target: name,
    load: result,
    server: stats,
    cpuMsPerRequest: stats.cpuMs / Math.max(1, result.ok),
    ...(databaseCpuBefore !== undefined && databaseCpuAfter !== undefined
      ? { databaseCpuMs: databaseCpuAfter - databaseCpuBefore }
      : {}),
    loadAverage,
    ...(cpuPressure === undefined ? {} : { cpuPressure }),
    loadGeneratorCpuMs: (generatorCpu.user + generatorCpu.system) / 1000,
    problems,
  }
}

/** Runs `target` once: probe, warm-up, measured window. `source` must be fresh for this server. */
export async function measureRun(
  target: Target,
  trust: TrustSpec,
  source: (target: Target) => RequestSource,
  options: MeasureOptions,
): Promise<RunResult> {
  const provisioned = await target.provision(trust)
  const server = await startServer(provisioned.spec, options.start)
  try {
    const requests = source(target)
    await probe(server, requests)
    await runLoad({
      origin: server.origin,
      connections: options.connections,
      duration: options.warmup,
      source: requests,
    })
    // In-flight warm-up requests end before the window opens.
    await sleep(250)
    return await measureWindow(target.name, server, requests, {
      connections: options.connections,
      duration: options.duration,
      countRegistrations: options.countRegistrations,
      ...(target.store === 'postgres' ? { database: await postgresServer() } : {}),
    })
  } finally {
    await server.stop()
    await provisioned.remove()
  }
}
