/**
 * `@open-dcr/store-postgres`, when the workspace has it. It is written on another branch, so this
 * file is the one place that knows its API; until it is merged (and built by `tsc -b`), every
 * PostgreSQL target reports "not available" instead of failing the run.
 */
import { existsSync } from 'node:fs'
import type { ClientStore, ReplayStore } from '@open-dcr/express'

/** The PostgreSQL store as the benchmarks use it. */
export type PostgresStore = ClientStore & ReplayStore & { close(): Promise<void> }

/** What the benchmarks expect the package to export. Adjust here if the merged API differs. */
interface PostgresStoreModule {
  createPostgresStore(options: { connectionString: string }): PostgresStore | Promise<PostgresStore>
  /** Optional: creates or upgrades the schema, if the store does not do it when opened. */
  migrate?(options: { connectionString: string }): Promise<unknown>
}

const packageName = '@open-dcr/store-postgres'
/** Built output in the workspace, for when bench/package.json does not list the package yet. */
const workspaceBuild = new URL('../../packages/store-postgres/dist/index.js', import.meta.url)

let loaded: Promise<PostgresStoreModule | string> | undefined

async function load(): Promise<PostgresStoreModule | string> {
  let module: Partial<PostgresStoreModule>
  try {
    module = (await import(packageName)) as Partial<PostgresStoreModule>
  } catch {
    if (!existsSync(workspaceBuild)) return `${packageName} is not in the workspace (or not built)`
    module = (await import(workspaceBuild.href)) as Partial<PostgresStoreModule>
  }
  if (typeof module.createPostgresStore !== 'function') return `${packageName} has no createPostgresStore export`
  return module as PostgresStoreModule
}

/** Undefined when the PostgreSQL store can be used; otherwise why not. */
export async function postgresStoreUnavailable(): Promise<string | undefined> {
  loaded ??= load()
  const module = await loaded
  return typeof module === 'string' ? module : undefined
}

/** Opens the PostgreSQL store on `connectionString` (schema created if needed). */
export async function openPostgresStore(connectionString: string): Promise<PostgresStore> {
  loaded ??= load()
  const module = await loaded
  if (typeof module === 'string') throw new Error(`postgres: not available (${module})`)
  await module.migrate?.({ connectionString })
  return module.createPostgresStore({ connectionString })
}
