/**
 * `pnpm bench:scale`: registration and GET throughput and latency of open-dcr as the store holds
 * more clients (1k, 100k; 1M with BENCH_SCALE_1M=1), on lowdb and PostgreSQL. Filler clients are
 * bulk-loaded first (lowdb fsync off, PostgreSQL synchronous_commit off), then the server runs with
 * fsync on. GETs use OB client-credentials access tokens (management 'access-token'), so a GET is
 * a pure store read; with RFC 7592 registration access tokens every GET also writes a new token.
 * Goal (issue 10): at 1M clients, registration ≥ 0.9 × its rate at 1k.
 */
import { randomInt } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import { bulkLoad } from './harness/filler.js'
import { createFixture } from './harness/fixture.js'
import { poolSource, type RequestSource, runLoad } from './harness/load.js'
import { measureWindow, probe, type RunResult } from './harness/measure.js'
import { postgresServer, settleAfterBulkLoad, stopPostgresServer } from './harness/postgres-server.js'
import { fixed, loadLine, machine, maximum, median, ratio, table, verdict, writeResults } from './harness/report.js'
import { startServer } from './harness/server-process.js'
import { settings } from './harness/settings.js'
import { signRequestPool } from './harness/signed-pool.js'
import { openStore } from './harness/stores.js'
import { type ProvisionedStore, provisionStore, type StoreKind, storeUnavailable } from './harness/targets.js'
import { accessTokenPrefix } from './servers/open-dcr.js'

const goal = 0.9
const { scaleDuration: duration, scaleRepetitions: repetitions, connections, warmup, scaleSizes: sizes } = settings

console.log(
  `open-dcr scale bench: ${sizes.join(', ')} stored clients; per size ${repetitions} × (${duration} s registration + ${duration} s GET), ` +
    `${connections} connections; node ${process.version}, ${loadLine()}`,
)
if (!sizes.includes(1_000_000))
  console.log('  1,000,000 clients: opt-in with BENCH_SCALE_1M=1 (about 4 GB of lowdb files)')

const stores: StoreKind[] = []
const unavailable: Record<string, string> = {}
const storeKinds: readonly StoreKind[] = ['memory', 'lowdb', 'postgres']
for (const kind of settings.scaleStores) {
  if (!storeKinds.includes(kind as StoreKind))
    throw new TypeError(`bench: BENCH_SCALE_STORES has unknown store "${kind}"`)
}
for (const kind of settings.scaleStores as StoreKind[]) {
  const why = await storeUnavailable(kind)
  if (why === undefined) stores.push(kind)
  else {
    unavailable[kind] = why
    console.log(`  ${kind}: not available (${why})`)
  }
}

const fixture = await createFixture()
const poolSize = Math.ceil(settings.rateCeiling * (warmup + repetitions * duration)) + connections * 4
const pool = await signRequestPool(fixture.signer, poolSize)
console.log(`  ${poolSize} registration requests signed (replayed once per size against a fresh store)\n`)

/** A fresh store of `kind` holding `size` filler clients, loaded without fsync. */
async function filledStore(
  kind: StoreKind,
  size: number,
): Promise<ProvisionedStore & { ids: string[]; seconds: number }> {
  const provisioned = await provisionStore(kind)
  const started = performance.now()
  const database = kind === 'postgres' ? await postgresServer() : undefined
  await database?.setBulkLoad(true)
  const opened = await openStore(
    provisioned.spec.kind === 'lowdb' ? { ...provisioned.spec, fsync: false } : provisioned.spec,
  )
  const ids = await bulkLoad(opened, fixture.signer, size, (done) => console.log(`    ${kind}: ${done} clients loaded`))
  await opened.close()
  if (provisioned.spec.kind === 'postgres') await settleAfterBulkLoad(provisioned.spec.connectionString)
  await database?.setBulkLoad(false)
  return { ...provisioned, ids, seconds: (performance.now() - started) / 1000 }
}

/** GETs of random filler clients, each with an access token naming it. */
function readSource(ids: readonly string[]): RequestSource {
  return {
    next() {
      const id = ids[randomInt(ids.length)] as string
      return { method: 'GET', path: `/register/${id}`, headers: { authorization: `Bearer ${accessTokenPrefix}${id}` } }
    },
    remaining: () => undefined,
  }
}

interface Row {
  store: StoreKind
  size: number
  loadSeconds: number
  register: RunResult[]
  read: RunResult[]
}
const rows: Row[] = []
try {
  for (const store of stores) {
    for (const size of sizes) {
      console.log(`  ${store}, ${size} clients: bulk load`)
      const filled = await filledStore(store, size)
      const server = await startServer({
        kind: 'open-dcr',
        store: filled.spec,
        management: 'access-token',
        trust: fixture.trust,
      })
      const row: Row = { store, size, loadSeconds: filled.seconds, register: [], read: [] }
      try {
        const registrations = poolSource('/register', pool.contentType, pool.bodies)
        const reads = readSource(filled.ids)
        await probe(server, registrations)
        await probe(server, reads)
        await runLoad({ origin: server.origin, connections, duration: warmup, source: registrations })
        await runLoad({ origin: server.origin, connections, duration: warmup, source: reads })
        const database = store === 'postgres' ? { database: await postgresServer() } : {}
        for (let repetition = 0; repetition < repetitions; repetition++) {
          await sleep(250)
          row.register.push(
            await measureWindow('register', server, registrations, {
              connections,
              duration,
              countRegistrations: true,
              ...database,
            }),
          )
          await sleep(250)
          row.read.push(
            await measureWindow('get', server, reads, {
              connections,
              duration,
              countRegistrations: false,
              ...database,
            }),
          )
        }
      } finally {
        await server.stop()
        await filled.remove()
      }
      rows.push(row)
      const last = (runs: RunResult[]) => runs[runs.length - 1]
      console.log(
        `    loaded in ${filled.seconds.toFixed(0)} s; register ${fixed(median(row.register.map((r) => r.load.rate)), 0)}/s, ` +
          `GET ${fixed(median(row.read.map((r) => r.load.rate)), 0)}/s (load ${fixed(last(row.read)?.loadAverage, 1)}, ` +
          `CPU contended ${fixed(median([...row.register, ...row.read].map((r) => (r.cpuPressure ?? Number.NaN) * 100)), 0)}%)`,
      )
    }
  }
} finally {
  await fixture.close()
  await stopPostgresServer()
}

