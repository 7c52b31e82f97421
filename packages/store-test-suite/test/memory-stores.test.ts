import { createMemoryClientStore, createMemoryReplayStore, silentLogger } from '@open-dcr/express'
import { describeClientStore, describeReplayStore } from '../src/index.js'

// The reference stores of @open-dcr/express run the suites here, not in that package's own tests:
// @open-dcr/express needing this package to test itself would make the two depend on each other.
describeClientStore('memory', { create: (clock) => createMemoryClientStore({ logger: silentLogger, now: clock.now }) })
describeReplayStore('memory', { create: (clock) => createMemoryReplayStore({ logger: silentLogger, now: clock.now }) })
