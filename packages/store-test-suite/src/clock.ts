/** A clock tests move by hand. */
export interface TestClock {
  /** Current time, epoch ms. */
  now: () => number
  /** Moves the clock forward. */
  advance(ms: number): void
}

/** A clock starting at `start` (default: a fixed instant), moved only by {@link TestClock.advance}. */
export function createTestClock(start = Date.parse('2026-01-01T00:00:00Z')): TestClock {
  let at = start
  return {
    now: () => at,
    advance: (ms) => {
      at += ms
    },
  }
}
