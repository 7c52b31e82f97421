/**
 * `pnpm bench`: what a registration costs as the lowdb store grows, measured side by side in one
 * run: the open-dcr lowdb store (one document per client) against plain lowdb (one JSON file
 * holding every client, rewritten on each write); then the sandbox's event-loop delay while kits
 * are made, beside the idle loop's. Absolute times depend on the machine; the ratios between
 * columns of one run are what this script is for. `BENCH_ONLY=registrations` or `BENCH_ONLY=kits`
 * runs one part.
 */
import { randomUUID } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type ClientRecord, createDcr, silentLogger } from '@open-dcr/express'
import { createLowdbStore } from '@open-dcr/store-lowdb'
import {
  createCertificateAuthority,
  createMockDirectory,
  createTppKit,
  kitRegistrationRequest,
  startJwksServer,
  toJwks,
} from '@open-dcr/testkit'
import express from 'express'
import { Low } from 'lowdb'
import { JSONFile } from 'lowdb/node'
import { printKitBurst } from './kit-burst.js'

const sizes = [1_000, 10_000, 100_000]
const registrations = Number(process.env.BENCH_REGISTRATIONS ?? 200)
const issuer = 'https://bank.example'

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN
const p95 = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length * 0.95)] ?? Number.NaN
const ms = (value: number) => value.toFixed(2).padStart(8)

const only = process.env.BENCH_ONLY
if (only !== undefined && only !== 'registrations' && only !== 'kits') {
  throw new Error('BENCH_ONLY must be registrations or kits')
}

const directory = await createMockDirectory()
const ca = createCertificateAuthority()
const jwks = await startJwksServer()
const kit = await createTppKit({ directory, ca, jwksEndpoint: jwks.endpoint })
jwks.publish(kit.softwareId, toJwks(kit.signingKey))

/** A stored client as registration makes it (SSA and flattened claims included: about 3 KB). */
function filler(now: number): ClientRecord {
  const clientId = randomUUID()
  return {
    clientId,
    tenant: 'bench',
    softwareId: kit.softwareId,
    orgId: kit.orgId,
    metadata: {
      client_id: clientId,
      software_statement: kit.softwareStatement,
      redirect_uris: kit.redirectUris,
      scope: 'openid accounts',
    },
    secrets: [],
    registrationAccessTokenHash: 'sha256:xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
    createdAt: now,
    updatedAt: now,
    version: 1,
  }
}

async function prefill(dir: string, count: number): Promise<void> {
  const store = await createLowdbStore({ dir, fsync: false })
  const now = Date.now()
  for (let done = 0; done < count; done += 256) {
    await Promise.all(Array.from({ length: Math.min(256, count - done) }, () => store.create(filler(now))))
  }
  await store.close()
}

/** Registrations through the real HTTP pipeline against a store holding `count` clients. */
async function registrationCost(count: number): Promise<{ register: number[]; create: number[] }> {
  const dir = await mkdtemp(join(tmpdir(), 'open-dcr-bench-'))
  try {
    await prefill(dir, count)
    const store = await createLowdbStore({ dir })
    const app = express()
    app.use(
      createDcr({
        issuer,
        profile: 'ob-uk',
        store,
        replayStore: store,
        directories: [{ issuer: directory.issuer, jwks: directory.jwks }],
        softwareJwks: { trustedOrigins: [jwks.url] },
        logger: silentLogger,
      }).router,
    )
    const server = app.listen(0, '127.0.0.1')
    await new Promise((resolve) => server.once('listening', resolve))
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/register`
    const requests = await Promise.all(
      Array.from({ length: registrations + 20 }, () => kitRegistrationRequest(kit, { audience: issuer })),
    )
    const register: number[] = []
    for (const [index, body] of requests.entries()) {
      const started = performance.now()
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/jose' }, body })
      await res.arrayBuffer()
      if (res.status !== 201) throw new Error(`registration failed with ${res.status}`)
      if (index >= 20) register.push(performance.now() - started)
    }
    const create: number[] = []
    for (let i = 0; i < registrations; i++) {
      const record = filler(Date.now())
      const started = performance.now()
      await store.create(record)
      create.push(performance.now() - started)
    }
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
    await store.close()
    return { register, create }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

/** One write of plain lowdb holding `count` clients in one file (what the design avoids). */
async function plainLowdbWrite(count: number): Promise<number[]> {
  const dir = await mkdtemp(join(tmpdir(), 'open-dcr-bench-plain-'))
  try {
    const db = new Low<{ clients: ClientRecord[] }>(new JSONFile(join(dir, 'db.json')), { clients: [] })
    const now = Date.now()
    db.data.clients = Array.from({ length: count }, () => filler(now))
    await db.write()
    const times: number[] = []
    for (let i = 0; i < (count >= 100_000 ? 3 : 10); i++) {
      db.data.clients.push(filler(now))
      const started = performance.now()
      await db.write()
      times.push(performance.now() - started)
    }
    return times
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

if (only !== 'kits') {
  console.log(`open-dcr bench: ${registrations} registrations per size (median / p95 ms), node ${process.version}`)
  const rows: { size: number; register: number; p95: number; create: number; plain: number }[] = []
  for (const size of sizes) {
    const { register, create } = await registrationCost(size)
    const plain = median(await plainLowdbWrite(size))
    rows.push({ size, register: median(register), p95: p95(register), create: median(create), plain })
    process.stdout.write(`  measured ${size} stored clients\n`)
  }
  const base = rows[0]
  if (!base) throw new Error('no measurements')
  console.log('')
  console.log(
    'stored clients | registration (HTTP, median) |      p95 | store.create | vs 1k | plain lowdb write | plain vs 1k',
  )
  for (const row of rows) {
    console.log(
      `${String(row.size).padStart(14)} | ${ms(row.register).padStart(27)} | ${ms(row.p95)} | ${ms(row.create).padStart(12)} | ${(row.register / base.register).toFixed(2).padStart(5)}x | ${ms(row.plain).padStart(16)} | ${(row.plain / base.plain).toFixed(1).padStart(10)}x`,
    )
  }
  const last = rows[rows.length - 1]
  if (last) {
    const ratio = last.register / base.register
    console.log(
      `\nregistration at ${last.size} vs ${base.size} stored clients: ${ratio.toFixed(2)}x (goal: within 2x) ${ratio <= 2 ? 'OK' : 'OVER'}`,
    )
  }
}

if (only !== 'registrations') await printKitBurst()
await jwks.close()
