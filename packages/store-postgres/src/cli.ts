#!/usr/bin/env node
import { parseArgs } from 'node:util'
import { migratePostgresStore } from './migrate-postgres-store.js'

const usage = `Usage: open-dcr-migrate [--database-url URL] [--schema NAME]

Applies the open-dcr PostgreSQL store's pending schema migrations (under an advisory lock, so it is
safe while instances start), then exits. Start the instances with migrate: false afterwards.

  --database-url URL  postgres://user:password@host:5432/db (default: DATABASE_URL)
  --schema NAME       schema of the store's tables (default: open_dcr)
`

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { 'database-url': { type: 'string' }, schema: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    allowPositionals: false,
  })
  if (values.help) {
    process.stdout.write(usage)
    return 0
  }
  const connectionString = values['database-url'] ?? process.env.DATABASE_URL
  if (!connectionString) {
    process.stderr.write(`open-dcr-migrate: give --database-url or set DATABASE_URL\n\n${usage}`)
    return 2
  }
  const result = await migratePostgresStore({
    connectionString,
    ...(values.schema === undefined ? {} : { schema: values.schema }),
  })
  process.stdout.write(
    `${JSON.stringify({ schema: result.schema, applied: result.applied, version: result.version })}\n`,
  )
  return 0
}

main().then(
  (code) => {
    process.exitCode = code
  },
  (err: unknown) => {
    // The message only: a connection string in a stack trace or cause could carry the password.
    process.stderr.write(`open-dcr-migrate: ${err instanceof Error ? err.message : String(err)}\n`)
    process.exitCode = 1
  },
)
