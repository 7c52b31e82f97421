import { describeClientStore, describeReplayStore } from '@open-dcr/store-test-suite'
import { describe, expect, it } from 'vitest'
import { createMemoryClientStore, createMemoryReplayStore, silentLogger } from '../../src/index.js'

describeClientStore('memory', { create: (clock) => createMemoryClientStore({ logger: silentLogger, now: clock.now }) })
describeReplayStore('memory', { create: (clock) => createMemoryReplayStore({ logger: silentLogger, now: clock.now }) })

describe('memory stores', () => {
  it('warn that they are for tests and demos', () => {
    const warnings: string[] = []
    const logger = { info: () => {}, error: () => {}, warn: (_: object, msg: string) => warnings.push(msg) }
    createMemoryClientStore({ logger })
    createMemoryReplayStore({ logger })
    expect(warnings).toEqual([
      'memory client store in use: for tests and demos only, nothing survives a restart',
      'memory replay store in use: for tests and demos only, not shared between instances',
    ])
  })
})
