// The eIDAS brand driven by signers nobody here wrote: joyent's `http-signature` (draft-cavage,
// rsa-sha256) and dhensby's `http-message-signatures` (its draft-cavage module, for hs2019 with
// (created)/(expires)). The flow is the brand's (README, SPEC-NOTES §3): a developer-portal app's
// DCR-service token (here obtained with openid-client's client_credentials grant) as Bearer on every
// call, mutual TLS with the kit's QWAC, and POST/PUT/DELETE signed with the kit's QSEAL, the QSEAL in
// TPP-Signature-Certificate and keyId `SN=<serial hex>,CA=<issuer DN>`.
import { constants, createHash, createPrivateKey, sign, X509Certificate } from 'node:crypto'
import { request } from 'node:https'
import type { RunningSandbox } from '@open-dcr/sandbox'
import { cavage, createSigner } from 'http-message-signatures'
import * as httpSignature from 'http-signature'
import { decodeJwt } from 'jose'
import * as client from 'openid-client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { call, cleanUp, sandbox, tlsRequest } from '../helpers.js'
import { closeAgents, type Kit, newKit, tlsFetch } from './fixtures.js'

const brand = 'continental-corporate'
const registerPath = `/${brand}/client/v1/register`

let bank: RunningSandbox
let ca: string
beforeAll(async () => {
  bank = await sandbox()
  ca = bank.state.ca.certPem
})
afterAll(async () => {
  await closeAgents()
  await bank?.close()
  await cleanUp()
})

type Answer = Awaited<ReturnType<typeof tlsRequest>>

/** A new developer-portal app's DCR-service token, from openid-client's client_credentials grant. */
async function dcrServiceToken(
  auth: 'client_secret_post' | 'client_secret_basic' = 'client_secret_post',
): Promise<string> {
  const app = (await call(`${bank.urls.http}/sandbox/portal-apps`, { body: { name: 'interop portal app' } })).body as {
    client_id: string
    client_secret: string
  }
  const config = await client.discovery(
    new URL(`${bank.urls.mtls}/${brand}`),
    app.client_id,
    app.client_secret,
    auth === 'client_secret_post' ? client.ClientSecretPost() : client.ClientSecretBasic(),
    { [client.customFetch]: tlsFetch(ca).fetch },
  )
  try {
    return (await client.clientCredentialsGrant(config)).access_token
  } catch (err) {
    // openid-client's error says only "server responded with a challenge"; show what the server said.
    const { status, response } = err as { status?: number; response?: Response }
    const text = response && !response.bodyUsed ? await response.text() : ''
    throw new Error(`token request (${auth}) refused: HTTP ${status} ${text}`, { cause: err })
  }
}

/** draft-cavage keyId of a QSEAL as eIDAS banks expect it: serial in hex, issuer as an RFC 4514 string. */
function qsealKeyId(certPem: string): string {
  const cert = new X509Certificate(certPem)
  // Node prints one RDN a line, most significant first; RFC 4514 lists them the other way round.
  return `SN=${cert.serialNumber},CA=${cert.issuer.split('\n').reverse().join(',')}`
}

const sha256 = (body: Buffer) => createHash('sha256').update(body).digest('base64')

/** The registration body of the eidas profile. */
const metadata = (kit: Kit, extra: Record<string, unknown> = {}) => ({
  iss: kit.qwac.organization_identifier,
  client_name: 'http-signature interop',
  redirect_uris: kit.redirect_uris,
  contacts: ['ops@tpp.example'],
  ...extra,
})

