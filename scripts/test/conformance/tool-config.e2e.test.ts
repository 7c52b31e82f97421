import { constants, createPrivateKey, createPublicKey, type JsonWebKey, sign, verify } from 'node:crypto'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { request } from 'node:https'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TLSSocket } from 'node:tls'
import { silentLogger } from '@open-dcr/express'
import { type RunningSandbox, resolveSandboxConfig, startSandbox } from '@open-dcr/sandbox'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { writeToolConfig } from '../../conformance/tool-config.js'

const config = resolveSandboxConfig()
const obUk = config.brands.filter((brand) => brand.profile === 'ob-uk')
let dir: string
let sandbox: RunningSandbox

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'open-dcr-tool-config-'))
  sandbox = await startSandbox({ port: 0, mtlsPort: 0, dataDir: join(dir, 'data'), config, logger: silentLogger })
})

afterAll(async () => {
  await sandbox?.close()
  await rm(dir, { recursive: true, force: true })
})

/** GET over mutual TLS, trusting only `ca` and presenting `cert`/`key`. */
function mtlsGet(url: string, tls: { ca: string[]; cert: string; key: string }) {
  return new Promise<{ status: number; authorized: boolean; body: Record<string, unknown> }>((done, fail) => {
    const req = request(url, { ...tls, method: 'GET' }, (res) => {
      const authorized = (res.socket as TLSSocket).authorized
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => {
        text += chunk
      })
      res.on('end', () => done({ status: res.statusCode ?? 0, authorized, body: JSON.parse(text) }))
    })
    req.on('error', fail)
    req.end()
  })
}

describe('writeToolConfig, for every ob-uk brand of the sandbox', () => {
  it('covers the brands with switched-off management calls', () => {
    expect(obUk.map((brand) => brand.id)).toEqual(
      expect.arrayContaining(['harbourview-hk-business', 'pearlgulf-personal']),
    )
  })

  it.each(obUk.map((brand) => [brand.id, brand] as const))('%s', async (id, brand) => {
    const written = await writeToolConfig(dir, brand, sandbox.urls)
    const onDisk = JSON.parse(await readFile(written.configFile, 'utf8')) as Record<string, unknown>
    expect(onDisk).toEqual(written.config)
    const { kit } = written

    expect(onDisk).toMatchObject({
      spec_version: '3.3',
      wellknown_endpoint: `${sandbox.urls.mtls}/${id}/.well-known/openid-configuration`,
      ssa: kit.software_statement,
      kid: kit.signing.kid,
      aud: `${sandbox.urls.mtls}/${id}`,
      redirect_uris: kit.redirect_uris,
      issuer: kit.software_id,
      transport_root_cas: [kit.ca_pem],
      transport_cert: kit.transport.cert_pem,
      transport_key: kit.transport.key_pem,
      transport_cert_subject_dn: kit.transport.subject_dn,
      environment: 'sandbox',
      brand: id,
    })
    expect(await readFile(written.caFile, 'utf8')).toBe(kit.ca_pem)

    // The well-known URL answers over mutual TLS with the kit's certificate, trusting the kit's CA.
    const discovery = await mtlsGet(written.config.wellknown_endpoint, {
      ca: written.config.transport_root_cas,
      cert: written.config.transport_cert,
      key: written.config.transport_key,
    })
    expect(discovery.status).toBe(200)
    expect(discovery.authorized).toBe(true)
    expect(discovery.body.registration_endpoint).toBe(`${sandbox.urls.mtls}/${id}/register`)

    // The PKCS#1 key is the kit's signing key: a PS256 signature made with the JWK verifies with it.
    expect(written.config.private_key).toMatch(/^-----BEGIN RSA PRIVATE KEY-----\n/)
    const data = Buffer.from(`signed for ${id}`)
    const pss = { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }
    const jwk = createPrivateKey({ key: kit.signing.private_jwk as JsonWebKey, format: 'jwk' })
    const signature = sign('sha256', data, { key: jwk, ...pss })
    expect(verify('sha256', data, { key: createPublicKey(written.config.private_key), ...pss }, signature)).toBe(true)
    const other = sign('sha256', Buffer.from('something else'), { key: jwk, ...pss })
    expect(verify('sha256', data, { key: createPublicKey(written.config.private_key), ...pss }, other)).toBe(false)

    // The implemented switches follow the brand (each on unless the brand turns it off).
    const expected = {
      'harbourview-hk-business': { get: true, put: true, delete: false },
      'pearlgulf-personal': { get: true, put: false, delete: true },
    }[id] ?? { get: true, put: true, delete: true }
    expect([onDisk.get_implemented, onDisk.put_implemented, onDisk.delete_implemented]).toEqual([
      expected.get,
      expected.put,
      expected.delete,
    ])
  })
})