/** The PostgreSQL server's CPU per answered request (median of the windows), when it was measured. */
function databaseCpuPerRequest(runs: RunResult[]): number | undefined {
  if (!runs.some((run) => run.databaseCpuMs !== undefined)) return undefined
  return median(runs.map((run) => (run.databaseCpuMs ?? Number.NaN) / Math.max(1, run.load.ok)))
}
const withDatabase = (cpuMs: number, databaseMs: number | undefined) =>
  `${fixed(cpuMs, 2)}${databaseMs === undefined ? '' : ` +${fixed(databaseMs, 2)} db`}`

const summary = rows.map((row) => ({
  store: row.store,
  size: row.size,
  loadSeconds: row.loadSeconds,
  registerRate: median(row.register.map((run) => run.load.rate)),
  registerP50: median(row.register.map((run) => run.load.latency.p50)),
  registerP99: median(row.register.map((run) => run.load.latency.p99)),
  registerCpuMs: median(row.register.map((run) => run.cpuMsPerRequest)),
  registerDbCpuMs: databaseCpuPerRequest(row.register),
  readRate: median(row.read.map((run) => run.load.rate)),
  readP50: median(row.read.map((run) => run.load.latency.p50)),
  readP99: median(row.read.map((run) => run.load.latency.p99)),
  readCpuMs: median(row.read.map((run) => run.cpuMsPerRequest)),
  readDbCpuMs: databaseCpuPerRequest(row.read),
  loopDelayMaxMs: maximum([...row.register, ...row.read].map((run) => run.server.loopDelayMaxMs)),
  problems: [...row.register, ...row.read].flatMap((run) => run.problems),
}))
const baseline = (store: StoreKind) => summary.find((row) => row.store === store && row.size === sizes[0])

console.log('')
console.log(
  table(
    [
      'store',
      'clients',
      'reg/s',
      'vs first',
      'p50 ms',
      'p99 ms',
      'CPU ms',
      'GET/s',
      'vs first',
      'p50 ms',
      'p99 ms',
      'CPU ms',
      'loop max ms',
      'bulk load s',
    ],
    summary.map((row) => {
      const base = baseline(row.store)
      return [
        row.store,
        row.size.toLocaleString('en'),
        fixed(row.registerRate, 0),
        ratio(base ? row.registerRate / base.registerRate : Number.NaN),
        fixed(row.registerP50, 0),
        fixed(row.registerP99, 0),
        withDatabase(row.registerCpuMs, row.registerDbCpuMs),
        fixed(row.readRate, 0),
        ratio(base ? row.readRate / base.readRate : Number.NaN),
        fixed(row.readP50, 0),
        fixed(row.readP99, 0),
        withDatabase(row.readCpuMs, row.readDbCpuMs),
        fixed(row.loopDelayMaxMs, 0),
        fixed(row.loadSeconds, 0),
      ]
    }),
  ),
)
for (const [store, why] of Object.entries(unavailable)) console.log(`${store}: not available (${why})`)
console.log(
  `\nmedian of ${repetitions} window(s) per size; GET = read of a random stored client; CPU ms = server CPU per request (+db: the PostgreSQL server's)`,
)

console.log('\ngoal (issue 10): registration at 1M clients >= 0.9x its rate at 1k:')
const goals: Record<string, boolean | string> = {}
for (const store of stores) {
  const base = summary.find((row) => row.store === store && row.size === 1_000)
  const million = summary.find((row) => row.store === store && row.size === 1_000_000)
  if (!base || !million) {
    const largest = summary.filter((row) => row.store === store).at(-1)
    const hint =
      base && largest
        ? ` (at ${largest.size.toLocaleString('en')}: ${ratio(largest.registerRate / base.registerRate)})`
        : ''
    goals[store] = 'not measured'
    console.log(`  ${store}: not measured (BENCH_SCALE_1M=1 with 1000 among the sizes)${hint}`)
    continue
  }
  const change = million.registerRate / base.registerRate
  const met = million.problems.length === 0 && change >= goal
  goals[store] = met
  console.log(`  ${store}: ${ratio(change)} ${verdict(met)}`)
}
const invalid = summary.filter((row) => row.problems.length > 0)
for (const row of invalid) console.log(`INVALID: ${row.store} ${row.size}: ${row.problems.join('; ')}`)
console.log(`${loadLine()} at the end`)
const file = writeResults('scale', {
  benchmark: 'scale',
  machine: machine(),
  settings: { sizes, duration, repetitions, connections, warmup, poolSize },
  unavailable,
  summary,
  goals,
  runs: rows,
})
console.log(`results: ${file}`)
if (invalid.length) process.exitCode = 1
