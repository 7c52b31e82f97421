import type { KeyObject } from 'node:crypto'
import { availableParallelism } from 'node:os'
import { generateRsaKey, type RsaKeySource } from '@open-dcr/testkit'

/** Options of {@link createRsaKeyQueue}. */
export interface RsaKeyQueueOptions {
  /**
   * RSA keys generated at the same time on libuv's thread pool. Default: one core fewer than the
   * machine has, at most 2 (so 1 on a 2-core machine): the event loop keeps a core, and the thread
   * pool (4 threads by default) keeps threads for file I/O, which a burst of kits would otherwise
   * queue behind key generation.
   */
  concurrency?: number
  /** Makes one key. Default `generateRsaKey` (libuv thread pool). */
  generate?: RsaKeySource
}

/** RSA-2048 keys for kits, made off the event loop, a few at a time. */
export interface RsaKeyQueue {
  /** A new key, once the keys asked for before it are being made. */
  take: RsaKeySource
}

/**
 * Makes RSA keys on libuv's thread pool, at most `concurrency` at once, in the order asked for.
 *
 * @example
 * const keys = createRsaKeyQueue()
 * const kit = await createTppKit({ directory, ca, jwksEndpoint, rsaKeys: keys.take })
 */
export function createRsaKeyQueue(options: RsaKeyQueueOptions = {}): RsaKeyQueue {
  const concurrency = options.concurrency ?? Math.max(1, Math.min(2, availableParallelism() - 1))
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new TypeError('open-dcr sandbox: RSA key concurrency must be a whole number of 1 or more')
  }
  const generate = options.generate ?? generateRsaKey
  const waiting: (() => void)[] = []
  let running = 0

  const next = () => {
    if (running >= concurrency) return
    const start = waiting.shift()
    if (!start) return
    running++
    start()
  }
  return {
    take: () =>
      new Promise<KeyObject>((resolve, reject) => {
        waiting.push(() => {
          generate()
            .then(resolve, reject)
            .finally(() => {
              running--
              next()
            })
        })
        next()
      }),
  }
}