/** Sends `body` over mutual TLS with the kit's QWAC; `prepare` adds the signature headers before the body goes. */
function sendOverQwac(
  kit: Kit,
  method: string,
  path: string,
  body: unknown,
  headers: Record<string, string>,
  prepare: (req: ReturnType<typeof request>, payload: Buffer) => void,
): Promise<Answer> {
  const payload = Buffer.from(body === undefined ? '' : JSON.stringify(body))
  return new Promise((resolve, reject) => {
    const req = request(
      new URL(path, bank.urls.mtls),
      {
        method,
        ca,
        cert: kit.qwac.cert_pem,
        key: kit.qwac.key_pem,
        agent: false,
        headers: {
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          'content-length': String(payload.length),
          'tpp-signature-certificate': new X509Certificate(kit.qseal.cert_pem).raw.toString('base64'),
          ...headers,
        },
      },
      (res) => {
        let text = ''
        res.setEncoding('utf8')
        res.on('data', (chunk: string) => {
          text += chunk
        })
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : {}, headers: res.headers }),
        )
      },
    )
    req.on('error', reject)
    try {
      prepare(req, payload)
    } catch (err) {
      req.destroy()
      reject(err)
      return
    }
    req.end(payload)
  })
}

/**
 * A call signed by joyent's http-signature (`sign()` on the real https request: rsa-sha256 over
 * `(request-target) date digest`, Date added by the library).
 */
