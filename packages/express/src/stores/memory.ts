import { consoleLogger, type Logger } from '../logger.js'
import { type ClientRecord, type ClientStore, type Clock, type ReplayStore, StoreConflictError } from './types.js'

/** Options of the in-memory stores. */
export interface MemoryStoreOptions {
  /** Clock for expiry. Default `Date.now`. */
  now?: Clock
  /** Receives the "for tests and demos" warning. Default: JSON lines on stderr. */
  logger?: Logger
}

/**
 * A record kept as its JSON text: a copy the caller cannot mutate, as the file and database stores
 * keep theirs, and one string per client for the garbage collector to skip, where a deep object
 * graph per client made every major collection walk all of them (event-loop pauses over 100 ms
 * under load in the benchmark).
 */
interface Stored {
  version: number
  json: string
}

const store = (record: ClientRecord): Stored => ({ version: record.version, json: JSON.stringify(record) })

/**
 * A client store in process memory: for tests and demos only (lost on restart, not shared).
 *
 * @example
 * const store = createMemoryClientStore()
 */
export function createMemoryClientStore(options: MemoryStoreOptions = {}): ClientStore {
  ;(options.logger ?? consoleLogger).warn(
    {},
    'memory client store in use: for tests and demos only, nothing survives a restart',
  )
  const clients = new Map<string, Stored>()
  return {
    async create(record) {
      if (clients.has(record.clientId)) throw new StoreConflictError(record.clientId)
      clients.set(record.clientId, store(record))
    },
    async get(clientId) {
      const stored = clients.get(clientId)
      return stored && (JSON.parse(stored.json) as ClientRecord)
    },
    async update(record, expectedVersion) {
      const current = clients.get(record.clientId)
      if (!current || current.version !== expectedVersion) return false
      clients.set(record.clientId, store(record))
      return true
    },
    async delete(clientId) {
      return clients.delete(clientId)
    },
  }
}

/** A replay store in process memory: for tests, demos and single-process deployments. */
export function createMemoryReplayStore(options: MemoryStoreOptions = {}): ReplayStore {
  ;(options.logger ?? consoleLogger).warn(
    {},
    'memory replay store in use: for tests and demos only, not shared between instances',
  )
  const now = options.now ?? Date.now
  const claims = new Map<string, number>()
  let nextSweep = 0
  const sweep = (at: number): void => {
    if (at < nextSweep) return
    for (const [key, expiresAt] of claims) if (expiresAt <= at) claims.delete(key)
    nextSweep = at + 60_000
  }
  return {
    async claim(key, expiresAt) {
      const at = now()
      sweep(at)
      const live = claims.get(key)
      if (live !== undefined && live > at) return false
      claims.set(key, expiresAt)
      return true
    },
  }
}
