import { silentLogger } from '@open-dcr/express'
import { createPostgresStore, type PostgresStore } from '@open-dcr/store-postgres'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type PostgresServer, startPostgresServer } from '../packages/store-postgres/test/support/postgres-server.js'
import { call, cleanUp, clientCert, tempDir } from './helpers.js'
import { backendHeader, type LoadBalancer, startLoadBalancer } from './support/load-balancer.js'
import { type SandboxProcess, startSandboxProcess } from './support/sandbox-process.js'

// Two sandboxes as separate processes behind a load balancer, sharing one PostgreSQL schema and
// one DATA_DIR (started together on both, fresh), as the README's "Several instances" describes.
const brand = 'northbank-personal'
type Json = Record<string, unknown>
type Kit = Json & { software_id: string; transport: { cert_pem: string } }

let database: PostgresServer
let balancer: LoadBalancer
let instances: SandboxProcess[] = []
let records: PostgresStore
let schema: string

beforeAll(async () => {
  database = await startPostgresServer()
  schema = database.newSchema('sandbox')
  balancer = await startLoadBalancer()
  const env = {
    DATA_DIR: await tempDir(),
    DATABASE_URL: database.url,
    DATABASE_SCHEMA: schema,
    PUBLIC_URL: balancer.url,
  }
  const started = await Promise.allSettled([startSandboxProcess(env), startSandboxProcess(env)])
  instances = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []))
  const failed = started.find((result) => result.status === 'rejected')
  if (failed) throw failed.reason
  balancer.backends.push(...instances.map((instance) => instance.http))
  // A third process's view of the same rows.
  records = await createPostgresStore({ connectionString: database.url, schema, migrate: false, logger: silentLogger })
}, 240_000)

afterAll(async () => {
  const codes = await Promise.all(instances.map((instance) => instance.stop()))
  await records?.close()
  await balancer?.close()
  await database?.close()
  await cleanUp()
  expect(codes.every((code) => code === 0)).toBe(true)
}, 120_000)

/** Pins a request to instance A (0) or B (1) behind the load balancer. */
const on = (instance: 0 | 1, headers: Record<string, string> = {}) => ({
  ...headers,
  [backendHeader]: String(instance),
})
const bearer = (token: unknown) => ({ authorization: `Bearer ${String(token)}` })

async function newKit(instance: 0 | 1): Promise<Kit> {
  const res = await call(`${balancer.url}/sandbox/tpps`, { body: {}, headers: on(instance) })
  expect(res.status).toBe(201)
  return res.body as Kit
}

async function signedRequest(instance: 0 | 1, kit: Kit, metadata: Json): Promise<string> {
  const res = await call(`${balancer.url}/sandbox/tpps/${kit.software_id}/registration-request`, {
    body: { brand, metadata },
    headers: on(instance),
  })
  expect(res.status).toBe(200)
  expect(res.body.aud).toBe(`${balancer.url}/${brand}`)
  return res.body.jwt as string
}

const register = (instance: 0 | 1, kit: Kit, jwt: string) =>
  call(`${balancer.url}/${brand}/register`, {
    body: jwt,
    type: 'application/jose',
    headers: on(instance, clientCert(kit)),
  })

