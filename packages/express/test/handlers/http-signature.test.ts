import { constants, createHash, sign, X509Certificate } from 'node:crypto'
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

  it('accepts the testkit signer’s hs2019 with (created) and (expires); it refuses them with rsa-sha256', async () => {
    const bank = await signingBank()
    const kit = await newKit()
    const signedHeaders = ['(request-target)', '(created)', '(expires)', 'digest']
    const res = await signedRegister(bank, kit, { algorithm: 'hs2019', signedHeaders })
    expect(res.status).toBe(201)
    expect(() =>
      signHttpRequest({ method: 'POST', path: '/', keyPem: kit.seal.keyPem, certPem: kit.seal.certPem, signedHeaders }),
    ).toThrow(/only be signed with hs2019/)
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
    await refused(res, 401, /the QSEAL certificate is not issued by a trusted CA/, bank)
    expect(res.body.error_description).not.toMatch(/client certificate/)
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

/**
 * A draft-cavage-12 signer written from the text of the draft, not from the testkit: hs2019 with
 * RSASSA-PSS, `created`/`expires` parameters, any covered headers, any Digest spelling.
 */
async function specSigned(
  bank: Bank,
  kit: TppKit,
  spec: {
    algorithm?: string
    headers: string[]
    created?: number
    expires?: number
    digest?: (base64: string) => string
  },
) {
  const body = await bank.sign(kit)
  const base64 = createHash('sha256').update(body).digest('base64')
  const values: Record<string, string> = {
    date: new Date(bank.clock.now).toUTCString(),
    digest: spec.digest ? spec.digest(base64) : `SHA-256=${base64}`,
  }
  const line = (name: string) => {
    if (name === '(request-target)') return `${name}: post /bank/register`
    if (name === '(created)') return `${name}: ${spec.created}`
    if (name === '(expires)') return `${name}: ${spec.expires}`
    return `${name}: ${values[name]}`
  }
  const algorithm = spec.algorithm ?? 'hs2019'
  const signature = sign('sha256', Buffer.from(spec.headers.map(line).join('\n')), {
    key: kit.seal.keyPem,
    padding: algorithm === 'hs2019' ? constants.RSA_PKCS1_PSS_PADDING : constants.RSA_PKCS1_PADDING,
    saltLength: 32,
  }).toString('base64')
  const cert = new X509Certificate(kit.seal.certPem)
  const issuer = cert.issuer.split('\n').reverse().join(',')
  const params = [
    `keyId="SN=${cert.serialNumber},CA=${issuer}"`,
    `algorithm="${algorithm}"`,
    ...(spec.created === undefined ? [] : [`created=${spec.created}`]),
    ...(spec.expires === undefined ? [] : [`expires=${spec.expires}`]),
    `headers="${spec.headers.join(' ')}"`,
    `signature="${signature}"`,
  ]
  const req = bank.register(body).set('x-ssl-client-cert', encodeURIComponent(kit.transport.certPem))
  for (const name of ['date', 'digest'] as const)
    if (spec.headers.includes(name) || name === 'digest') req.set(name, values[name] as string)
  return req.set('signature', params.join(',')).set('tpp-signature-certificate', cert.raw.toString('base64'))
}

describe('draft-cavage-12 details an independent signer relies on', () => {
  const seconds = (bank: Bank) => Math.floor(bank.clock.now / 1000)

  it('hs2019 covering (created) and (expires) takes their values from the parameters (§2.3)', async () => {
    const bank = await signingBank()
    const now = seconds(bank)
    const res = await specSigned(bank, await newKit(), {
      headers: ['(request-target)', '(created)', '(expires)', 'date', 'digest'],
      created: now - 5,
      expires: now + 300,
    })
    expect(res.body.error_description).toBeUndefined()
    expect(res.status).toBe(201)
  })

  it('hs2019 with (created) in place of Date satisfies the freshness requirement', async () => {
    const bank = await signingBank()
    const res = await specSigned(bank, await newKit(), {
      headers: ['(request-target)', '(created)', 'digest'],
      created: seconds(bank),
    })
    expect(res.status).toBe(201)
  })

  it('hs2019 with created in the future → 400', async () => {
    const bank = await signingBank()
    const now = seconds(bank)
    const res = await specSigned(bank, await newKit(), {
      headers: ['(request-target)', '(created)', 'date', 'digest'],
      created: now + 3600,
    })
    await refused(res, 400, /created=\d+ is 3600 s in the future/, bank)
  })

  it('hs2019 with expires in the past → 400', async () => {
    const bank = await signingBank()
    const now = seconds(bank)
    const res = await specSigned(bank, await newKit(), {
      headers: ['(request-target)', '(created)', '(expires)', 'date', 'digest'],
      created: now - 60,
      expires: now - 10,
    })
    await refused(res, 400, /the signature expired at expires=\d+, 10 s ago/, bank)
  })

  it('hs2019 covering (created) without a created parameter → 400 saying so', async () => {
    const bank = await signingBank()
    const res = await specSigned(bank, await newKit(), { headers: ['(request-target)', '(created)', 'date', 'digest'] })
    await refused(res, 400, /covers \(created\) but the Signature header has no created=/, bank)
  })

  it('rsa-sha256 covering (created) → 400 explaining that only hs2019 may', async () => {
    const bank = await signingBank()
    const res = await specSigned(bank, await newKit(), {
      algorithm: 'rsa-sha256',
      headers: ['(request-target)', '(created)', 'date', 'digest'],
      created: seconds(bank),
    })
    await refused(res, 400, /covers \(created\), which algorithm "rsa-sha256" must not \(draft-cavage-12 §2\.3\)/, bank)
    expect(res.body.error_description).not.toMatch(/missing/)
  })

  it.each([
    ['sha-256=', (b: string) => `sha-256=${b}`],
    ['Sha-256 among other instances', (b: string) => `MD5=bm9wZQ==, Sha-256=${b}`],
  ])('accepts a Digest algorithm name in any case (RFC 3230 §4.1.1): %s', async (_name, digest) => {
    const bank = await signingBank()
    const res = await specSigned(bank, await newKit(), {
      algorithm: 'rsa-sha256',
      headers: ['(request-target)', 'date', 'digest'],
      digest,
    })
    expect(res.body.error_description).toBeUndefined()
    expect(res.status).toBe(201)
  })

  it('a signature sent as Authorization: Signature → 401 that says to use the Signature header', async () => {
    const bank = await signingBank()
    const kit = await newKit()
    const res = await bank
      .register(await bank.sign(kit))
      .set('x-ssl-client-cert', encodeURIComponent(kit.transport.certPem))
      .set('authorization', 'Signature keyId="k",signature="YWJj"')
    await refused(res, 401, /send the signature in the Signature header .*Authorization carries the Bearer token/, bank)
  })
})
