/**
 * The sandbox's event-loop delay while kits are created concurrently, beside the same figures for
 * the idle loop measured in the same run: making a kit generates five RSA keys, which must not
 * stop the loop that answers every other request.
 *
 * Other processes show in both columns. On a shared machine, run it in its own scheduling group
 * (Linux, root): `setsid bash -c 'echo -10 > /proc/self/autogroup && exec pnpm bench'`.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { silentLogger } from '@open-dcr/express'
import { type RunningSandbox, resolveSandboxConfig, startSandbox } from '@open-dcr/sandbox'

/** Loop delay figures, milliseconds. */
export interface LoopDelay {
  max: number
  p99: number
}

/** One run's figures: idle, during the burst, and the burst's own timings. */
export interface KitBurstResult {
  kits: number
  idle: LoopDelay
  burst: LoopDelay
  /** Milliseconds from the first request to the last kit. */
  burstDuration: number
  /** Slowest `/health` answer while the kits were being made, milliseconds. */
  healthMax: number
  healthAnswers: number
}

/** The histogram samples every millisecond; each sample is the time between two samples. */
const resolution = 1

async function measureLoop(during: () => Promise<void>): Promise<LoopDelay> {
  const histogram = monitorEventLoopDelay({ resolution })
  histogram.enable()
  await during()
  histogram.disable()
  return { max: histogram.max / 1e6, p99: histogram.percentile(99) / 1e6 }
}

const idleFor = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

/** Measures the idle loop for `idleMs`, then the loop while `kits` kits are created at once. */
async function measureRound(sandbox: RunningSandbox, kits: number, idleMs: number): Promise<KitBurstResult> {
  const url = sandbox.urls.http
  const idle = await measureLoop(() => idleFor(idleMs))
  let burstDuration = 0
  let healthMax = 0
  let healthAnswers = 0
  const burst = await measureLoop(async () => {
    const started = performance.now()
    let pending = kits
    const creations = Array.from({ length: kits }, async () => {
      try {
        const res = await fetch(`${url}/sandbox/tpps`, { method: 'POST' })
        await res.arrayBuffer()
        if (res.status !== 201) throw new Error(`kit creation failed with ${res.status}`)
      } finally {
        pending--
      }
    })
    // A caller of /health every 10 ms while the kits are being made.
    while (pending > 0) {
      const asked = performance.now()
      await (await fetch(`${url}/health`)).arrayBuffer()
      healthMax = Math.max(healthMax, performance.now() - asked)
      healthAnswers++
      await idleFor(10)
    }
    await Promise.all(creations)
    burstDuration = performance.now() - started
  })
  return { kits, idle, burst, burstDuration, healthMax, healthAnswers }
}

/** Starts a sandbox (rate limit off) and measures `rounds` rounds of idle loop, then `kits` kits at once. */
export async function measureKitBursts(kits = 8, rounds = 3, idleMs = 2000): Promise<KitBurstResult[]> {
  const dataDir = await mkdtemp(join(tmpdir(), 'open-dcr-bench-kits-'))
  const sandbox = await startSandbox({
    port: 0,
    mtlsPort: 0,
    dataDir,
    logger: silentLogger,
    config: resolveSandboxConfig({ rateLimit: { kits: 0 } }),
  })
  try {
    // Warm up: modules, JIT and the first file writes are not what is measured.
    await (await fetch(`${sandbox.urls.http}/sandbox/tpps`, { method: 'POST' })).arrayBuffer()
    const results: KitBurstResult[] = []
    for (let round = 0; round < rounds; round++) results.push(await measureRound(sandbox, kits, idleMs))
    return results
  } finally {
    await sandbox.close()
    await rm(dataDir, { recursive: true, force: true })
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN
const ms = (value: number) => value.toFixed(1).padStart(8)

/** Goal: the loop never stops longer than this while kits are made, milliseconds. */
const goal = 50

/** Runs {@link measureKitBursts} and prints each round and the medians. */
export async function printKitBurst(): Promise<void> {
  const kits = Number(process.env.BENCH_KITS ?? 8)
  const rounds = Number(process.env.BENCH_KIT_ROUNDS ?? 3)
  console.log(
    `\nsandbox event loop while ${kits} kits are created at once (perf_hooks.monitorEventLoopDelay, 1 ms samples; idle ${rounds} x 2 s, then the kits, same process)`,
  )
  const before = loadavg()[0] ?? Number.NaN
  const results = await measureKitBursts(kits, rounds)
  // Other processes on the machine show in both columns; the load average tells how busy it was.
  console.log(
    `  machine load average (1 min): ${before.toFixed(2)} before, ${(loadavg()[0] ?? Number.NaN).toFixed(2)} after`,
  )
  results.forEach((r, index) => {
    console.log(
      `  round ${index + 1}: idle max ${r.idle.max.toFixed(1)} p99 ${r.idle.p99.toFixed(1)} | kits max ${r.burst.max.toFixed(1)} p99 ${r.burst.p99.toFixed(1)} | /health slowest ${r.healthMax.toFixed(1)} of ${r.healthAnswers} | ${kits} kits in ${(r.burstDuration / 1000).toFixed(2)} s`,
    )
  })
  const figure = (pick: (r: KitBurstResult) => number) => median(results.map(pick))
  const idle = { max: figure((r) => r.idle.max), p99: figure((r) => r.idle.p99) }
  const burst = { max: figure((r) => r.burst.max), p99: figure((r) => r.burst.p99) }
  console.log('')
  console.log(`loop delay (median of ${rounds} rounds) |   max ms |   p99 ms`)
  console.log(`${'idle'.padEnd(31)} | ${ms(idle.max)} | ${ms(idle.p99)}`)
  console.log(`${`${kits} kits at once`.padEnd(31)} | ${ms(burst.max)} | ${ms(burst.p99)}`)
  console.log(
    `${'kits vs idle'.padEnd(31)} | ${`${(burst.max / idle.max).toFixed(1)}x`.padStart(8)} | ${`${(burst.p99 / idle.p99).toFixed(1)}x`.padStart(8)}`,
  )
  console.log(
    `\n/health slowest answer during the kits: ${figure((r) => r.healthMax).toFixed(1)} ms; ${kits} kits took ${(figure((r) => r.burstDuration) / 1000).toFixed(2)} s`,
  )
  console.log(
    `event-loop delay while making kits: max ${burst.max.toFixed(1)} ms (goal: under ${goal} ms) ${burst.max < goal ? 'OK' : 'OVER'}`,
  )
}
