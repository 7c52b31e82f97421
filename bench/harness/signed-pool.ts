import { availableParallelism } from 'node:os'
import { Worker } from 'node:worker_threads'
import type { SignerSpec } from './fixture.js'

/**
 * Longest registration request lifetime open-dcr accepts by default (`requestObjectMaxLifetime`):
 * the pool must be used up within it, so a benchmark run stays under an hour.
 */
export const requestLifetime = 3600

/**
 * Workers do not inherit the parent's `--import tsx` hooks on Node 20: the worker registers tsx
 * itself, then loads the TypeScript worker module.
 */
const workerBootstrap = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((tsx) => {
  tsx.register()
  return import(${JSON.stringify(new URL('./sign-worker.ts', import.meta.url).href)})
})`

/** Request bodies made before the load starts, each sent at most once per server. */
export interface RequestPool {
  /** `Content-Type` of the bodies. */
  contentType: string
  bodies: readonly string[]
  /** Epoch ms when the pool was made (the requests' `iat`). */
  madeAt: number
}

/**
 * `count` UK OB registration requests (JWS, `application/jose`), each with a unique `jti`, signed
 * in one worker thread per core. Several targets can replay one pool, each with a fresh replay store.
 */
export async function signRequestPool(signer: SignerSpec, count: number): Promise<RequestPool> {
  const madeAt = Date.now()
  const workers = Math.max(1, Math.min(availableParallelism(), Math.ceil(count / 500)))
  const shares = Array.from({ length: workers }, (_, i) => Math.floor(count / workers) + (i < count % workers ? 1 : 0))
  const parts = await Promise.all(
    shares.map(
      (share) =>
        new Promise<string[]>((resolve, reject) => {
          const worker = new Worker(workerBootstrap, {
            eval: true,
            workerData: { signer, count: share, lifetime: requestLifetime },
          })
          let signed: string[] | undefined
          worker.once('message', (message: string[]) => {
            signed = message
            void worker.terminate()
          })
          worker.once('error', reject)
          worker.once('exit', () => (signed ? resolve(signed) : reject(new Error('signing worker exited early'))))
        }),
    ),
  )
  return { contentType: 'application/jose', bodies: parts.flat(), madeAt }
}
