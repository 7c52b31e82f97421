export { type MigrationResult, migratePostgresStore } from './migrate-postgres-store.js'
export { latestVersion as schemaVersion, SchemaNotMigratedError } from './migrations.js'
export type { PostgresStoreOptions } from './options.js'
export { createPostgresStore, type PostgresStore } from './postgres-store.js'
