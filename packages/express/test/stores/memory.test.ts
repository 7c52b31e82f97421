import { describeClientStore } from '@open-dcr/store-test-suite'
import { createMemoryClientStore, createMemoryReplayStore, silentLogger } from '../../src/index.js'

describeClientStore('memory', {
  create: (clock) => ({
    ...createMemoryClientStore({ logger: silentLogger, now: clock.now }),
    ...createMemoryReplayStore({ logger: silentLogger, now: clock.now }),
  }),
})
