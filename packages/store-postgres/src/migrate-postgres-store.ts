import { escapeIdentifier } from 'pg'
import { latestVersion, migrate } from './migrations.js'
import { type PostgresStoreOptions, resolveOptions } from './options.js'
import { storeError } from './store-errors.js'

/** What {@link migratePostgresStore} did. */
export interface MigrationResult {
  schema: string
  /** Versions applied by this call (empty when the schema was up to date). */
  applied: number[]
  /** The schema version now in place. */
  version: number
}

/**
 * Brings the store's schema up to date, as `createPostgresStore` does at startup, for banks that
 * migrate in a deployment step and start instances with `migrate: false`. Safe to run while
 * instances start: the migrations run under the same advisory lock.
 *
 * @example
 * await migratePostgresStore({ connectionString: process.env.DATABASE_URL, schema: 'open_dcr' })
 */
export async function migratePostgresStore(
  options: Pick<PostgresStoreOptions, 'pool' | 'connectionString' | 'schema' | 'connectionTimeout' | 'logger'>,
): Promise<MigrationResult> {
  const config = resolveOptions({ ...options, sweepInterval: 0 })
  try {
    const applied = await migrate(config.pool, config.schema, escapeIdentifier(config.schema))
    return { schema: config.schema, applied, version: latestVersion }
  } catch (err) {
    throw storeError(err, config.retryAfter)
  } finally {
    if (config.ownPool) await config.pool.end().catch(() => {})
  }
}
