import { afterEach } from 'vitest'
import { createTestClock, type TestClock } from './clock.js'

/** How a suite gets the store under test. */
export interface StoreFactory<Store> {
  /** Opens a store over new, empty storage that reads time from `clock`. */
  create(clock: TestClock): Store | Promise<Store>
}

/** Opens a store under test, with the clock it reads time from. */
export type OpenStore<Store> = (clock?: TestClock) => Promise<{ store: Store; clock: TestClock }>

/**
 * Opens stores from `factory` for the tests of the enclosing `describe`, and closes every one after
 * each test. Call it inside `describe`.
 */
export function openStores<Store extends { close?(): Promise<void> }>(factory: StoreFactory<Store>): OpenStore<Store> {
  const opened: Store[] = []
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((store) => store.close?.()))
  })
  return async (clock = createTestClock()) => {
    const store = await factory.create(clock)
    opened.push(store)
    return { store, clock }
  }
}
