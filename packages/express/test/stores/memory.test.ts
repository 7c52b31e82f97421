import { describe, expect, it } from 'vitest'
import { createMemoryClientStore, createMemoryReplayStore } from '../../src/index.js'

// The shared conformance suites run against these stores in packages/store-test-suite/test.

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
