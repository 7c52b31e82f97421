import { createCertificateAuthority, signHttpRequest, type TppKit } from '@open-dcr/testkit'
import { afterAll, describe, expect, it } from 'vitest'
import type { HttpSignatureOptions } from '../../src/index.js'
import { bankApp, newKit, sharedPki } from '../fixtures.js'

afterAll(async () => (await sharedPki()).jwks.close())

async function signingBank(options: Partial<HttpSignatureOptions> = {}) {
  const { ca } = await sharedPki()
  return bankApp({
    clientCertificates: {
      sources: [{ from: 'header', name: 'x-ssl-client-cert', encoding: 'pem-urlencoded' }],
      trustAnchors: [ca.certPem],
    },
    httpSignatures: { trustAnchors: [ca.certPem], ...options },
  })
}

type Bank = Awaited<ReturnType<typeof signingBank>>

/** A signed registration; `tamper` changes the request after signing. */
async function signedRegister(
  bank: Bank,
  kit: TppKit,
  sign: Partial<Parameters<typeof signHttpRequest>[0]> = {},
  tamper: { body?: string; headers?: Record<string, string> } = {},
) {
  const body = await bank.sign(kit)
  const { headers } = signHttpRequest({
    method: 'POST',
    path: '/bank/register',
    body,
    keyPem: kit.seal.keyPem,
    certPem: kit.seal.certPem,
    now: bank.clock.now,
    ...sign,
  })
  const req = bank.register(tamper.body ?? body).set('x-ssl-client-cert', encodeURIComponent(kit.transport.certPem))
  for (const [name, value] of Object.entries({ ...headers, ...tamper.headers })) req.set(name, value)
  return req
}

const refused = async (
  res: { status: number; body: Record<string, unknown> },
  status: number,
  message: RegExp,
  bank: Bank,
) => {
  expect(res.status).toBe(status)
  expect(res.body.error_description).toMatch(message)
  expect(bank.store.created).toHaveLength(0)
}

describe('HTTP message signatures on POST /register', () => {
  it('accepts an rsa-sha256 signature by the QSEAL of the same organisation', async () => {
    const bank = await signingBank()
    expect((await signedRegister(bank, await newKit())).status).toBe(201)
  })

  it('accepts hs2019 (RSASSA-PSS)', async () => {
    const bank = await signingBank()
    expect((await signedRegister(bank, await newKit(), { algorithm: 'hs2019' })).status).toBe(201)
  })

  it('a missing Signature → 401', async () => {
    const bank = await signingBank()
    const kit = await newKit()
    const res = await bank
      .register(await bank.sign(kit))
      .set('x-ssl-client-cert', encodeURIComponent(kit.transport.certPem))
    await refused(res, 401, /the Signature header is missing/, bank)
  })

  it('a signature over a modified body → 400 naming both digests', async () => {
    const bank = await signingBank()
    const kit = await newKit()
    const other = await bank.sign(kit)
    const res = await signedRegister(bank, kit, {}, { body: other })
    await refused(res, 400, /Digest does not match the body: expected SHA-256=[A-Za-z0-9+/=]+, received SHA-256=/, bank)
  })

  it('date missing from the signed headers → 400', async () => {
    const bank = await signingBank()
    const res = await signedRegister(bank, await newKit(), { signedHeaders: ['(request-target)', 'digest'] })
    await refused(res, 400, /must cover: date \(it covers: \(request-target\) digest\)/, bank)
  })

  it('a stale Date → 400', async () => {
    const bank = await signingBank()
    const res = await signedRegister(bank, await newKit(), { now: bank.clock.now - 600_000 })
    await refused(res, 400, /is more than 300 s from the server's time/, bank)
  })

  it('a keyId that does not match the certificate → 401', async () => {
    const bank = await signingBank()
    const kit = await newKit()
    const { headers } = signHttpRequest({
      method: 'POST',
      path: '/bank/register',
      body: 'x',
      keyPem: kit.seal.keyPem,
      certPem: kit.seal.certPem,
    })
    const forged = headers.signature.replace(/keyId="SN=[0-9A-F]+/, 'keyId="SN=DEADBEEF')
    const res = await signedRegister(bank, kit, {}, { headers: { signature: forged } })
    await refused(res, 401, /keyId serial deadbeef does not match the certificate's/, bank)
  })

  it('a QSEAL of another organisation → 401', async () => {
    const bank = await signingBank()
    const kit = await newKit()
    const other = await newKit()
    const res = await signedRegister(bank, kit, { keyPem: other.seal.keyPem, certPem: other.seal.certPem })
    await refused(res, 401, /the QSEAL belongs to "[^"]+", the TLS certificate to/, bank)
  })

  it('a QSEAL from an untrusted QTSP → 401', async () => {
    const bank = await signingBank()
    const kit = await newKit()
    const rogue = createCertificateAuthority({ commonName: 'Rogue QTSP' }).issueSigningCertificate({
      orgId: kit.orgId,
      softwareId: kit.softwareId,
    })
    const res = await signedRegister(bank, kit, { keyPem: rogue.keyPem, certPem: rogue.certPem })
    await refused(res, 401, /QSEAL: the client certificate is not issued by a trusted CA/, bank)
  })

  it('a signature made with another key → 401 with the reconstructed signing string', async () => {
    const bank = await signingBank()
    const kit = await newKit()
    const other = await newKit()
    const res = await signedRegister(bank, kit, { keyPem: other.seal.keyPem })
    await refused(
      res,
      401,
      /does not verify with the QSEAL's key over this signing string: "\(request-target\): post \/bank\/register\\ndate: /,
      bank,
    )
  })

  it('a bare hex Digest only in compatibility mode', async () => {
    const strict = await signingBank()
    await refused(
      await signedRegister(strict, await newKit(), { digestEncoding: 'hex' }),
      400,
      /Digest does not match/,
      strict,
    )
    const compat = await signingBank({ allowHexDigest: true })
    expect((await signedRegister(compat, await newKit(), { digestEncoding: 'hex' })).status).toBe(201)
  })
})
