import { type ClientRecord, StoreConflictError, StoreUnavailableError, silentLogger } from '@open-dcr/express'
import {
  createTestClock,
  describeClientStore,
  describeReplayStore,
  fullRecord,
  minimalRecord,
  type TestClock,
} from '@open-dcr/store-test-suite'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createPostgresStore, type PostgresStore, type PostgresStoreOptions } from '../src/index.js'
import { type PostgresServer, startPostgresServer } from './support/postgres-server.js'

let server: PostgresServer
let admin: pg.Pool
const stores: PostgresStore[] = []
beforeAll(async () => {
  server = await startPostgresServer()
  admin = new pg.Pool({ connectionString: server.url, max: 3 })
  // pg reports a connection the server ends (shutdown at the end of the file) as an event.
  admin.on('error', () => {})
})
afterAll(async () => {
  await Promise.all(stores.splice(0).map((store) => store.close()))
  await admin?.end()
  await server?.close()
})

const open = async (options: Partial<PostgresStoreOptions> = {}) => {
  const store = await createPostgresStore({
    connectionString: server.url,
    schema: server.newSchema(),
    logger: silentLogger,
    ...options,
  })
  stores.push(store)
  return store
}

/** A store in a schema of its own, so each conformance test starts empty. */
const conformanceStore = {
  create: (clock: TestClock) =>
    createPostgresStore({
      connectionString: server.url,
      schema: server.newSchema(),
      now: clock.now,
      logger: silentLogger,
    }),
}
describeClientStore('postgres', conformanceStore)
describeReplayStore('postgres', conformanceStore)

