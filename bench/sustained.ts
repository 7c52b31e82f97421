/**
 * `pnpm bench:sustained`: open-dcr on the lowdb store (fsync on) under constant load for two
 * minutes, registrations/s per 10 s window, to show whether the rate holds as the data directory
 * and the replay files grow. Goal (issue 10): last window ≥ 0.9 × first.
 */
import { mkdirSync } from 'node:fs'
import { setTimeout as sleep } from 'node:timers/promises'
import { cpuStallMicros } from './harness/cpu-pressure.js'
import { createFixture } from './harness/fixture.js'
import { poolSource, runLoad } from './harness/load.js'
import type { WindowStats } from './harness/protocol.js'
import { fixed, loadLine, machine, ratio, table, verdict, writeResults } from './harness/report.js'
import { startServer } from './harness/server-process.js'
import { outputDir, settings } from './harness/settings.js'
import { signRequestPool } from './harness/signed-pool.js'
import { provisionStore } from './harness/targets.js'

const goal = 0.9
const { sustainedDuration: duration, sustainedWindow: windowSeconds, connections, warmup } = settings
const windowCount = Math.floor(duration / windowSeconds)

console.log(
  `open-dcr sustained bench: lowdb store (fsync on), ${windowCount} windows of ${windowSeconds} s after ${warmup} s warm-up, ` +
    `${connections} connections; node ${process.version}, ${loadLine()}`,
)
const fixture = await createFixture()
const poolSize = Math.ceil(settings.sustainedRateCeiling * (warmup + windowCount * windowSeconds)) + connections * 4
const signingStarted = performance.now()
const pool = await signRequestPool(fixture.signer, poolSize)
console.log(
  `  ${poolSize} registration requests signed in ${((performance.now() - signingStarted) / 1000).toFixed(1)} s`,
)

interface Window {
  ok: number
  failed: number
  latencies: number[]
  server?: WindowStats
  /** Share of the window some task waited for a CPU (Linux PSI), this benchmark's own processes included. */
  cpuPressure?: number
}
const windows: Window[] = Array.from({ length: windowCount }, () => ({ ok: 0, failed: 0, latencies: [] }))
const store = await provisionStore('lowdb')
const profileDir = settings.profile ? new URL('profiles/sustained-lowdb/', outputDir) : undefined
if (profileDir) mkdirSync(profileDir, { recursive: true })
const server = await startServer(
  { kind: 'open-dcr', store: store.spec, management: 'registration-access-token', trust: fixture.trust },
  profileDir ? { cpuProfileDir: profileDir.pathname } : {},
)
let exhausted = false
try {
  const source = poolSource('/register', pool.contentType, pool.bodies)
  await runLoad({ origin: server.origin, connections, duration: warmup, source })
  await sleep(250)
  const startedAt = performance.now()
  const windowAt = (at: number) => Math.floor((at - startedAt) / 1000 / windowSeconds)
  // Each window's server stats: end one window and open the next back to back.
  const serverWindows: Promise<WindowStats>[] = []
  const stalls = [cpuStallMicros()]
  server.windowStart()
  const ticker = setInterval(() => {
    stalls.push(cpuStallMicros())
    serverWindows.push(server.windowEnd())
    if (serverWindows.length < windowCount) server.windowStart()
    else clearInterval(ticker)
  }, windowSeconds * 1000)
  const result = await runLoad({
    origin: server.origin,
    connections,
    duration: windowCount * windowSeconds,
    source,
    onResponse(status, at, latency) {
      const window = windows[windowAt(at)]
      if (!window) return
      if (status >= 200 && status < 300) window.ok++
      else window.failed++
      window.latencies.push(latency)
    },
  })
  exhausted = result.exhausted
  while (serverWindows.length < windowCount) await sleep(100)
  const stats = await Promise.all(serverWindows)
  stats.forEach((stat, index) => {
    const window = windows[index]
    const [before, after] = [stalls[index], stalls[index + 1]]
    if (!window) return
    window.server = stat
    if (before !== undefined && after !== undefined) window.cpuPressure = (after - before) / (windowSeconds * 1e6)
  })
  if (result.errors > 0) console.log(`  ${result.errors} connection errors or timeouts`)
} finally {
  await server.stop()
  await store.remove()
  await fixture.close()
}

const percentile = (values: number[], p: number) =>
  values.length
    ? ([...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))] ?? 0)
    : Number.NaN
const rows = windows.map((window, index) => ({
  window: `${index * windowSeconds}-${(index + 1) * windowSeconds} s`,
  rate: window.ok / windowSeconds,
  p50: percentile(window.latencies, 0.5),
  p99: percentile(window.latencies, 0.99),
  cpuMsPerRegistration: (window.server?.cpuMs ?? Number.NaN) / Math.max(1, window.ok),
  loopDelayMaxMs: window.server?.loopDelayMaxMs ?? Number.NaN,
  cpuPressure: window.cpuPressure,
  failed: window.failed,
}))
const first = rows[0]
const last = rows[rows.length - 1]
const change = first && last ? last.rate / first.rate : Number.NaN
const failed = rows.reduce((sum, row) => sum + row.failed, 0)

console.log('')
console.log(
  table(
    ['window', 'reg/s', 'vs first', 'p50 ms', 'p99 ms', 'CPU ms/reg', 'loop delay max ms', 'CPU contended', 'failed'],
    rows.map((row) => [
      row.window,
      fixed(row.rate, 0),
      ratio(first ? row.rate / first.rate : Number.NaN),
      fixed(row.p50, 0),
      fixed(row.p99, 0),
      fixed(row.cpuMsPerRegistration, 2),
      fixed(row.loopDelayMaxMs, 0),
      row.cpuPressure === undefined ? '-' : `${fixed(row.cpuPressure * 100, 0)}%`,
      String(row.failed),
    ]),
  ),
)
if (exhausted) console.log('\nthe pool of signed requests ran out early: raise BENCH_SUSTAINED_RATE_CEILING')
const cpuChange = first && last ? last.cpuMsPerRegistration / first.cpuMsPerRegistration : Number.NaN
const met = failed === 0 && change >= goal
console.log(`\ngoal (issue 10): last window >= ${goal}x first: ${ratio(change)} ${verdict(met)}`)
// CPU per registration moves less with the other load on shared cores than reg/s does.
console.log(`server CPU per registration, last window / first: ${ratio(cpuChange)} (steadier on a busy machine)`)
if (failed > 0) console.log(`INVALID RUN: ${failed} requests failed`)
console.log(`${loadLine()} at the end`)
const file = writeResults('sustained', {
  benchmark: 'sustained',
  machine: machine(),
  settings: { duration, windowSeconds, connections, warmup, poolSize },
  windows: rows,
  lastOverFirst: change,
  cpuPerRegistrationLastOverFirst: cpuChange,
  goalMet: met,
  exhausted,
})
console.log(`results: ${file}`)
if (failed > 0) process.exitCode = 1
