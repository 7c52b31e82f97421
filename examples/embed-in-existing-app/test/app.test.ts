import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createLowdbStore } from '@open-dcr/store-lowdb'
import {
  createCertificateAuthority,
  createMockDirectory,
  createTppKit,
  kitRegistrationRequest,
  startJwksServer,
  toJwks,
} from '@open-dcr/testkit'
import request from 'supertest'
import { afterAll, describe, expect, it, vi } from 'vitest'
import { createBankApp } from '../src/app.js'

const dataDir = await mkdtemp(join(tmpdir(), 'open-dcr-example-'))
afterAll(() => rm(dataDir, { recursive: true, force: true }))

describe('examples/embed-in-existing-app', () => {
  it('registers a TPP while the bank’s own routes and error handler keep working', async () => {
    const directory = await createMockDirectory()
    const jwks = await startJwksServer()
    const kit = await createTppKit({ directory, ca: createCertificateAuthority(), jwksEndpoint: jwks.endpoint })
    jwks.publish(kit.softwareId, toJwks(kit.signingKey))
    const log = vi.spyOn(console, 'log').mockImplementation(() => {})
    const bank = await createBankApp({
      dataDir,
      issuer: 'https://bank.example',
      directories: [{ issuer: directory.issuer, jwks: directory.jwks }],
      // The test's JWKS server is plain HTTP on 127.0.0.1: trusted by origin, nothing else is.
      softwareJwks: { trustedOrigins: [jwks.url] },
    })
    let clientId = ''
    try {
      expect((await request(bank.app).get('/accounts/health')).body).toEqual({ ok: true })
      const own = await request(bank.app).get('/accounts/fail')
      expect(own.status).toBe(500)
      expect(own.body).toEqual({ message: 'bank error page' })

      const jwt = await kitRegistrationRequest(kit, { audience: 'https://bank.example' })
      const res = await request(bank.app)
        .post('/open-banking/register')
        .set('content-type', 'application/jose')
        .send(jwt)
      expect(res.status).toBe(201)
      clientId = res.body.client_id
      expect(res.body.registration_client_uri).toBe(`https://bank.example/open-banking/register/${clientId}`)
      expect(log).toHaveBeenCalledWith(`registered ${clientId} for ${kit.softwareId}`)

      const bad = await request(bank.app)
        .post('/open-banking/register')
        .set('content-type', 'application/jose')
        .send(jwt)
      expect(bad.status).toBe(400)
      expect(bad.body.error).toBe('invalid_client_metadata')
    } finally {
      log.mockRestore()
      await bank.close()
      await jwks.close()
    }
    const store = await createLowdbStore({ dir: dataDir })
    expect((await store.get(clientId))?.softwareId).toBe(kit.softwareId)
    await store.close()
  })
})
