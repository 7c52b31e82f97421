import { consoleLogger, type Logger } from '../logger.js'
import { createMemoryReplayStore } from '../stores/memory.js'
import type { ClientStore, Clock, ReplayStore } from '../stores/types.js'
import { fail, hasMethods, text } from './checks.js'
import { optionDefaults } from './defaults.js'

/** What a brand runs on: where clients are kept, under which tenant, logged where, at what time. */
export interface Runtime {
  store: ClientStore
  tenant: string
  logger: Logger
  now: Clock
}

const loggerMethods: readonly (keyof Logger)[] = ['info', 'warn', 'error']

/** Validates the store, replay store, tenant, logger and clock. */
export function resolveRuntime(options: {
  store: ClientStore
  replayStore?: ReplayStore | undefined
  tenant?: string | undefined
  logger?: Logger | undefined
  now?: Clock | undefined
}): Runtime {
  hasMethods('store', options.store, ['create', 'get', 'update', 'delete'])
  if (options.replayStore !== undefined) hasMethods('replayStore', options.replayStore, ['claim'])
  const tenant = text('tenant', options.tenant, optionDefaults.tenant)
  const logger = options.logger ?? consoleLogger
  hasMethods('logger', logger, loggerMethods)
  const now = options.now ?? Date.now
  if (typeof now !== 'function') fail('now', 'must be a function returning epoch milliseconds')
  return { store: options.store, tenant, logger, now }
}

/**
 * The replay store, or the in-memory fallback (which warns: one process only). Built once every
 * option is valid, so a refused configuration logs nothing.
 */
export const resolveReplayStore = (replayStore: ReplayStore | undefined, runtime: Runtime): ReplayStore =>
  replayStore ?? createMemoryReplayStore({ logger: runtime.logger, now: runtime.now })