describe('postgres store on a real server', () => {
  it('keeps one row per client: indexed columns beside the record as JSONB', async () => {
    const clock = createTestClock()
    const schema = server.newSchema()
    const store = await open({ schema, now: clock.now })
    const record = fullRecord(clock.now())
    await store.create(record)
    await store.update({ ...record, version: 2, updatedAt: clock.now() + 1500 }, 1)
    const { rows } = await admin.query(`SELECT * FROM ${schema}.clients`)
    expect(rows).toEqual([
      {
        client_id: record.clientId,
        tenant: record.tenant,
        software_id: record.softwareId,
        org_id: record.orgId,
        version: 2,
        created_at: new Date(record.createdAt),
        updated_at: new Date(record.createdAt + 1500),
        record: { ...record, version: 2, updatedAt: record.createdAt + 1500 },
      },
    ])
  })

  it('round-trips strings PostgreSQL text cannot hold (U+0000, lone surrogates) in every field', async () => {
    const clock = createTestClock()
    const store = await open({ now: clock.now })
    const odd = ['nul\u0000inside', 'lone \uD800 high', 'lone \uDC00 low', '\uFDD0 marker first', '\uFDD0']
    const record: ClientRecord = {
      ...minimalRecord(clock.now(), `id-\u0000-\uD800`),
      tenant: odd[0] ?? '',
      softwareId: odd[1] ?? '',
      metadata: Object.fromEntries(odd.map((text, i) => [text, { list: [text, i], nested: { [text]: text } }])),
    }
    await store.create(record)
    expect(await store.get(record.clientId)).toEqual(record)
    expect(await store.get('id-\uFFFD-\uFFFD')).toBeUndefined()
    await expect(store.create(record)).rejects.toBeInstanceOf(StoreConflictError)
    expect(await store.claim('\u0000', clock.now() + 1000)).toBe(true)
    expect(await store.claim('\uFFFD', clock.now() + 1000)).toBe(true)
    expect(await store.claim('x'.repeat(100_000), clock.now() + 1000)).toBe(true)
    expect(await store.claim('x'.repeat(100_000), clock.now() + 1000)).toBe(false)
    expect(await store.delete(record.clientId)).toBe(true)
  })

  it('lets exactly one of 50 concurrent claims take over an expired claim', async () => {
    const clock = createTestClock()
    const store = await open({ now: clock.now })
    expect(await store.claim('jti', clock.now() + 1000)).toBe(true)
    clock.advance(1000)
    const results = await Promise.all(Array.from({ length: 50 }, () => store.claim('jti', clock.now() + 1000)))
    expect(results.filter(Boolean)).toHaveLength(1)
  })

  it('sweeps expired claims in bounded batches and keeps live ones', async () => {
    const clock = createTestClock()
    const schema = server.newSchema()
    const store = await open({ schema, now: clock.now, sweepBatchSize: 10, sweepInterval: 0 })
    await Promise.all(Array.from({ length: 25 }, (_, i) => store.claim(`old-${i}`, clock.now() + 1000)))
    await Promise.all(Array.from({ length: 5 }, (_, i) => store.claim(`live-${i}`, clock.now() + 60_000)))
    clock.advance(1000)
    expect(await store.sweepExpiredClaims()).toBe(25)
    expect((await admin.query(`SELECT count(*)::int AS n FROM ${schema}.replay_claims`)).rows[0].n).toBe(5)
    expect(await store.claim('live-3', clock.now() + 60_000)).toBe(false)
    expect(await store.sweepExpiredClaims()).toBe(0)
  })

  it('sweeps in the background every sweepInterval, until closed', async () => {
    const clock = createTestClock()
    const schema = server.newSchema()
    const store = await open({ schema, now: clock.now, sweepInterval: 50 })
    await store.claim('soon-gone', clock.now() + 10)
    clock.advance(10)
    const count = async () => (await admin.query(`SELECT count(*)::int AS n FROM ${schema}.replay_claims`)).rows[0].n
    const deadline = Date.now() + 20_000
    while ((await count()) > 0 && Date.now() < deadline) await new Promise((done) => setTimeout(done, 50))
    expect(await count()).toBe(0)
    await store.close()
    await expect(store.sweepExpiredClaims()).rejects.toThrow(/closed/)
    await expect(store.get('x')).rejects.toThrow(/closed/)
  })

  it('uses a pool the application owns and leaves it open on close', async () => {
    const pool = new pg.Pool({ connectionString: server.url, max: 2 })
    pool.on('error', () => {})
    const store = await createPostgresStore({ pool, schema: server.newSchema(), logger: silentLogger })
    const record = minimalRecord(Date.now())
    await store.create(record)
    await store.close()
    expect((await pool.query('SELECT 1 AS one')).rows[0].one).toBe(1)
    await pool.end()
  })

  it('answers StoreUnavailableError (with retryAfter) at startup when nothing listens', async () => {
    const url = new URL(server.url)
    url.port = '1' // a privileged port nothing here listens on: connection refused at once
    const opening = createPostgresStore({ connectionString: url.href, retryAfter: 7, logger: silentLogger })
    await expect(opening).rejects.toBeInstanceOf(StoreUnavailableError)
    await expect(opening).rejects.toMatchObject({ retryAfter: 7, message: /ECONNREFUSED/ })
  })

  it('maps a connection terminated mid-statement (admin shutdown) to StoreUnavailableError, then recovers', async () => {
    const clock = createTestClock()
    const schema = server.newSchema()
    const store = await open({ schema, now: clock.now })
    const record = minimalRecord(clock.now())
    await store.create(record)
    const locker = await admin.connect()
    try {
      await locker.query('BEGIN')
      await locker.query(`SELECT 1 FROM ${schema}.clients WHERE client_id = $1 FOR UPDATE`, [record.clientId])
      // Settled at once: it fails while the loop below is still looking for its backend.
      const update = store.update({ ...record, tenant: 'changed', version: 2 }, 1).then(
        () => 'updated',
        (err: unknown) => err,
      )
      const waiting = async () =>
        (
          await admin.query(
            `SELECT pg_terminate_backend(pid) AS done FROM pg_stat_activity
              WHERE application_name = 'open-dcr' AND wait_event_type = 'Lock' AND query LIKE '%UPDATE%'`,
          )
        ).rowCount
      const deadline = Date.now() + 20_000
      while ((await waiting()) === 0 && Date.now() < deadline) await new Promise((done) => setTimeout(done, 20))
      const failure = await update
      expect(failure).toBeInstanceOf(StoreUnavailableError)
      expect(failure).toMatchObject({ message: expect.stringMatching(/57P01/) })
    } finally {
      await locker.query('ROLLBACK')
      locker.release()
    }
    expect(await store.get(record.clientId)).toEqual(record)
    expect(await store.update({ ...record, version: 2 }, 1)).toBe(true)
  })

  it('maps a statement timeout to StoreUnavailableError and leaves the record as it was', async () => {
    const clock = createTestClock()
    const schema = server.newSchema()
    const store = await open({ schema, now: clock.now, statementTimeout: 300, retryAfter: 9 })
    const record = minimalRecord(clock.now())
    await store.create(record)
    const locker = await admin.connect()
    try {
      await locker.query('BEGIN')
      await locker.query(`SELECT 1 FROM ${schema}.clients WHERE client_id = $1 FOR UPDATE`, [record.clientId])
      const update = store.update({ ...record, tenant: 'changed', version: 2 }, 1)
      await expect(update).rejects.toBeInstanceOf(StoreUnavailableError)
      await expect(update).rejects.toMatchObject({ retryAfter: 9, message: /57014/ })
    } finally {
      await locker.query('ROLLBACK')
      locker.release()
    }
    expect(await store.get(record.clientId)).toEqual(record)
  })

  it('maps "too many connections" to StoreUnavailableError', async () => {
    const role = `odcr_limited_${Date.now().toString(36)}`
    await admin.query(`CREATE ROLE ${role} LOGIN PASSWORD 'pw' CONNECTION LIMIT 1`)
    const url = new URL(server.url)
    url.username = role
    url.password = 'pw'
    const holder = new pg.Client({ connectionString: url.href })
    holder.on('error', () => {})
    await holder.connect()
    try {
      const pool = new pg.Pool({ connectionString: url.href })
      pool.on('error', () => {})
      await expect(
        createPostgresStore({ pool, schema: server.newSchema(), logger: silentLogger }),
      ).rejects.toMatchObject({ name: 'StoreUnavailableError', message: /53300/ })
      await pool.end()
    } finally {
      await holder.end()
      await admin.query(`DROP ROLE ${role}`)
    }
  })

  it('rethrows a constraint violation that is not a conflict: a bug, not an outage', async () => {
    const store = await open()
    const record = minimalRecord(Date.now())
    await store.create(record)
    const bad = store.update({ ...record, version: 0 }, 1)
    await expect(bad).rejects.toMatchObject({ code: '23514' })
    await expect(bad).rejects.not.toBeInstanceOf(StoreUnavailableError)
  })

  it('validates its options, naming the wrong one', async () => {
    const url = server.url
    await expect(createPostgresStore({})).rejects.toThrow(/"pool"/)
    await expect(createPostgresStore({ connectionString: 'mysql://x' })).rejects.toThrow(/"connectionString"/)
    await expect(createPostgresStore({ connectionString: url, schema: 'Bad-Name' })).rejects.toThrow(/"schema"/)
    await expect(createPostgresStore({ connectionString: url, sweepBatchSize: 0 })).rejects.toThrow(/"sweepBatchSize"/)
    await expect(createPostgresStore({ connectionString: url, statementTimeout: 1.5 })).rejects.toThrow(
      /"statementTimeout"/,
    )
  })
})
