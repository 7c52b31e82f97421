import { type Clock, consoleLogger, type Logger } from '@open-dcr/express'
import { Pool } from 'pg'

/** Options of {@link createPostgresStore}. Give exactly one of `pool` and `connectionString`. */
export interface PostgresStoreOptions {
  /**
   * A pg `Pool` the application already has. The store neither configures nor ends it: give it an
   * `error` listener, `connectionTimeoutMillis` and a `statement_timeout`, as pg advises.
   */
  pool?: Pool
  /** `postgres://user:password@host:5432/db`: the store makes its own pool and ends it on `close()`. */
  connectionString?: string
  /** Schema holding the store's tables (a lowercase SQL identifier). Default `open_dcr`. */
  schema?: string
  /**
   * Apply pending migrations at startup under an advisory lock. Default true. With false the store
   * only checks that `open-dcr-migrate` has brought the schema up to date, and refuses to start if not.
   */
  migrate?: boolean
  /** Clock for replay-claim expiry, epoch ms. Default `Date.now`. */
  now?: Clock
  /** Own pool only: most connections this instance opens. Default 10. */
  maxConnections?: number
  /** Own pool only: ms to wait for a connection, new or free. Default 5000. */
  connectionTimeout?: number
  /**
   * ms one statement may take: the server's `statement_timeout` on the own pool, and on any pool
   * the client gives up 1 s later (a dead network). Default 5000.
   */
  statementTimeout?: number
  /** Seconds in `Retry-After` when PostgreSQL is unavailable (503). Default 5. */
  retryAfter?: number
  /** ms between sweeps of expired replay claims. Default 60000; 0 turns the background sweep off. */
  sweepInterval?: number
  /** Most expired claims one sweep statement deletes. Default 1000. */
  sweepBatchSize?: number
  /** Receives sweep failures and lost idle connections. Default: JSON lines on stderr. */
  logger?: Logger
}

/** The options with every default filled in. */
export interface ResolvedPostgresStoreOptions {
  pool: Pool
  /** Whether the store made the pool (and so ends it). */
  ownPool: boolean
  schema: string
  migrate: boolean
  now: Clock
  queryTimeout: number
  retryAfter: number
  sweepInterval: number
  sweepBatchSize: number
  logger: Logger
}

const fail = (option: string, must: string): never => {
  throw new TypeError(`open-dcr postgres store: option "${option}" must be ${must}`)
}

function wholeNumber(option: string, value: number | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback
  if (!Number.isInteger(value) || value < min || value > max) fail(option, `a whole number from ${min} to ${max}`)
  return value
}

/** Validates the options once, at startup, naming the one that is wrong; makes the own pool. */
export function resolveOptions(options: PostgresStoreOptions): ResolvedPostgresStoreOptions {
  if (typeof options !== 'object' || options === null) fail('options', 'an object')
  const { pool, connectionString } = options
  if ((pool === undefined) === (connectionString === undefined)) fail('pool', 'given, or else "connectionString"')
  if (pool !== undefined && !(pool instanceof Pool)) fail('pool', 'a pg Pool')
  if (
    connectionString !== undefined &&
    (typeof connectionString !== 'string' || !/^postgres(ql)?:\/\//.test(connectionString))
  )
    fail('connectionString', 'a postgres:// or postgresql:// URL')
  const schema = options.schema ?? 'open_dcr'
  if (typeof schema !== 'string' || !/^[a-z_][a-z0-9_]{0,62}$/.test(schema))
    fail('schema', 'a lowercase SQL identifier (a-z, 0-9, _; at most 63 characters)')
  if (options.migrate !== undefined && typeof options.migrate !== 'boolean') fail('migrate', 'true or false')
  if (options.now !== undefined && typeof options.now !== 'function') fail('now', 'a function returning epoch ms')
  const maxConnections = wholeNumber('maxConnections', options.maxConnections, 10, 1, 1000)
  const connectionTimeout = wholeNumber('connectionTimeout', options.connectionTimeout, 5000, 100, 600_000)
  const statementTimeout = wholeNumber('statementTimeout', options.statementTimeout, 5000, 100, 600_000)
  const retryAfter = wholeNumber('retryAfter', options.retryAfter, 5, 1, 3600)
  const sweepInterval = wholeNumber('sweepInterval', options.sweepInterval, 60_000, 0, 86_400_000)
  const sweepBatchSize = wholeNumber('sweepBatchSize', options.sweepBatchSize, 1000, 1, 100_000)
  const logger = options.logger ?? consoleLogger
  // Made only once every option is known to be valid.
  const own =
    pool ??
    new Pool({
      connectionString,
      max: maxConnections,
      connectionTimeoutMillis: connectionTimeout,
      statement_timeout: statementTimeout,
      idleTimeoutMillis: 30_000,
      keepAlive: true,
      application_name: 'open-dcr',
    })
  if (!pool) {
    // pg emits errors of idle connections (a restarted server) on the pool; unheard, they end the process.
    own.on('error', (err) => {
      logger.warn({ err: { name: err.name, message: err.message } }, 'open-dcr postgres store: idle connection lost')
    })
  }
  return {
    pool: own,
    ownPool: !pool,
    schema,
    migrate: options.migrate ?? true,
    now: options.now ?? Date.now,
    queryTimeout: statementTimeout + 1000,
    retryAfter,
    sweepInterval,
    sweepBatchSize,
    logger,
  }
}
