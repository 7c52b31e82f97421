import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { ClientRecord } from '@open-dcr/express'
import { afterAll, describe, expect, it } from 'vitest'
import { createLowdbStore } from '../src/index.js'
import { type FixtureMessage, type FixtureProcess, startFixture } from './child-process.js'
import { tempFilesUnder } from './faulty-file-system.js'

const dirs: string[] = []
const storms: FixtureProcess[] = []
afterAll(async () => {
  await Promise.all(storms.map((storm) => storm.stop()))
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })))
})

/** What the storm process acknowledged, across all its lives. */
class Acknowledged {
  readonly clients = new Map<string, ClientRecord>()
  /** An update that was started but not acknowledged: after a kill, the store may hold either version. */
  readonly updating = new Map<string, ClientRecord>()
  /** Acknowledged claims: jti → expiresAt. */
  readonly claims = new Map<string, number>()
  count = 0

  take(message: FixtureMessage): void {
    const record = message.record as ClientRecord
    if (message.type === 'claimed') this.claims.set(message.jti as string, message.expiresAt as number)
    else if (message.type === 'created') this.clients.set(record.clientId, record)
    else if (message.type === 'updating') this.updating.set(record.clientId, record)
    else if (message.type === 'updated') {
      this.clients.set(record.clientId, record)
      this.updating.delete(record.clientId)
    } else return
    this.count++
  }
}

/** Generous: these tests start Node processes, slow on a busy 2-core machine; they never sleep. */
const multiProcessTimeout = 120_000

describe('crash durability', () => {
  it(
    'keeps every acknowledged client and claim through SIGKILLs mid-storm, leaving no temporary file',
    async () => {
      const dir = await mkdtemp(join(tmpdir(), 'open-dcr-crash-'))
      dirs.push(dir)
      const claimExpiresAt = Date.now() + 3_600_000
      const acknowledged = new Acknowledged()
      const kills = 5
      let leftBehind = 0
      for (let life = 0; life < kills; life++) {
        const storm = startFixture('registration-storm', {
          STORM_DIR: dir,
          STORM_CLAIM_EXPIRES_AT: String(claimExpiresAt),
        })
        storms.push(storm)
        storm.child.on('message', (message) => acknowledged.take(message as FixtureMessage))
        await storm.next((m) => m.type === 'opened')
        // Kill after a different number of acknowledgements each life, while eight workers write.
        const killAt = acknowledged.count + 40 + life * 17
        await storm.next(() => acknowledged.count >= killAt)
        storm.child.kill('SIGKILL')
        await storm.exited
        expect(storm.child.signalCode).toBe('SIGKILL')
        leftBehind += (await tempFilesUnder(dir)).length
      }
      console.info(
        `crash durability: ${kills} SIGKILLs, ${acknowledged.clients.size} clients and ${acknowledged.claims.size} ` +
          `claims acknowledged, ${leftBehind} temporary files left by killed writes`,
      )

      const store = await createLowdbStore({ dir })
      try {
        expect(await tempFilesUnder(dir)).toEqual([])
        expect(acknowledged.clients.size).toBeGreaterThanOrEqual(kills * 10)
        for (const [clientId, record] of acknowledged.clients) {
          const stored = await store.get(clientId)
          const pending = acknowledged.updating.get(clientId)
          if (pending && stored?.version === pending.version) expect(stored).toEqual(pending)
          else expect(stored).toEqual(record)
        }
        for (const [jti, expiresAt] of acknowledged.claims) expect(await store.claim(jti, expiresAt), jti).toBe(false)
        // Claims in append-only logs, one per expiry bucket: nothing else (no temporary file, no shard).
        const logs = await readdir(join(dir, 'replay'))
        expect(logs.length).toBeGreaterThanOrEqual(2)
        for (const name of logs) expect(name).toMatch(/^until-\d+\.log$/)
      } finally {
        await store.close()
      }
    },
    multiProcessTimeout,
  )
})
