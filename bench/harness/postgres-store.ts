/** `@open-dcr/store-postgres` as the benchmarks use it: migrated at open (under its advisory lock). */
import type { ClientStore, ReplayStore } from '@open-dcr/express'
import { createPostgresStore } from '@open-dcr/store-postgres'

/** The PostgreSQL store as the benchmarks use it. */
export type PostgresStore = ClientStore & ReplayStore & { close(): Promise<void> }

/** Undefined: the PostgreSQL store is part of the workspace (the target needs only a server). */
export async function postgresStoreUnavailable(): Promise<string | undefined> {
  return undefined
}

/** Opens the PostgreSQL store on `connectionString` (schema migrated if needed). */
export async function openPostgresStore(connectionString: string): Promise<PostgresStore> {
  return createPostgresStore({ connectionString })
}
