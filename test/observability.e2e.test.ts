import { Writable } from 'node:stream'
import { type ClientStore, StoreUnavailableError } from '@open-dcr/express'
import { type RunningSandbox, resolveSandboxConfig } from '@open-dcr/sandbox'
import { pino } from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { call, cleanUp, clientCert, sandbox } from './helpers.js'

/** Every line the sandbox's access logger wrote, parsed. */
const lines: Record<string, unknown>[] = []
let raw = ''
const capture = new Writable({
  write(chunk: Buffer, _encoding, done) {
    raw += chunk.toString('utf8')
    for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(line))
    done()
  },
})

let bank: RunningSandbox
beforeAll(async () => {
  bank = await sandbox({ accessLogger: pino({ level: 'info' }, capture) })
})
afterAll(async () => {
  await bank?.close()
  await cleanUp()
})

const brand = 'northbank-personal'

/** A kit and a registration at the brand: what the client got back, and what was sent. */
async function register() {
  const kit = (await call(`${bank.urls.http}/sandbox/tpps`, { body: {} })).body as {
    software_id: string
    transport: { cert_pem: string; cert_header: string }
  }
  const prepared = await call(`${bank.urls.http}/sandbox/tpps/${kit.software_id}/registration-request`, {
    body: { brand, metadata: { token_endpoint_auth_method: 'client_secret_basic' } },
  })
  const jwt = String(prepared.body.jwt)
  const registered = await call(`${bank.urls.http}/${brand}/register`, {
    body: jwt,
    type: 'application/jose',
    headers: { ...clientCert(kit), 'x-request-id': 'tpp-req-0001' },
  })
  expect(registered.status).toBe(201)
  return { kit, jwt, registered }
}

async function metricsText(): Promise<string> {
  const res = await fetch(`${bank.urls.http}/metrics`)
  expect(res.status).toBe(200)
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/)
  return res.text()
}

