import { generateKeyPairSync, type KeyObject } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { createRsaKeyQueue } from '../src/rsa-key-queue.js'

const key = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey

/** A key generator the test finishes by hand, one call at a time. */
function manualGenerator() {
  const calls: { resolve: (key: KeyObject) => void; reject: (err: Error) => void }[] = []
  const generate = () =>
    new Promise<KeyObject>((resolve, reject) => {
      calls.push({ resolve, reject })
    })
  return { calls, generate }
}

/** Lets pending promise callbacks run. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve))

describe('createRsaKeyQueue', () => {
  it('makes at most `concurrency` keys at once, in the order asked for', async () => {
    const { calls, generate } = manualGenerator()
    const queue = createRsaKeyQueue({ concurrency: 2, generate })
    const order: number[] = []
    const taken = [0, 1, 2, 3].map((index) => queue.take().then(() => order.push(index)))
    await settle()
    expect(calls).toHaveLength(2)
    calls[1]?.resolve(key)
    await settle()
    expect(calls).toHaveLength(3)
    calls[0]?.resolve(key)
    calls[2]?.resolve(key)
    await settle()
    expect(calls).toHaveLength(4)
    calls[3]?.resolve(key)
    await Promise.all(taken)
    expect(order).toEqual([1, 0, 2, 3])
  })

  it('passes a failure to its caller and goes on with the next', async () => {
    const { calls, generate } = manualGenerator()
    const queue = createRsaKeyQueue({ concurrency: 1, generate })
    const failing = queue.take()
    const next = queue.take()
    await settle()
    calls[0]?.reject(new Error('no entropy'))
    await expect(failing).rejects.toThrow('no entropy')
    await settle()
    calls[1]?.resolve(key)
    await expect(next).resolves.toBe(key)
  })

  it('refuses a concurrency that is not a whole number of 1 or more', () => {
    expect(() => createRsaKeyQueue({ concurrency: 0 })).toThrow(TypeError)
    expect(() => createRsaKeyQueue({ concurrency: 1.5 })).toThrow(/concurrency/)
  })
})
