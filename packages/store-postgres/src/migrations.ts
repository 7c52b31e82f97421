import type { Pool, PoolClient } from 'pg'

/** One versioned change of the store's schema; applied once, in order, recorded in `schema_migrations`. */
interface Migration {
  version: number
  name: string
  /** SQL for the quoted schema name `s` (several statements, no parameters). */
  sql: (s: string) => string
}

/**
 * Clients: one row each, the record as JSONB (hashes only, never plain secrets), with the columns
 * an operator queries by. Replay claims: a SHA-256 of the key (any length, any characters) and
 * the expiry in epoch ms of the store's clock.
 */
const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'clients and replay claims',
    sql: (s) => `
      CREATE TABLE ${s}.clients (
        client_id   text        PRIMARY KEY,
        tenant      text        NOT NULL,
        software_id text,
        org_id      text,
        version     integer     NOT NULL CHECK (version >= 1),
        created_at  timestamptz NOT NULL,
        updated_at  timestamptz NOT NULL,
        record      jsonb       NOT NULL
      );
      CREATE INDEX clients_tenant_software_idx ON ${s}.clients (tenant, software_id);
      CREATE INDEX clients_org_idx ON ${s}.clients (org_id);
      CREATE TABLE ${s}.replay_claims (
        key_hash   bytea  PRIMARY KEY,
        expires_at bigint NOT NULL
      );
      CREATE INDEX replay_claims_expires_idx ON ${s}.replay_claims (expires_at);
    `,
  },
]

/** The schema version this release of the store needs. */
export const latestVersion = migrations.reduce((max, m) => Math.max(max, m.version), 0)

/** Thrown when the schema is older than this store needs and it may not migrate it itself. */
export class SchemaNotMigratedError extends Error {
  override readonly name = 'SchemaNotMigratedError'
}

/** Advisory lock namespace of open-dcr migrations (the second key is a hash of the schema name). */
const lockNamespace = 0x0dc2

/** Migrations may wait for another instance's lock and change big tables: longer than a request. */
const migrationTimeout = '120s'

async function inTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect()
  // A connection lost while checked out is reported as an event too; the failing query reports it.
  const ignore = () => {}
  client.on('error', ignore)
  let broken: Error | undefined
  try {
    await client.query('BEGIN')
    const result = await work(client)
    await client.query('COMMIT')
    return result
  } catch (err) {
    broken = err instanceof Error ? err : new Error(String(err))
    await client.query('ROLLBACK').catch(() => {})
    throw err
  } finally {
    client.off('error', ignore)
    // A connection that failed mid-transaction is not reused.
    client.release(broken)
  }
}

/**
 * Applies the pending migrations in one transaction under a transaction-level advisory lock on
 * the schema's name: instances starting together queue on the lock, the first migrates, the others
 * find nothing left to do. Returns the versions this call applied.
 */
export async function migrate(pool: Pool, schema: string, quoted: string): Promise<number[]> {
  return inTransaction(pool, async (client) => {
    await client.query(`SET LOCAL statement_timeout = '${migrationTimeout}'`)
    await client.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [lockNamespace, schema])
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoted}`)
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${quoted}.schema_migrations (
         version    integer     PRIMARY KEY,
         name       text        NOT NULL,
         applied_at timestamptz NOT NULL DEFAULT now()
       )`,
    )
    const { rows } = await client.query<{ version: number }>(`SELECT version FROM ${quoted}.schema_migrations`)
    const done = new Set(rows.map((row) => row.version))
    const applied: number[] = []
    for (const migration of migrations) {
      if (done.has(migration.version)) continue
      await client.query(migration.sql(quoted))
      await client.query(`INSERT INTO ${quoted}.schema_migrations (version, name) VALUES ($1, $2)`, [
        migration.version,
        migration.name,
      ])
      applied.push(migration.version)
    }
    return applied
  })
}

/** Throws {@link SchemaNotMigratedError} unless every migration of this release has been applied. */
export async function assertMigrated(pool: Pool, schema: string, quoted: string): Promise<void> {
  const { rows } = await pool.query<{ exists: boolean }>('SELECT to_regclass($1) IS NOT NULL AS exists', [
    `${quoted}.schema_migrations`,
  ])
  const current = rows[0]?.exists
    ? ((await pool.query<{ version: number | null }>(`SELECT max(version) AS version FROM ${quoted}.schema_migrations`))
        .rows[0]?.version ?? 0)
    : 0
  if (current < latestVersion) {
    throw new SchemaNotMigratedError(
      `open-dcr postgres store: schema "${schema}" is at version ${current}, this release needs ${latestVersion}; ` +
        `run open-dcr-migrate --database-url <url> --schema ${schema}, or start with migrate: true`,
    )
  }
}
