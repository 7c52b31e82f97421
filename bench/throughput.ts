/**
 * `pnpm bench`: registrations per second of open-dcr on each store against panva's oidc-provider
 * doing the same UK OB registration (its dynamic registration plus one SSA check), measured side by
 * side in one run. Targets are interleaved and repeated; the median of the repetitions is reported.
 * Absolute figures depend on the machine (2 shared cores here); the ratios are what this is for.
 */
import { mkdirSync } from 'node:fs'
import { createFixture } from './harness/fixture.js'
import { jsonSource, poolSource, type RequestSource } from './harness/load.js'
import { measureRun, type RunResult } from './harness/measure.js'
import { stopPostgresServer } from './harness/postgres-server.js'
import { fixed, loadLine, machine, maximum, median, ratio, table, verdict, writeResults } from './harness/report.js'
import { outputDir, settings } from './harness/settings.js'
import { requestLifetime, signRequestPool } from './harness/signed-pool.js'
import { oidcProviderTarget, openDcrTarget, type Target } from './harness/targets.js'

/** The peer first: every ratio is against it. */
const candidates: Target[] = [
  oidcProviderTarget,
  openDcrTarget('memory'),
  openDcrTarget('lowdb'),
  openDcrTarget('postgres'),
]
/** Issue 10's goals: open-dcr registrations/s ÷ oidc-provider's, per store. */
const goals: Record<string, number> = { 'open-dcr memory': 1.3, 'open-dcr lowdb': 1.0, 'open-dcr postgres': 1.0 }
const loopDelayGoalMs = 50

const startedAt = Date.now()
console.log(
  `open-dcr throughput bench: node ${process.version}, ${loadLine()}\n` +
    `  ${settings.connections} connections, ${settings.warmup} s warm-up + ${settings.duration} s window, ` +
    `${settings.repetitions} repetitions interleaved; plain HTTP on 127.0.0.1, mutual TLS left to a TLS terminator on every target`,
)

const targets: Target[] = []
const unavailable: Record<string, string> = {}
const selected = candidates.filter(
  (target) => settings.targets.length === 0 || settings.targets.some((part) => target.name.includes(part)),
)
for (const target of selected) {
  const why = await target.unavailable()
  if (why === undefined) targets.push(target)
  else {
    unavailable[target.name] = why
    console.log(`  ${target.store ?? target.name}: not available (${why})`)
  }
}

const fixture = await createFixture()
const poolSize = Math.ceil(settings.rateCeiling * (settings.warmup + settings.duration)) + settings.connections * 4
const signingStarted = performance.now()
const signed = await signRequestPool(fixture.signer, poolSize)
console.log(
  `  ${poolSize} registration requests signed in ${((performance.now() - signingStarted) / 1000).toFixed(1)} s (each target replays them once per run)\n`,
)

/** A fresh request source for one run: the signed pool from its start, or endless JSON bodies. */
const requestsFor = (target: Target): RequestSource =>
  target.requests === 'signed-jws'
    ? poolSource(target.path, signed.contentType, signed.bodies)
    : jsonSource(target.path, { ...fixture.signer.metadata, software_statement: fixture.signer.softwareStatement })

const runs: (RunResult & { repetition: number })[] = []
try {
  for (let repetition = 0; repetition < settings.repetitions; repetition++) {
    // Rotate the order so no target always runs first (or right after the same neighbour).
    const order = targets.map((_, i) => targets[(i + repetition) % targets.length] as Target)
    for (const target of order) {
      if ((Date.now() - signed.madeAt) / 1000 > requestLifetime - 120) {
        throw new Error('the signed requests are about to expire; shorten BENCH_DURATION or BENCH_REPS')
      }
      const profileDir = settings.profile
        ? new URL(`profiles/${target.name.replace(/[^a-z0-9-]+/gi, '-')}/`, outputDir)
        : undefined
      if (profileDir) mkdirSync(profileDir, { recursive: true })
      const run = await measureRun(target, fixture.trust, requestsFor, {
        connections: settings.connections,
        warmup: settings.warmup,
        duration: settings.duration,
        countRegistrations: true,
        ...(profileDir ? { start: { cpuProfileDir: profileDir.pathname } } : {}),
      })
      runs.push({ ...run, repetition })
      console.log(
        `  rep ${repetition + 1} ${target.name.padEnd(18)} ${fixed(run.load.rate, 0).padStart(6)} reg/s  ` +
          `p99 ${fixed(run.load.latency.p99, 0)} ms  loop max ${fixed(run.server.loopDelayMaxMs, 0)} ms  ` +
          `load ${fixed(run.loadAverage, 1)}` +
          `${run.cpuPressure === undefined ? '' : `, CPU contended ${fixed(run.cpuPressure * 100, 0)}% of the window`}` +
          `${run.load.exhausted ? '  (pool used up early: raise BENCH_RATE_CEILING)' : ''}` +
          `${run.problems.length ? `  INVALID: ${run.problems.join('; ')}` : ''}`,
      )
    }
  }
} finally {
  await fixture.close()
  await stopPostgresServer()
}

