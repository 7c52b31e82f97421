import type { Logger } from '@open-dcr/express'

/** Most batches one sweep runs back to back before waiting for the next interval. */
const maxBatchesPerSweep = 10

/** A background sweep of expired replay claims. */
export interface ClaimSweeper {
  /** Runs one sweep now (batches until one is not full, at most ten); resolves with the rows deleted. */
  sweepNow(): Promise<number>
  /** Stops the timer and waits for a sweep under way. */
  stop(): Promise<void>
}

/**
 * Every `interval` ms deletes expired claims in batches of `batchSize` (one statement each), so a
 * sweep never holds many locks or runs long; the timer is unref'd and never keeps a process alive.
 */
export function startClaimSweeper(
  sweep: (limit: number) => Promise<number>,
  options: { interval: number; batchSize: number; logger: Logger },
): ClaimSweeper {
  let running: Promise<number> | undefined
  const sweepNow = (): Promise<number> => {
    running ??= (async () => {
      let total = 0
      try {
        for (let batch = 0; batch < maxBatchesPerSweep; batch++) {
          const deleted = await sweep(options.batchSize)
          total += deleted
          if (deleted < options.batchSize) break
        }
        return total
      } finally {
        running = undefined
      }
    })()
    return running
  }
  const timer =
    options.interval > 0
      ? setInterval(() => {
          sweepNow().catch((err: unknown) => {
            const { name, message } = err instanceof Error ? err : { name: typeof err, message: String(err) }
            options.logger.warn({ err: { name, message } }, 'open-dcr postgres store: replay claim sweep failed')
          })
        }, options.interval)
      : undefined
  timer?.unref()
  return {
    sweepNow,
    async stop() {
      if (timer) clearInterval(timer)
      await running?.catch(() => {})
    },
  }
}
