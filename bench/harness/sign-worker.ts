/**
 * Worker thread: signs `count` registration requests as the fixture's TPP, each with its own `jti`,
 * and posts them back. Runs during setup only, so RSA signing never competes with the load window.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { signingKeyFromJwk, signRegistrationRequest } from '@open-dcr/testkit'
import type { SignerSpec } from './fixture.js'

interface Job {
  signer: SignerSpec
  count: number
  /** Seconds each request stays valid. */
  lifetime: number
}

const { signer, count, lifetime } = workerData as Job
const key = await signingKeyFromJwk(signer.privateJwk)
const signed: string[] = []
const batch = 32
for (let done = 0; done < count; done += batch) {
  const size = Math.min(batch, count - done)
  const jwss = await Promise.all(
    Array.from({ length: size }, () =>
      signRegistrationRequest({
        key: key.privateKey,
        alg: key.alg,
        kid: key.kid,
        softwareId: signer.softwareId,
        softwareStatement: signer.softwareStatement,
        audience: signer.audience,
        metadata: signer.metadata,
        lifetime,
      }),
    ),
  )
  signed.push(...jwss)
}
parentPort?.postMessage(signed)
