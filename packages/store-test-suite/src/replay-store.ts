import type { ReplayStore } from '@open-dcr/express'
import { describe, expect, it } from 'vitest'
import { prototypeNames } from './prototype-names.js'
import { openStores, type StoreFactory } from './store-factory.js'

/**
 * The conformance suite every `ReplayStore` runs: a key is claimed once while its claim lives and
 * again after it expires (by the injected clock), exactly one of 100 concurrent claims of a key
 * wins, and keys that are Object.prototype names are kept like any other.
 *
 * @example
 * describeReplayStore('lowdb', { create: async (clock) => createLowdbStore({ dir: await tmp(), now: clock.now }) })
 */
export function describeReplayStore(name: string, factory: StoreFactory<ReplayStore>): void {
  describe(`${name}: ReplayStore conformance`, () => {
    const open = openStores(factory)

    it('treats keys that are Object.prototype names like any other key', async () => {
      const { store, clock } = await open()
      const expiresAt = clock.now() + 60_000
      // Never mistaken for a live claim before being claimed, never dropped once claimed.
      for (const key of prototypeNames) expect(await store.claim(key, expiresAt), key).toBe(true)
      for (const key of prototypeNames) expect(await store.claim(key, expiresAt), key).toBe(false)
      clock.advance(60_001)
      for (const key of prototypeNames) expect(await store.claim(key, clock.now() + 60_000), key).toBe(true)
    })

    it('accepts a key once while its claim lives, then again after it expires', async () => {
      const { store, clock } = await open()
      const expiresAt = clock.now() + 60_000
      expect(await store.claim('jti-1', expiresAt)).toBe(true)
      expect(await store.claim('jti-1', expiresAt)).toBe(false)
      expect(await store.claim('jti-2', expiresAt)).toBe(true)
      clock.advance(59_999)
      expect(await store.claim('jti-1', expiresAt + 60_000)).toBe(false)
      clock.advance(2)
      expect(await store.claim('jti-1', clock.now() + 60_000)).toBe(true)
    })

    it('grants exactly one of 100 concurrent claims of one key', async () => {
      const { store, clock } = await open()
      const expiresAt = clock.now() + 60_000
      const results = await Promise.all(Array.from({ length: 100 }, () => store.claim('same', expiresAt)))
      expect(results.filter(Boolean)).toHaveLength(1)
    })

    it('grants all of 200 concurrent claims of different keys', async () => {
      const { store, clock } = await open()
      const expiresAt = clock.now() + 60_000
      const results = await Promise.all(Array.from({ length: 200 }, (_, i) => store.claim(`key-${i}`, expiresAt)))
      expect(results.every(Boolean)).toBe(true)
      expect(await store.claim('key-7', expiresAt)).toBe(false)
    })
  })
}
