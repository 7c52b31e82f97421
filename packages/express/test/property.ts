import { performance } from 'node:perf_hooks'
import fc from 'fast-check'
import { CheckError } from '../src/index.js'

/** Runs per property: `PROPERTY_RUNS` when set (to fuzz deeper), else 10,000 in CI (`CI` set), 1,000 locally. */
export const propertyRuns = Number(process.env.PROPERTY_RUNS) || (process.env.CI ? 10_000 : 1_000)

/** The longest one call may take, ms. */
const slowest = 1000

/** What one call did: returned a value, or threw a CheckError. */
export type Outcome<T> = { value: T } | { error: CheckError }

/**
 * Calls `fn` and returns what it did, failing (so fast-check reports and shrinks the input) when it
 * throws anything but a CheckError (what the checks throw) or takes more than a second. Each call is timed on its own.
 */
export function outcome<T>(fn: () => T, input: unknown): Outcome<T> {
  const started = performance.now()
  let result: Outcome<T>
  try {
    result = { value: fn() }
  } catch (err) {
    if (!(err instanceof CheckError)) {
      throw new Error(`threw ${err instanceof Error ? err.name : typeof err} (not a CheckError) for ${show(input)}`, {
        cause: err,
      })
    }
    result = { error: err }
  }
  const took = performance.now() - started
  if (took > slowest) throw new Error(`took ${Math.round(took)} ms (over ${slowest}) for ${show(input)}`)
  return result
}

/**
 * Runs a synchronous property `propertyRuns` times. `check` says whether the input was accepted; a
 * property whose inputs are (almost) all accepted or all refused tests little, so each outcome must
 * make up at least `share` of the runs.
 */
export function assertProperty<T>(arbitrary: fc.Arbitrary<T>, check: (input: T) => boolean, share = 0.05): void {
  let accepted = 0
  fc.assert(
    fc.property(arbitrary, (input) => {
      if (check(input)) accepted++
    }),
    { numRuns: propertyRuns },
  )
  const refused = propertyRuns - accepted
  if (Math.min(accepted, refused) < propertyRuns * share) {
    throw new Error(`the inputs were ${accepted} accepted and ${refused} refused: too one-sided to test much`)
  }
}

/** An input as text for a failure message (long ones cut, controls escaped). */
function show(input: unknown): string {
  let text: string
  try {
    text = JSON.stringify(input) ?? typeof input
  } catch {
    text = `an unprintable ${typeof input}`
  }
  return text.length > 2000 ? `${text.slice(0, 2000)}… (${text.length} characters)` : text
}