const summary = targets.map((target) => {
  const mine = runs.filter((run) => run.target === target.name)
  return {
    target: target.name,
    rate: median(mine.map((run) => run.load.rate)),
    rates: mine.map((run) => Number(run.load.rate.toFixed(1))),
    p50: median(mine.map((run) => run.load.latency.p50)),
    p99: median(mine.map((run) => run.load.latency.p99)),
    cpuMsPerRegistration: median(mine.map((run) => run.cpuMsPerRequest)),
    databaseCpuMsPerRegistration: mine.some((run) => run.databaseCpuMs !== undefined)
      ? median(mine.map((run) => (run.databaseCpuMs ?? Number.NaN) / Math.max(1, run.load.ok)))
      : undefined,
    loopDelayMaxMs: maximum(mine.map((run) => run.server.loopDelayMaxMs)),
    loopDelayP99Ms: maximum(mine.map((run) => run.server.loopDelayP99Ms)),
    failures: mine.reduce((sum, run) => sum + run.load.errors + run.load.non2xx, 0),
    valid: mine.every((run) => run.problems.length === 0),
    exhausted: mine.some((run) => run.load.exhausted),
  }
})
const peer = summary.find((row) => row.target === oidcProviderTarget.name)
const versus = (rate: number) => (peer ? rate / peer.rate : Number.NaN)
/**
 * The peer's CPU per registration over the target's: what the throughput ratio would be if both
 * were CPU-bound on otherwise idle cores. Steadier than reg/s on a shared machine, but it ignores
 * time spent waiting (fsync, the database), so for durable stores it is an upper bound.
 */
const cpuVersus = (cpuMs: number) => (peer ? peer.cpuMsPerRegistration / cpuMs : Number.NaN)

console.log('')
console.log(
  table(
    [
      'target',
      'reg/s',
      'vs oidc-provider',
      'p50 ms',
      'p99 ms',
      'CPU ms/reg',
      'CPU ratio',
      'loop delay max ms',
      'p99 ms',
      'errors',
    ],
    summary.map((row) => [
      row.target,
      fixed(row.rate, 0),
      ratio(versus(row.rate)),
      fixed(row.p50, 0),
      fixed(row.p99, 0),
      `${fixed(row.cpuMsPerRegistration, 2)}${row.databaseCpuMsPerRegistration === undefined ? '' : ` +${fixed(row.databaseCpuMsPerRegistration, 2)} db`}`,
      ratio(cpuVersus(row.cpuMsPerRegistration + (row.databaseCpuMsPerRegistration ?? 0))),
      fixed(row.loopDelayMaxMs, 0),
      fixed(row.loopDelayP99Ms, 0),
      row.valid ? String(row.failures) : `${row.failures} INVALID`,
    ]),
  ),
)
for (const [name, why] of Object.entries(unavailable)) console.log(`${name}: not available (${why})`)
console.log(
  `\nreg/s: median of ${settings.repetitions} (each rep: ${summary.map((row) => `${row.target} ${row.rates.join('/')}`).join('; ')})`,
)
console.log(
  'CPU ms/reg: the server process (all its threads) over the window, per 201; "db": the PostgreSQL server\n' +
    "CPU ratio: oidc-provider's CPU per registration over the target's (server + db): the reg/s ratio on idle cores if\n" +
    'both were CPU-bound; steadier on a busy machine, an upper bound for stores that wait on fsync',
)

console.log('\ngoals (issue 10):')
const goalResults: Record<string, boolean> = {}
for (const row of summary) {
  const goal = goals[row.target]
  if (goal === undefined) continue
  const met = row.valid && versus(row.rate) >= goal
  goalResults[`${row.target} >= ${goal}x oidc-provider`] = met
  console.log(`  ${row.target} / oidc-provider >= ${goal.toFixed(1)}x: ${ratio(versus(row.rate))} ${verdict(met)}`)
}
for (const row of summary.filter((r) => r.target !== oidcProviderTarget.name)) {
  const met = row.loopDelayMaxMs < loopDelayGoalMs
  goalResults[`${row.target} event-loop delay max < ${loopDelayGoalMs} ms`] = met
  console.log(
    `  ${row.target} event-loop delay max < ${loopDelayGoalMs} ms: ${fixed(row.loopDelayMaxMs, 1)} ms ${verdict(met)}`,
  )
}
const invalid = summary.filter((row) => !row.valid)
if (invalid.length) console.log(`\nINVALID RUN: ${invalid.map((row) => row.target).join(', ')} had errors (see above)`)
console.log(`\n${loadLine()} at the end; ${((Date.now() - startedAt) / 1000).toFixed(0)} s in all`)

const file = writeResults('throughput', {
  benchmark: 'throughput',
  machine: machine(),
  settings: { ...settings, poolSize, databaseUrl: settings.databaseUrl ? 'set' : undefined },
  unavailable,
  summary: summary.map((row) => ({
    ...row,
    versusPeer: versus(row.rate),
    cpuVersusPeer: cpuVersus(row.cpuMsPerRegistration + (row.databaseCpuMsPerRegistration ?? 0)),
  })),
  goals: goalResults,
  runs,
})
console.log(`results: ${file}`)
if (invalid.length) process.exitCode = 1
