import { type ClientStore, StoreConflictError } from '@open-dcr/express'
import { describe, expect, it } from 'vitest'
import { prototypeNames } from './prototype-names.js'
import { fullRecord, minimalRecord } from './records.js'
import { type OpenStore, openStores, type StoreFactory } from './store-factory.js'

/**
 * The conformance suite every `ClientStore` runs: round trip of every field, copies not references,
 * conflicts, compare-and-set updates, deletes, concurrent creates with nothing lost, and client ids
 * that are Object.prototype names (`__proto__`, `constructor`) kept like any other.
 *
 * @example
 * describeClientStore('lowdb', { create: async (clock) => createLowdbStore({ dir: await tmp(), now: clock.now }) })
 */
export function describeClientStore(name: string, factory: StoreFactory<ClientStore>): void {
  describe(`${name}: ClientStore conformance`, () => {
    const open = openStores(factory)
    readTests(open)
    writeTests(open)
    concurrencyTests(open)
    prototypeNameTests(open)
  })
}

function readTests(open: OpenStore<ClientStore>): void {
  it('round-trips every field of a record', async () => {
    const { store, clock } = await open()
    const full = fullRecord(clock.now())
    const minimal = minimalRecord(clock.now())
    await store.create(full)
    await store.create(minimal)
    expect(await store.get(full.clientId)).toEqual(full)
    expect(await store.get(minimal.clientId)).toEqual(minimal)
  })

  it('returns undefined for an unknown client, including odd ids', async () => {
    const { store } = await open()
    for (const id of ['nope', '../../etc/passwd', '', 'a/b', '💥']) expect(await store.get(id)).toBeUndefined()
  })

  it('hands out copies: changing a returned record does not change the store', async () => {
    const { store, clock } = await open()
    const record = fullRecord(clock.now())
    await store.create(record)
    const got = await store.get(record.clientId)
    if (!got) throw new Error('record missing')
    got.metadata.client_name = 'changed'
    got.secrets.push({ hash: 'x' })
    record.tenant = 'changed after create'
    expect(await store.get(record.clientId)).toEqual({ ...fullRecord(clock.now(), record.clientId) })
  })
}

function writeTests(open: OpenStore<ClientStore>): void {
  it('refuses a second create with the same id and keeps the first', async () => {
    const { store, clock } = await open()
    const first = fullRecord(clock.now())
    await store.create(first)
    const second = { ...minimalRecord(clock.now(), first.clientId), tenant: 'other' }
    await expect(store.create(second)).rejects.toBeInstanceOf(StoreConflictError)
    expect(await store.get(first.clientId)).toEqual(first)
  })

  it('updates only when the expected version matches (compare-and-set)', async () => {
    const { store, clock } = await open()
    const record = fullRecord(clock.now())
    await store.create(record)
    const next = {
      ...record,
      metadata: { ...record.metadata, client_name: 'v2' },
      version: 2,
      updatedAt: clock.now() + 1,
    }
    expect(await store.update(next, 1)).toBe(true)
    expect(await store.get(record.clientId)).toEqual(next)
    const stale = { ...record, metadata: { client_name: 'stale' }, version: 2 }
    expect(await store.update(stale, 1)).toBe(false)
    expect(await store.get(record.clientId)).toEqual(next)
    expect(await store.update(minimalRecord(clock.now()), 1)).toBe(false)
  })

  it('deletes once, and the id can be used again afterwards', async () => {
    const { store, clock } = await open()
    const record = fullRecord(clock.now())
    await store.create(record)
    expect(await store.delete(record.clientId)).toBe(true)
    expect(await store.get(record.clientId)).toBeUndefined()
    expect(await store.delete(record.clientId)).toBe(false)
    expect(await store.update({ ...record, version: 2 }, 1)).toBe(false)
    await store.create(minimalRecord(clock.now(), record.clientId))
    expect((await store.get(record.clientId))?.tenant).toBe('t')
  })
}

function concurrencyTests(open: OpenStore<ClientStore>): void {
  it('lets exactly one of several concurrent updates from the same version win', async () => {
    const { store, clock } = await open()
    const record = minimalRecord(clock.now())
    await store.create(record)
    const attempts = Array.from({ length: 20 }, (_, i) => ({ ...record, tenant: `writer-${i}`, version: 2 }))
    const results = await Promise.all(attempts.map((attempt) => store.update(attempt, 1)))
    expect(results.filter(Boolean)).toHaveLength(1)
    const winner = attempts[results.indexOf(true)]
    expect(await store.get(record.clientId)).toEqual(winner)
  })

  it('loses none of 200 concurrent creates', async () => {
    const { store, clock } = await open()
    const records = Array.from({ length: 200 }, () => fullRecord(clock.now()))
    await Promise.all(records.map((record) => store.create(record)))
    const back = await Promise.all(records.map((record) => store.get(record.clientId)))
    expect(back).toEqual(records)
  })

  it('lets exactly one of 50 concurrent creates of one id win', async () => {
    const { store, clock } = await open()
    const id = 'contended-id'
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) => store.create({ ...minimalRecord(clock.now(), id), tenant: `t${i}` })),
    )
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
    for (const r of results) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(StoreConflictError)
  })
}

function prototypeNameTests(open: OpenStore<ClientStore>): void {
  it('keeps clients whose ids are Object.prototype names like any other', async () => {
    const { store, clock } = await open()
    for (const id of prototypeNames) expect(await store.get(id)).toBeUndefined()
    for (const id of prototypeNames) await store.create(minimalRecord(clock.now(), id))
    for (const id of prototypeNames) expect(await store.get(id)).toEqual(minimalRecord(clock.now(), id))
    for (const id of prototypeNames) expect(await store.delete(id)).toBe(true)
    for (const id of prototypeNames) expect(await store.get(id)).toBeUndefined()
  })
}
