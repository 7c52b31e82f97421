import { type ClientRecord, silentLogger } from '@open-dcr/express'
import { createPostgresStore, type PostgresStore } from '@open-dcr/store-postgres'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type PostgresServer, startPostgresServer } from '../packages/store-postgres/test/support/postgres-server.js'
import { call, cleanUp, clientCert, sandbox } from './helpers.js'

// PostgreSQL stopped and started again under a steady registration load: while it is down the
// middleware answers 503 + Retry-After (never a 500), it recovers by itself, every acknowledged
// client is stored whole, and no row is a partial record.
const brand = 'northbank-personal'
const workers = 3

let database: PostgresServer
let bank: Awaited<ReturnType<typeof sandbox>>
let records: PostgresStore
let admin: pg.Pool
let schema: string
let kit: { software_id: string; transport: { cert_pem: string } }

beforeAll(async () => {
  database = await startPostgresServer({ restartable: true })
  schema = database.newSchema('restart')
  bank = await sandbox({ databaseUrl: database.url, databaseSchema: schema })
  records = await createPostgresStore({ connectionString: database.url, schema, migrate: false, logger: silentLogger })
  admin = new pg.Pool({ connectionString: database.url, max: 1 })
  admin.on('error', () => {})
  kit = (await call(`${bank.urls.http}/sandbox/tpps`, { body: {} })).body as typeof kit
}, 120_000)

afterAll(async () => {
  await bank?.close()
  await records?.close()
  await admin?.end()
  await database?.close()
  await cleanUp()
}, 120_000)

interface Outcome {
  startedAt: number
  status: number
  retryAfter: string | null
  body: Record<string, unknown>
}

/**
 * Registrations from `workers` loops until stopped (at most 3000, or 150 s): each signs a new
 * request, then registers; after a 503 a loop pauses 100 ms, as a client honouring Retry-After would
 * (shortened), so a slow restart cannot use up the budget.
 */
function startLoad() {
  const outcomes: Outcome[] = []
  let stopped = false
  const one = async () => {
    const prepared = await call(`${bank.urls.http}/sandbox/tpps/${kit.software_id}/registration-request`, {
      body: { brand },
    })
    const startedAt = Date.now()
    const res = await fetch(`${bank.urls.http}/${brand}/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/jose', ...clientCert(kit) },
      body: prepared.body.jwt as string,
    })
    outcomes.push({
      startedAt,
      status: res.status,
      retryAfter: res.headers.get('retry-after'),
      body: (await res.json()) as Record<string, unknown>,
    })
    if (res.status === 503) await new Promise((done) => setTimeout(done, 100))
  }
  const endAt = Date.now() + 150_000
  const loops = Array.from({ length: workers }, async () => {
    while (!stopped && outcomes.length < 3000 && Date.now() < endAt) await one()
  })
  return {
    outcomes,
    async stop() {
      stopped = true
      await Promise.all(loops)
    },
  }
}

async function until(what: string, condition: () => boolean, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((done) => setTimeout(done, 20))
  }
}

describe('PostgreSQL stopped and restarted under load', () => {
  it.each(['fast', 'immediate'] as const)(
    '%s shutdown: 503 with Retry-After while down, recovery by itself, every acknowledged client whole',
    async (mode) => {
      const rowIds = async () =>
        (await admin.query<{ client_id: string }>(`SELECT client_id FROM ${schema}.clients`)).rows.map(
          (r) => r.client_id,
        )
      const before = new Set(await rowIds())
      const load = startLoad()
      const { outcomes } = load
      const count = (status: number, after = 0) =>
        outcomes.filter((o) => o.status === status && o.startedAt > after).length
      try {
        await until('registrations before the stop', () => count(201) >= 5)
        await database.stop(mode)
        const down = Date.now()
        await until('503 answers while PostgreSQL is down', () => count(503, down) >= 5)
        // The sandbox's own endpoints that read the store answer the same way.
        const known = outcomes.find((o) => o.status === 201)?.body.client_id
        const token = await fetch(`${bank.urls.http}/${brand}/token`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', ...clientCert(kit) },
          body: new URLSearchParams({ grant_type: 'client_credentials', client_id: String(known) }).toString(),
        })
        expect(token.status).toBe(503)
        expect(token.headers.get('retry-after')).toBe('5')
        expect(await token.json()).toMatchObject({ error: 'temporarily_unavailable' })
        await database.start()
        const up = Date.now()
        await until('registrations after the restart', () => count(201, up) >= 5)
      } finally {
        await load.stop()
        await database.start()
      }

      const unexpected = outcomes.filter((o) => o.status !== 201 && o.status !== 503)
      expect(unexpected.map((o) => `${o.status} ${JSON.stringify(o.body)}`)).toEqual([])
      for (const refused of outcomes.filter((o) => o.status === 503)) {
        expect(refused.retryAfter).toBe('5')
        expect(refused.body.error).toBe('temporarily_unavailable')
      }

      const acknowledged = outcomes.filter((o) => o.status === 201).map((o) => o.body)
      for (const client of acknowledged) {
        const record = await records.get(String(client.client_id))
        expect(record?.metadata).toMatchObject({
          client_id: client.client_id,
          software_id: kit.software_id,
          redirect_uris: client.redirect_uris,
          token_endpoint_auth_method: client.token_endpoint_auth_method,
        })
      }

      const { rows: all } = await admin.query<{
        client_id: string
        tenant: string
        version: number
        record: ClientRecord
      }>(`SELECT client_id, tenant, version, record FROM ${schema}.clients`)
      const rows = all.filter((row) => !before.has(row.client_id))
      for (const row of rows) {
        expect(row.record).toMatchObject({ clientId: row.client_id, tenant: row.tenant, version: row.version })
        expect(row.record.metadata.client_id).toBe(row.client_id)
        expect(row.record.registrationAccessTokenHash).toEqual(expect.any(String))
      }
      const stored = new Set(rows.map((row) => row.client_id))
      for (const client of acknowledged) expect(stored.has(String(client.client_id))).toBe(true)
      // A row without a 201 can only be a commit whose acknowledgement the shutdown cut off.
      expect(rows.length - acknowledged.length).toBeLessThanOrEqual(workers)
    },
    240_000,
  )
})