/** The value of one sample line, e.g. `open_dcr_registrations_total{brand="x",profile="ob-uk"}`; 0 if absent. */
function sample(text: string, series: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `))
  return line ? Number(line.slice(series.length + 1)) : 0
}

describe('access logs', () => {
  it('one line per request with request id, brand, status and duration, and no secret at all', async () => {
    const { kit, jwt, registered } = await register()
    const secret = String(registered.body.client_secret)
    const rat = String(registered.body.registration_access_token)
    const clientId = String(registered.body.client_id)
    const read = await call(`${bank.urls.http}/${brand}/register/${clientId}?probe=${secret}`, {
      headers: { ...clientCert(kit), authorization: `Bearer ${rat}` },
    })
    expect(read.status).toBe(200)
    expect(registered.headers.get('x-request-id')).toBe('tpp-req-0001')
    const line = lines.find((entry) => (entry.req as { id?: string } | undefined)?.id === 'tpp-req-0001')
    expect(line).toMatchObject({
      level: 30,
      brand,
      req: { id: 'tpp-req-0001', method: 'POST', path: `/${brand}/register` },
      res: { statusCode: 201 },
      responseTime: expect.any(Number),
      msg: expect.stringMatching(new RegExp(`^POST /${brand}/register 201 \\d+ ms$`)),
    })
    const readLine = lines.find((entry) => (entry.req as { id?: string }).id === read.headers.get('x-request-id'))
    expect(readLine).toMatchObject({ req: { path: `/${brand}/register/${clientId}` }, res: { statusCode: 200 } })
    // Nothing that authenticates anyone: secret, tokens (old and new), the signed request, the certificate.
    for (const value of [secret, rat, String(read.body.registration_access_token), jwt, kit.transport.cert_header]) {
      expect(raw).not.toContain(value)
    }
    expect(raw).not.toContain('-----BEGIN')
    expect(raw).not.toMatch(/authorization/i)
  })

  it('replaces an X-Request-Id that is not plain, and logs probes at debug level only', async () => {
    const res = await fetch(`${bank.urls.http}/brands`, { headers: { 'x-request-id': 'bad id\twith "quotes"' } })
    const id = res.headers.get('x-request-id') ?? ''
    expect(id).toMatch(/^[0-9a-f-]{36}$/)
    expect(lines.some((entry) => (entry.req as { id?: string }).id === id)).toBe(true)
    await fetch(`${bank.urls.http}/health`)
    await fetch(`${bank.urls.http}/ready`)
    expect(lines.some((entry) => ['/health', '/ready'].includes((entry.req as { path?: string }).path ?? ''))).toBe(
      false,
    )
  })
})

describe('GET /metrics', () => {
  it('counts a registration, a refusal by its error code, and a token request by grant and outcome', async () => {
    const before = await metricsText()
    const registrations = `open_dcr_registrations_total{brand="${brand}",profile="ob-uk"}`
    const refusals = `open_dcr_refusals_total{brand="${brand}",error="invalid_client"}`
    const tokens = `open_dcr_token_requests_total{brand="${brand}",grant_type="client_credentials",outcome="issued"}`
    const { kit, registered } = await register()
    const refused = await call(`${bank.urls.http}/${brand}/register`, { body: 'x', type: 'application/jose' })
    expect(refused.body.error).toBe('invalid_client')
    const basic = Buffer.from(`${registered.body.client_id}:${registered.body.client_secret}`).toString('base64')
    const token = await call(`${bank.urls.http}/${brand}/token`, {
      body: 'grant_type=client_credentials&scope=accounts',
      type: 'application/x-www-form-urlencoded',
      headers: { ...clientCert(kit), authorization: `Basic ${basic}` },
    })
    expect(token.status).toBe(200)
    const after = await metricsText()
    expect(sample(after, registrations)).toBe(sample(before, registrations) + 1)
    expect(sample(after, refusals)).toBe(sample(before, refusals) + 1)
    expect(sample(after, tokens)).toBe(sample(before, tokens) + 1)
    expect(after).toMatch(
      /open_dcr_http_request_duration_seconds_count\{method="POST",route="\/\{brand\}\/register",status_class="2xx"\} [1-9]/,
    )
    expect(after).toContain('nodejs_eventloop_lag_seconds')
  })
})

describe('GET /ready', () => {
  it('is 200 while the store answers, 503 not_ready (no detail) while it fails, and ready again after', async () => {
    expect(await call(`${bank.urls.http}/ready`)).toMatchObject({ status: 200, body: { status: 'ready' } })
    const store = bank.store as ClientStore
    const get = store.get.bind(store)
    store.get = async () => {
      throw new StoreUnavailableError('connection refused at /var/run/postgresql')
    }
    try {
      const down = await call(`${bank.urls.http}/ready`)
      expect(down).toMatchObject({ status: 503, body: { status: 'not_ready' } })
      expect(down.headers.get('retry-after')).toBe('5')
      expect(JSON.stringify(down.body)).not.toContain('/var/run')
      expect((await fetch(`${bank.urls.http}/health`)).status).toBe(200)
    } finally {
      store.get = get
    }
    expect((await call(`${bank.urls.http}/ready`)).status).toBe(200)
  })
})

describe('CORS', () => {
  const preflight = (url: string, origin: string) =>
    fetch(url, {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type,x-client-certificate',
      },
    })

  it('allows loopback origins by default, with a working preflight, and no other origin', async () => {
    const url = `${bank.urls.http}/${brand}/register`
    const allowed = await preflight(url, 'http://localhost:3000')
    expect(allowed.status).toBe(204)
    expect(allowed.headers.get('access-control-allow-origin')).toBe('http://localhost:3000')
    expect(allowed.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('x-client-certificate')
    const brands = await fetch(`${bank.urls.http}/brands`, { headers: { origin: 'http://127.0.0.1:5173' } })
    expect(brands.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:5173')
    expect(brands.headers.get('access-control-expose-headers')).toContain('X-Request-Id')
    const refused = await preflight(url, 'https://evil.example')
    expect(refused.headers.get('access-control-allow-origin')).toBeNull()
    const lookalike = await fetch(`${bank.urls.http}/brands`, { headers: { origin: 'http://localhost.evil.example' } })
    expect(lookalike.headers.get('access-control-allow-origin')).toBeNull()
  })

  it('follows cors.origins from the config file instead', async () => {
    const config = resolveSandboxConfig({ cors: { origins: ['https://portal.example'] } })
    const other = await sandbox({ config })
    try {
      const portal = await fetch(`${other.urls.http}/brands`, { headers: { origin: 'https://portal.example' } })
      expect(portal.headers.get('access-control-allow-origin')).toBe('https://portal.example')
      const local = await fetch(`${other.urls.http}/brands`, { headers: { origin: 'http://localhost:3000' } })
      expect(local.headers.get('access-control-allow-origin')).toBeNull()
    } finally {
      await other.close()
    }
    expect(() => resolveSandboxConfig({ cors: { origins: ['https://portal.example/path'] } })).toThrow(
      /cors\.origins\[0\]: must be an origin such as https:\/\/portal\.example/,
    )
  })
})
