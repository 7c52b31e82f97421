import type { ClientStore, ReplayStore } from '@open-dcr/express'
import { escapeIdentifier } from 'pg'
import { startClaimSweeper } from './claim-sweeper.js'
import { clientRows } from './client-rows.js'
import { assertMigrated, migrate } from './migrations.js'
import { type PostgresStoreOptions, resolveOptions } from './options.js'
import { replayClaims } from './replay-claims.js'
import { statementRunner } from './statement-runner.js'
import { storeError } from './store-errors.js'

/** Clients and replay claims in PostgreSQL, shared by every instance on the same database and schema. */
export interface PostgresStore extends ClientStore, ReplayStore {
  /** Deletes expired replay claims now (what the background sweep does); resolves with how many. */
  sweepExpiredClaims(): Promise<number>
  /** Stops the sweep and, if the store made its pool, ends it. Operations after this reject. */
  close(): Promise<void>
}

/**
 * Opens the PostgreSQL store: applies pending migrations (or, with `migrate: false`, checks they
 * were applied) and starts the background sweep of expired replay claims. A database that cannot
 * serve makes operations throw `StoreUnavailableError` (the middleware answers 503 + Retry-After).
 *
 * @example
 * const store = await createPostgresStore({ connectionString: process.env.DATABASE_URL })
 * app.use('/open-banking', createDcrRouter({ ..., store, replayStore: store }))
 * process.on('SIGTERM', () => store.close())
 */
export async function createPostgresStore(options: PostgresStoreOptions): Promise<PostgresStore> {
  const config = resolveOptions(options)
  const schema = escapeIdentifier(config.schema)
  try {
    if (config.migrate) await migrate(config.pool, config.schema, schema)
    else await assertMigrated(config.pool, config.schema, schema)
  } catch (err) {
    if (config.ownPool) await config.pool.end().catch(() => {})
    throw storeError(err, config.retryAfter)
  }
  const run = statementRunner(config.pool, config)
  const clients = clientRows(run, schema)
  const claims = replayClaims(run, schema, config.now)
  const sweeper = startClaimSweeper(claims.sweep, {
    interval: config.sweepInterval,
    batchSize: config.sweepBatchSize,
    logger: config.logger,
  })
  let closed = false
  const open =
    <A extends unknown[], R>(fn: (...args: A) => Promise<R>) =>
    (...args: A): Promise<R> =>
      closed ? Promise.reject(new Error('open-dcr postgres store is closed')) : fn(...args)
  return {
    create: open(clients.create),
    get: open(clients.get),
    update: open(clients.update),
    delete: open(clients.delete),
    claim: open(claims.claim),
    sweepExpiredClaims: open(sweeper.sweepNow),
    async close() {
      if (closed) return
      closed = true
      await sweeper.stop()
      if (config.ownPool) await config.pool.end()
    },
  }
}
