import { constants, createPrivateKey, createPublicKey, type JsonWebKey, sign, verify } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { type RunningSandbox, resolveSandboxConfig } from '@open-dcr/sandbox'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { writeToolConfig } from '../scripts/conformance/tool-config.js'
import { cleanUp, sandbox as startSandbox, tempDir, tlsRequest } from './helpers.js'

const config = resolveSandboxConfig()
const obUk = config.brands.filter((brand) => brand.profile === 'ob-uk')
let dir: string
let sandbox: RunningSandbox

beforeAll(async () => {
  dir = await tempDir()
  sandbox = await startSandbox({ config })
})

afterAll(async () => {
  await sandbox?.close()
  await cleanUp()
})

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
    // (tlsRequest verifies the server against `ca` and presents the client certificate.)
    const discovery = await tlsRequest(written.config.wellknown_endpoint, {
      method: 'GET',
      ca: written.config.transport_root_cas.join('\n'),
      cert: written.config.transport_cert,
      key: written.config.transport_key,
    })
    expect(discovery.status).toBe(200)
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
