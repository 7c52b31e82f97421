/**
 * The client and replay stores a server child can run on. Adding a store is one case here and, for
 * the benchmarks, one entry in the target lists.
 */
import { type ClientStore, createMemoryClientStore, createMemoryReplayStore, type ReplayStore } from '@open-dcr/express'
import { createLowdbStore } from '@open-dcr/store-lowdb'
import { openPostgresStore } from './postgres-store.js'
import type { StoreSpec } from './protocol.js'
import { quietLogger } from './quiet-logger.js'

/** A store opened for one server: clients, replay claims, and how to close both. */
export interface OpenedStore {
  store: ClientStore
  replayStore: ReplayStore
  close(): Promise<void>
}

/**
 * Counts store calls in flight, so a server can wait until requests the load generator abandoned
 * (their sockets closed, their handlers still running) are done before the store is closed; and
 * counts stored clients. (A `registered` hook would do that too, but open-dcr hands each hook a
 * copy of the record: the benchmark would add work to every registration.)
 */
export function instrumented(
  opened: OpenedStore,
  onCreated: () => void,
): OpenedStore & { quiet(idleMs: number, limitMs: number): Promise<void> } {
  let active = 0
  let last = performance.now()
  const track =
    <A extends unknown[], R>(fn: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      active++
      try {
        return await fn(...args)
      } finally {
        active--
        last = performance.now()
      }
    }
  const { store, replayStore } = opened
  return {
    store: {
      create: track(async (record) => {
        await store.create(record)
        onCreated()
      }),
      get: track(store.get.bind(store)),
      update: track(store.update.bind(store)),
      delete: track(store.delete.bind(store)),
    },
    replayStore: { claim: track(replayStore.claim.bind(replayStore)) },
    close: opened.close,
    async quiet(idleMs, limitMs) {
      const until = performance.now() + limitMs
      while (performance.now() < until && (active > 0 || performance.now() - last < idleMs)) {
        await new Promise((resolve) => setTimeout(resolve, idleMs / 4))
      }
    },
  }
}

/** Opens the store a spec names (inside the server child, or in the parent for bulk loads). */
export async function openStore(spec: StoreSpec): Promise<OpenedStore> {
  switch (spec.kind) {
    case 'memory':
      return {
        store: createMemoryClientStore({ logger: quietLogger }),
        replayStore: createMemoryReplayStore({ logger: quietLogger }),
        close: async () => {},
      }
    case 'lowdb': {
      const store = await createLowdbStore({ dir: spec.dir, fsync: spec.fsync })
      return { store, replayStore: store, close: () => store.close() }
    }
    case 'postgres': {
      const store = await openPostgresStore(spec.connectionString)
      return { store, replayStore: store, close: () => store.close() }
    }
  }
}
