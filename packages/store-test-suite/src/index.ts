/**
 * The conformance suites every open-dcr store runs (vitest): {@link describeClientStore} for a
 * `ClientStore`, {@link describeReplayStore} for a `ReplayStore`. A store that is both runs both.
 *
 * @example
 * describeClientStore('lowdb', { create: async (clock) => createLowdbStore({ dir: await tmp(), now: clock.now }) })
 * describeReplayStore('lowdb', { create: async (clock) => createLowdbStore({ dir: await tmp(), now: clock.now }) })
 */
export { describeClientStore } from './client-store.js'
export { createTestClock, type TestClock } from './clock.js'
export { prototypeNames } from './prototype-names.js'
export { fullRecord, minimalRecord } from './records.js'
export { describeReplayStore } from './replay-store.js'
export type { StoreFactory } from './store-factory.js'