describe('two sandbox processes on one PostgreSQL and one DATA_DIR', () => {
  it('started together, they created one CA, one directory key and one set of brand keys', async () => {
    const [a, b] = instances
    for (const path of ['/sandbox/ca.pem', '/directory/jwks', `/${brand}/jwks`]) {
      const [fromA, fromB] = await Promise.all([
        fetch(`${a?.http}${path}`).then((res) => res.text()),
        fetch(`${b?.http}${path}`).then((res) => res.text()),
      ])
      expect(fromA.length).toBeGreaterThan(100)
      expect(fromB).toBe(fromA)
    }
  })

  it('register on A; read, update, rotate, delete on B; the request replayed on B is refused', async () => {
    const kit = await newKit(0)
    const jwt = await signedRequest(0, kit, { token_endpoint_auth_method: 'client_secret_basic' })
    const created = await register(0, kit, jwt)
    expect(created.body.error_description).toBeUndefined()
    expect(created.status).toBe(201)
    const clientId = created.body.client_id as string
    const path = `${balancer.url}/${brand}/register/${clientId}`
    expect(created.body.registration_client_uri).toBe(path)

    const replayed = await register(1, kit, jwt)
    expect(replayed.status).toBe(400)
    expect(replayed.body.error).toBe('invalid_client_metadata')
    expect(replayed.body.error_description).toMatch(/jti ".+" has already been used/)

    const read = await call(path, {
      headers: on(1, { ...clientCert(kit), ...bearer(created.body.registration_access_token) }),
    })
    expect(read.status).toBe(200)
    expect(read.body).toMatchObject({ client_id: clientId, software_id: kit.software_id })

    const update = await call(path, {
      method: 'PUT',
      body: await signedRequest(1, kit, { token_endpoint_auth_method: 'client_secret_basic', client_name: 'Set on B' }),
      type: 'application/jose',
      headers: on(1, { ...clientCert(kit), ...bearer(read.body.registration_access_token) }),
    })
    expect(update.body.error_description).toBeUndefined()
    expect(update.status).toBe(200)
    expect((await records.get(clientId))?.metadata.client_name).toBe('Set on B')

    const rotated = await call(`${path}/client-secret`, {
      method: 'POST',
      headers: on(1, { ...clientCert(kit), ...bearer(update.body.registration_access_token) }),
    })
    expect(rotated.status).toBe(200)
    const basic = (secret: unknown) => ({
      authorization: `Basic ${Buffer.from(`${clientId}:${String(secret)}`).toString('base64')}`,
    })
    const token = (instance: 0 | 1, secret: unknown) =>
      call(`${balancer.url}/${brand}/token`, {
        body: 'grant_type=client_credentials',
        type: 'application/x-www-form-urlencoded',
        headers: on(instance, { ...clientCert(kit), ...basic(secret) }),
      })
    expect((await token(0, rotated.body.client_secret)).status).toBe(200)
    expect((await token(0, created.body.client_secret)).status).toBe(401)

    const deleted = await call(path, {
      method: 'DELETE',
      headers: on(1, { ...clientCert(kit), ...bearer(rotated.body.registration_access_token) }),
    })
    expect(deleted.status).toBe(204)
    const readOnA = await call(path, {
      headers: on(0, { ...clientCert(kit), ...bearer(rotated.body.registration_access_token) }),
    })
    expect(readOnA.status).toBe(401)
    expect(await records.get(clientId)).toBeUndefined()
  })

  it('concurrent PUTs on both instances resolve by compare-and-set: the final record is one of them, none lost', async () => {
    const kit = await newKit(1)
    const created = await register(
      1,
      kit,
      await signedRequest(1, kit, { token_endpoint_auth_method: 'private_key_jwt' }),
    )
    expect(created.status).toBe(201)
    const clientId = created.body.client_id as string
    const names = Array.from({ length: 6 }, (_, i) => `writer ${i} on ${i % 2 === 0 ? 'A' : 'B'}`)
    const bodies = await Promise.all(
      names.map((name, i) =>
        signedRequest((i % 2) as 0 | 1, kit, { token_endpoint_auth_method: 'private_key_jwt', client_name: name }),
      ),
    )
    const before = await records.get(clientId)
    const answers = await Promise.all(
      bodies.map((body, i) =>
        call(`${balancer.url}/${brand}/register/${clientId}`, {
          method: 'PUT',
          body,
          type: 'application/jose',
          headers: on((i % 2) as 0 | 1, { ...clientCert(kit), ...bearer(created.body.registration_access_token) }),
        }),
      ),
    )
    // Each PUT is applied to the newest record (retried on a conflict); past three conflicts it is a 409.
    for (const answer of answers) expect([200, 409]).toContain(answer.status)
    const accepted = answers.flatMap((answer, i) => (answer.status === 200 ? [names[i]] : []))
    expect(accepted.length).toBeGreaterThan(0)
    const after = await records.get(clientId)
    expect(after?.version).toBe((before?.version ?? 0) + accepted.length)
    expect(accepted).toContain(after?.metadata.client_name)
    expect(balancer.served[0]).toBeGreaterThan(0)
    expect(balancer.served[1]).toBeGreaterThan(0)
  })
})
