import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { silentLogger } from '@open-dcr/express'
import { minimalRecord } from '@open-dcr/store-test-suite'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  createPostgresStore,
  migratePostgresStore,
  type PostgresStore,
  SchemaNotMigratedError,
  schemaVersion,
} from '../src/index.js'
import { type PostgresServer, startPostgresServer } from './support/postgres-server.js'

const run = promisify(execFile)
const root = fileURLToPath(new URL('../../..', import.meta.url))
const cli = fileURLToPath(new URL('../src/cli.ts', import.meta.url))

/** Runs `open-dcr-migrate` from source; resolves with exit code and output. */
async function migrateCommand(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--conditions=source', '--import', 'tsx', cli, ...args], {
      cwd: root,
      timeout: 60_000,
      env: { ...process.env, DATABASE_URL: '', ...env },
    })
    return { code: 0, stdout, stderr }
  } catch (err) {
    const failed = err as { code?: number; stdout?: string; stderr?: string }
    return {
      code: typeof failed.code === 'number' ? failed.code : 1,
      stdout: failed.stdout ?? '',
      stderr: failed.stderr ?? '',
    }
  }
}

let server: PostgresServer
let admin: pg.Pool
beforeAll(async () => {
  server = await startPostgresServer()
  admin = new pg.Pool({ connectionString: server.url, max: 2 })
  // pg reports a connection the server ends (shutdown at the end of the file) as an event.
  admin.on('error', () => {})
})
afterAll(async () => {
  await admin?.end()
  await server?.close()
})

const migrationRows = async (schema: string) =>
  (await admin.query(`SELECT version, name FROM ${schema}.schema_migrations ORDER BY version`)).rows

describe('postgres store migrations', () => {
  it('migrates a fresh schema once when four instances start at the same moment', async () => {
    const schema = server.newSchema()
    const stores: PostgresStore[] = await Promise.all(
      Array.from({ length: 4 }, () =>
        createPostgresStore({ connectionString: server.url, schema, logger: silentLogger, maxConnections: 2 }),
      ),
    )
    try {
      expect(await migrationRows(schema)).toEqual([{ version: 1, name: 'clients and replay claims' }])
      const tables = await admin.query(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name`,
        [schema],
      )
      expect(tables.rows.map((row) => row.table_name)).toEqual(['clients', 'replay_claims', 'schema_migrations'])
      // Every instance works on the same tables.
      const record = minimalRecord(Date.now())
      await stores[0]?.create(record)
      for (const store of stores) expect(await store.get(record.clientId)).toEqual(record)
    } finally {
      await Promise.all(stores.map((store) => store.close()))
    }
  })

  it('with migrate: false, refuses an unmigrated schema, naming the command, and opens a migrated one', async () => {
    const schema = server.newSchema()
    const opening = createPostgresStore({ connectionString: server.url, schema, migrate: false, logger: silentLogger })
    await expect(opening).rejects.toBeInstanceOf(SchemaNotMigratedError)
    await expect(opening).rejects.toThrow(`open-dcr-migrate --database-url <url> --schema ${schema}`)
    expect(await migratePostgresStore({ connectionString: server.url, schema })).toEqual({
      schema,
      applied: [1],
      version: schemaVersion,
    })
    expect(await migratePostgresStore({ connectionString: server.url, schema })).toEqual({
      schema,
      applied: [],
      version: schemaVersion,
    })
    const store = await createPostgresStore({
      connectionString: server.url,
      schema,
      migrate: false,
      logger: silentLogger,
    })
    const record = minimalRecord(Date.now())
    await store.create(record)
    expect(await store.get(record.clientId)).toEqual(record)
    await store.close()
  })

  it('open-dcr-migrate applies pending migrations, then finds nothing to do', async () => {
    const schema = server.newSchema()
    const first = await migrateCommand(['--database-url', server.url, '--schema', schema])
    expect(first).toMatchObject({ code: 0, stderr: '' })
    expect(JSON.parse(first.stdout)).toEqual({ schema, applied: [1], version: schemaVersion })
    const second = await migrateCommand(['--schema', schema], { DATABASE_URL: server.url })
    expect(JSON.parse(second.stdout)).toEqual({ schema, applied: [], version: schemaVersion })
    expect(await migrationRows(schema)).toHaveLength(1)
  })

  it('open-dcr-migrate explains what is missing or wrong, without the password', async () => {
    const missing = await migrateCommand([])
    expect(missing.code).toBe(2)
    expect(missing.stderr).toContain('give --database-url or set DATABASE_URL')
    const url = new URL(server.url)
    url.port = '1'
    const refused = await migrateCommand(['--database-url', url.href])
    expect(refused.code).toBe(1)
    expect(refused.stderr).toMatch(/^open-dcr-migrate: PostgreSQL is unavailable: ECONNREFUSED/)
    expect(refused.stderr).not.toContain(url.password)
    const badSchema = await migrateCommand(['--database-url', server.url, '--schema', 'No-Such'])
    expect(badSchema).toMatchObject({ code: 1 })
    expect(badSchema.stderr).toContain('option "schema" must be a lowercase SQL identifier')
  })
})
