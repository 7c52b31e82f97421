/**
 * The servers the benchmarks compare. A target knows how to give each run a fresh server spec (its
 * own data directory or database) and which requests it takes. Adding one is an entry here.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TrustSpec } from './fixture.js'
import { postgresServer } from './postgres-server.js'
import { postgresStoreUnavailable } from './postgres-store.js'
import { type ManagementSpec, peerRegistrationPath, type ServerSpec, type StoreSpec } from './protocol.js'

/** Store kinds open-dcr is measured on. */
export type StoreKind = StoreSpec['kind']

/** A store provisioned for one run. */
export interface ProvisionedStore {
  spec: StoreSpec
  /** Removes the data directory or drops the database. */
  remove(): Promise<void>
}

/** Makes an empty store of `kind`: a new lowdb directory (fsync on by default) or PostgreSQL database. */
export async function provisionStore(kind: StoreKind, options: { fsync?: boolean } = {}): Promise<ProvisionedStore> {
  switch (kind) {
    case 'memory':
      return { spec: { kind }, remove: async () => {} }
    case 'lowdb': {
      const dir = await mkdtemp(join(tmpdir(), 'open-dcr-bench-lowdb-'))
      return {
        spec: { kind, dir, fsync: options.fsync ?? true },
        remove: () => rm(dir, { recursive: true, force: true }),
      }
    }
    case 'postgres': {
      const server = await postgresServer()
      const connectionString = await server.createDatabase()
      return { spec: { kind, connectionString }, remove: () => server.dropDatabase(connectionString) }
    }
  }
}

/** Why open-dcr cannot run on `kind` here, or undefined when it can. */
export function storeUnavailable(kind: StoreKind): Promise<string | undefined> {
  return kind === 'postgres' ? postgresStoreUnavailable() : Promise.resolve(undefined)
}

/** One server under test. */
export interface Target {
  /** Short name in tables and JSON, e.g. `open-dcr lowdb`. */
  name: string
  /** Which request pool it takes: signed OB registration JWSs, or JSON metadata with the SSA. */
  requests: 'signed-jws' | 'json'
  /** Registration endpoint path. */
  path: string
  /** The store, for open-dcr targets. */
  store?: StoreKind
  /** Why it cannot run here, or undefined. */
  unavailable(): Promise<string | undefined>
  /** A fresh server for one run, and how to clean up after it. */
  provision(trust: TrustSpec): Promise<{ spec: ServerSpec; remove(): Promise<void> }>
}

/** open-dcr with the `ob-uk` profile on `store`. */
export function openDcrTarget(store: StoreKind, management: ManagementSpec = 'registration-access-token'): Target {
  return {
    name: `open-dcr ${store}`,
    requests: 'signed-jws',
    path: '/register',
    store,
    unavailable: () => storeUnavailable(store),
    async provision(trust) {
      const provisioned = await provisionStore(store)
      return { spec: { kind: 'open-dcr', store: provisioned.spec, management, trust }, remove: provisioned.remove }
    },
  }
}

/** panva's oidc-provider with dynamic registration and one SSA check (see servers/oidc-provider.ts). */
export const oidcProviderTarget: Target = {
  name: 'oidc-provider',
  requests: 'json',
  path: peerRegistrationPath,
  unavailable: async () => undefined,
  provision: async (trust) => ({ spec: { kind: 'oidc-provider', trust }, remove: async () => {} }),
}
