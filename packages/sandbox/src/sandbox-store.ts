import { join } from 'node:path'
import type { ClientStore, Clock, Logger, ReplayStore } from '@open-dcr/express'
import { createLowdbStore, DataDirectoryLockedError } from '@open-dcr/store-lowdb'
import { createPostgresStore } from '@open-dcr/store-postgres'

/** The sandbox's clients and replay claims: lowdb in the data directory, or PostgreSQL. */
export interface SandboxStore extends ClientStore, ReplayStore {
  close(): Promise<void>
}

/** Where the sandbox keeps clients and replay claims. */
export interface SandboxStoreOptions {
  dataDir: string
  /** PostgreSQL connection string; without it, lowdb files in `dataDir/store` (one process only). */
  databaseUrl: string | undefined
  /** PostgreSQL schema. Default `open_dcr`. */
  databaseSchema: string | undefined
  now: Clock
  logger: Logger
}

/**
 * Opens the store: PostgreSQL when a database URL is given (several instances share it, and its
 * schema is migrated at startup under an advisory lock), else the embedded lowdb store.
 */
export async function openSandboxStore(options: SandboxStoreOptions): Promise<SandboxStore> {
  if (options.databaseUrl) {
    return createPostgresStore({
      connectionString: options.databaseUrl,
      ...(options.databaseSchema ? { schema: options.databaseSchema } : {}),
      now: options.now,
      logger: options.logger,
    })
  }
  try {
    return await createLowdbStore({ dir: join(options.dataDir, 'store'), now: options.now })
  } catch (err) {
    if (!(err instanceof DataDirectoryLockedError)) throw err
    throw new DataDirectoryLockedError(
      err.dir,
      `${err.message}. Several sandbox instances on one DATA_DIR need a shared store: set DATABASE_URL`,
    )
  }
}