function signedByHttpSignature(
  kit: Kit,
  method: string,
  path: string,
  body: unknown,
  token: string,
  options: { digestAlgorithm?: string } = {},
): Promise<Answer> {
  return sendOverQwac(kit, method, path, body, {}, (req, payload) => {
    req.setHeader('digest', `${options.digestAlgorithm ?? 'SHA-256'}=${sha256(payload)}`)
    httpSignature.sign(req, {
      keyId: qsealKeyId(kit.qseal.cert_pem),
      key: kit.qseal.key_pem,
      algorithm: 'rsa-sha256',
      headers: ['(request-target)', 'date', 'digest'],
    })
    // http-signature writes `Authorization: Signature keyId=…`. Here Authorization carries the
    // DCR-service Bearer token, so the signature moves to the `Signature` header (draft-cavage-12 §4,
    // where open-dcr reads it), whose value is the same parameters without the "Signature " scheme.
    const signature = String(req.getHeader('authorization'))
    expect(signature).toMatch(/^Signature keyId="/)
    req.setHeader('signature', signature.slice('Signature '.length))
    req.setHeader('authorization', `Bearer ${token}`)
  })
}

/** An unsigned management read: QWAC on the connection and the DCR-service token. */
const read = (kit: Kit, path: string, token: string) =>
  tlsRequest(`${bank.urls.mtls}${path}`, {
    method: 'GET',
    ca,
    cert: kit.qwac.cert_pem,
    key: kit.qwac.key_pem,
    headers: { authorization: `Bearer ${token}` },
  })

describe('DCR-service token for a developer-portal app, with openid-client', () => {
  it.each(['client_secret_post', 'client_secret_basic'] as const)('%s → a token with scope dcr', async (auth) => {
    // client_secret_basic: openid-client form-urlencodes client_id and secret before base64 as
    // RFC 6749 §2.3.1 requires ("portal-…" becomes "portal%2D…"); the server must decode them.
    const token = await dcrServiceToken(auth)
    expect(decodeJwt(token).scope).toBe('dcr')
  })
})

describe('eIDAS registration signed by joyent’s http-signature (rsa-sha256)', () => {
  it('registers, reads, updates redirect URIs, rotates the secret and deletes', async () => {
    const kit = await newKit(bank, ['AISP', 'PISP'])
    const token = await dcrServiceToken()

    const created = await signedByHttpSignature(kit, 'POST', registerPath, metadata(kit), token)
    expect(created.body.error_description).toBeUndefined()
    expect(created.status).toBe(201)
    expect(created.body).toMatchObject({
      client_id: expect.any(String),
      client_secret: expect.any(String),
      redirect_uris: kit.redirect_uris,
    })
    const clientPath = `${registerPath}/${created.body.client_id}`

    const fetched = await read(kit, clientPath, token)
    expect(fetched.status).toBe(200)
    expect(fetched.body.client_id).toBe(created.body.client_id)

    const redirect = kit.redirect_uris[1] as string
    const updated = await signedByHttpSignature(
      kit,
      'PUT',
      clientPath,
      metadata(kit, { redirect_uris: [redirect] }),
      token,
    )
    expect(updated.body.error_description).toBeUndefined()
    expect(updated.status).toBe(200)
    expect(updated.body.redirect_uris).toEqual([redirect])
    expect((await read(kit, clientPath, token)).body.redirect_uris).toEqual([redirect])

    const rotated = await signedByHttpSignature(kit, 'POST', `${clientPath}/client-secret`, undefined, token)
    expect(rotated.body.error_description).toBeUndefined()
    expect(rotated.status).toBe(200)
    expect(rotated.body.client_secret).toEqual(expect.any(String))
    expect(rotated.body.client_secret).not.toBe(created.body.client_secret)

    const deleted = await signedByHttpSignature(kit, 'DELETE', clientPath, undefined, token)
    expect(deleted.body.error_description).toBeUndefined()
    expect(deleted.status).toBe(204)
    expect((await read(kit, clientPath, token)).status).toBe(401)
  })

  it('accepts `Digest: sha-256=…`: digest algorithm names are case-insensitive (RFC 3230 §4.1.1)', async () => {
    const kit = await newKit(bank)
    const created = await signedByHttpSignature(kit, 'POST', registerPath, metadata(kit), await dcrServiceToken(), {
      digestAlgorithm: 'sha-256',
    })
    expect(created.body.error_description).toBeUndefined()
    expect(created.status).toBe(201)
  })
})

describe('eIDAS registration signed by http-message-signatures (draft-cavage hs2019)', () => {
  /**
   * A registration signed by http-message-signatures' draft-cavage signMessage(). hs2019 takes its
   * algorithm from the key's metadata (draft-cavage-12 §2.3); the brand documents RSASSA-PSS with
   * SHA-256 and a 32-byte salt for RSA QSEALs, so that is the signing function given to the library.
   */
  async function signedByHttpMessageSignatures(
    kit: Kit,
    fields: string[],
    digest: 'sha256' | 'library default' = 'sha256',
  ): Promise<Answer> {
    const body = metadata(kit)
    const payload = Buffer.from(JSON.stringify(body))
    const key = createPrivateKey(kit.qseal.key_pem)
    const token = await dcrServiceToken()
    const signed = await cavage.signMessage(
      {
        key: {
          id: qsealKeyId(kit.qseal.cert_pem),
          alg: 'hs2019',
          sign:
            digest === 'sha256'
              ? async (data) => sign('sha256', data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 })
              : createSigner(key, 'rsa-pss-sha512').sign,
        },
        fields,
        params: ['keyid', 'alg', 'created', 'expires'],
      },
      {
        method: 'POST',
        url: `${bank.urls.mtls}${registerPath}`,
        headers: { date: new Date().toUTCString(), digest: `SHA-256=${sha256(payload)}` },
      },
    )
    const headers = Object.fromEntries(
      Object.entries(signed.headers).map(([name, value]) => [name.toLowerCase(), String(value)]),
    )
    return sendOverQwac(kit, 'POST', registerPath, body, { ...headers, authorization: `Bearer ${token}` }, () => {})
  }

  it('hs2019 over (request-target) date digest is accepted', async () => {
    const kit = await newKit(bank)
    const created = await signedByHttpMessageSignatures(kit, ['@request-target', 'date', 'digest'])
    expect(created.body.error_description).toBeUndefined()
    expect(created.status).toBe(201)
  })

  it('hs2019 as the library signs it by default (RSASSA-PSS SHA-512, the draft’s recommendation) is accepted', async () => {
    const kit = await newKit(bank)
    const created = await signedByHttpMessageSignatures(kit, ['@request-target', 'date', 'digest'], 'library default')
    expect(created.body.error_description).toBeUndefined()
    expect(created.status).toBe(201)
  })

  it('hs2019 also covering (created) and (expires), their values from the created/expires parameters (draft-cavage-12 §2.3), is accepted', async () => {
    const kit = await newKit(bank)
    const created = await signedByHttpMessageSignatures(kit, [
      '@request-target',
      '@created',
      '@expires',
      'date',
      'digest',
    ])
    expect(created.body.error_description).toBeUndefined()
    expect(created.status).toBe(201)
  })
})
