import { request } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { call, cleanUp, sandbox } from './helpers.js'

type Sandbox = Awaited<ReturnType<typeof sandbox>>

let bank: Sandbox
beforeAll(async () => {
  bank = await sandbox()
})
afterAll(async () => {
  await bank?.close()
  await cleanUp()
})

/**
 * Generous: a kit's five RSA keys take over half a second of CPU; made on the event loop, eight
 * kits held /health for one to several seconds. Off the loop /health takes milliseconds.
 */
const healthBound = 500

/** `POST /sandbox/tpps`: `sent` once the whole request is handed to the socket, `answered` with the status. */
function startKit(url: string): { sent: Promise<void>; answered: Promise<number> } {
  let flushed: () => void = () => {}
  const sent = new Promise<void>((resolve) => {
    flushed = resolve
  })
  const answered = new Promise<number>((resolve, reject) => {
    const req = request(
      `${url}/sandbox/tpps`,
      { method: 'POST', headers: { 'content-type': 'application/json' }, agent: false },
      (res) => {
        res.resume()
        res.on('end', () => resolve(res.statusCode ?? 0))
      },
    )
    req.on('error', reject)
    req.on('finish', flushed)
    req.end('{}')
  })
  return { sent, answered }
}

describe('the sandbox while kits are being made', () => {
  it('answers /health while 8 kits are created at once, before any of them is done', async () => {
    const url = bank.urls.http
    let pending = 8
    const probes: { ms: number; kitsPending: number }[] = []
    const probeHealth = async () => {
      const asked = performance.now()
      const res = await call(`${url}/health`)
      probes.push({ ms: performance.now() - asked, kitsPending: pending })
      expect(res.status).toBe(200)
    }
    const followUps: Promise<void>[] = []
    const kits = Array.from({ length: 8 }, () => startKit(url))
    const done = kits.map(async ({ answered }) => {
      expect(await answered).toBe(201)
      pending--
      // Asked while the other kits are still being made.
      if (pending > 0) followUps.push(probeHealth())
    })
    // Every kit request is on its way before /health is asked.
    await Promise.all(kits.map(({ sent }) => sent))
    await probeHealth()
    await Promise.all(done)
    await Promise.all(followUps)

    expect(probes[0]?.kitsPending).toBe(8)
    expect(probes.filter((probe) => probe.kitsPending > 0).length).toBeGreaterThanOrEqual(4)
    for (const probe of probes) expect(probe.ms).toBeLessThan(healthBound)
  })
})
