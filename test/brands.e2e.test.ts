import { defaultBrands } from '@open-dcr/sandbox'
import { signHttpRequest } from '@open-dcr/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { call, cleanUp, clientCert, dcrServiceToken, sandbox } from './helpers.js'

let bank: Awaited<ReturnType<typeof sandbox>>
beforeAll(async () => {
  bank = await sandbox()
})
afterAll(async () => {
  await bank?.close()
  await cleanUp()
})

const scopeOf: Record<string, string> = {
  'account-information': 'accounts',
  'payment-initiation': 'payments',
  'funds-confirmation': 'fundsconfirmations',
  'direct-debits': 'directdebits',
}

describe.each(defaultBrands.map((brand) => ({ brand })))('default brand $brand.id', ({ brand }) => {
  it('has a complete discovery document and registers a kit made for it', async () => {
    const discovery = await call(`${bank.urls.http}/${brand.id}/.well-known/openid-configuration`)
    expect(discovery.status).toBe(200)
    const config = discovery.body as Record<string, unknown>
    for (const field of [
      'issuer',
      'registration_endpoint',
      'token_endpoint',
      'jwks_uri',
      'token_endpoint_auth_methods_supported',
      'scopes_supported',
    ]) {
      expect(config[field], field).toBeDefined()
    }
    const apis = brand.apis ?? ['account-information', 'payment-initiation', 'funds-confirmation']
    expect(config.scopes_supported).toEqual(
      ['openid', ...apis.map((api) => scopeOf[api])]
        .filter((s, i, all) => all.indexOf(s) === i)
        .sort((a, b) => (a === 'openid' ? -1 : b === 'openid' ? 1 : 0)),
    )

    const kit = (await call(`${bank.urls.http}/sandbox/tpps`, { body: {} })).body as Record<string, unknown> & {
      software_id: string
      qwac: { organization_identifier: string }
      qseal: { key_pem: string; cert_pem: string }
    }
    const prepared = (
      await call(`${bank.urls.http}/sandbox/tpps/${kit.software_id}/registration-request`, {
        body: { brand: brand.id },
      })
    ).body as {
      content_type: string
      body: unknown
    }
    const endpoint = config.registration_endpoint as string
    const body = typeof prepared.body === 'string' ? prepared.body : JSON.stringify(prepared.body)
    const headers: Record<string, string> = { ...clientCert(kit) }
    if (brand.profile === 'eidas') {
      headers.authorization = `Bearer ${await dcrServiceToken(bank.urls.http, brand.id)}`
      headers['x-client-certificate'] = encodeURIComponent(
        (kit as unknown as { qwac: { cert_pem: string } }).qwac.cert_pem,
      )
      Object.assign(
        headers,
        signHttpRequest({
          method: 'POST',
          path: new URL(endpoint).pathname,
          body,
          keyPem: kit.qseal.key_pem,
          certPem: kit.qseal.cert_pem,
        }).headers,
      )
    }
    const res = await call(endpoint, { body, type: prepared.content_type, headers })
    expect(res.body.error_description).toBeUndefined()
    expect(res.status).toBe(201)
    const granted = String(res.body.scope).split(' ')
    expect(granted.every((scope) => scope === 'openid' || apis.some((api) => scopeOf[api] === scope))).toBe(true)
  })
})

describe('brand variations', () => {
  it('a brand without payment initiation refuses the payments scope; one without DELETE answers 405', async () => {
    const kit = (await call(`${bank.urls.http}/sandbox/tpps`, { body: {} })).body as Record<string, unknown> & {
      software_id: string
    }
    const refused = await call(`${bank.urls.http}/sandbox/tpps/${kit.software_id}/registration-request`, {
      body: { brand: 'firstline-direct', metadata: { scope: 'openid payments' } },
    })
    const res = await call(`${bank.urls.http}/firstline-direct/register`, {
      body: refused.body.jwt,
      type: 'application/jose',
      headers: clientCert(kit),
    })
    expect(res.status).toBe(400)
    expect(res.body.error_description).toMatch(/scope payments is not allowed/)
    const hk = await call(`${bank.urls.http}/harbourview-hk-business/register/any-client`, { method: 'DELETE' })
    expect(hk.status).toBe(405)
    expect(hk.headers.get('allow')).toBe('GET, PUT')
  })

  it('only the labelled local-development brand accepts http://localhost redirect URIs', async () => {
    const kit = (
      await call(`${bank.urls.http}/sandbox/tpps`, { body: { redirect_uris: ['http://localhost:3000/callback'] } })
    ).body as Record<string, unknown> & {
      software_id: string
    }
    for (const [brand, status] of [
      ['localdev-bank', 201],
      ['northbank-personal', 400],
    ] as const) {
      const request = await call(`${bank.urls.http}/sandbox/tpps/${kit.software_id}/registration-request`, {
        body: { brand },
      })
      const res = await call(`${bank.urls.http}/${brand}/register`, {
        body: request.body.jwt,
        type: 'application/jose',
        headers: clientCert(kit),
      })
      expect(res.status, brand).toBe(status)
    }
    const brands = (await call(`${bank.urls.http}/brands`)).body as unknown as { id: string; name: string }[]
    expect(brands.find((b) => b.id === 'localdev-bank')?.name).toMatch(/permissive/)
  })

  it('/brands describes how to build each brand’s registration request', async () => {
    type Summary = { id: string; registration_request: Record<string, unknown> }
    const brands = (await call(`${bank.urls.http}/brands`)).body as unknown as Summary[]
    const byId = new Map(brands.map((brand) => [brand.id, brand.registration_request]))
    expect(byId.get('northbank-personal')).toEqual({
      format: 'signed-jwt',
      content_type: 'application/jose',
      software_statement: 'required',
      identity: 'software-statement',
      http_signature: false,
      portal_token: false,
    })
    expect(byId.get('meridian-connect')).toMatchObject({ format: 'json', software_statement: 'required' })
    expect(byId.get('continental-corporate')).toEqual({
      format: 'json',
      content_type: 'application/json',
      software_statement: 'absent',
      identity: 'certificate',
      http_signature: true,
      portal_token: true,
    })
  })

  it('/brands says which management operations each brand answers, and they do (others 405)', async () => {
    type Summary = { id: string; discovery: string; management: Record<string, boolean> }
    const brands = (await call(`${bank.urls.http}/brands`)).body as unknown as Summary[]
    const off: string[] = []
    for (const brand of brands) {
      const { registration_endpoint: endpoint } = (await call(brand.discovery)).body as {
        registration_endpoint: string
      }
      const client = `${endpoint}/00000000-0000-4000-8000-000000000000`
      for (const [operation, method, url] of [
        ['read', 'GET', client],
        ['update', 'PUT', client],
        ['delete', 'DELETE', client],
        ['rotate_secret', 'POST', `${client}/client-secret`],
      ] as const) {
        const res = await fetch(url, { method })
        const on = brand.management[operation]
        expect(typeof on, `${brand.id} ${operation}`).toBe('boolean')
        // Switched on: the request reaches authentication (no token → 401); switched off: 405.
        expect(res.status, `${brand.id} ${method}`).toBe(on ? 401 : 405)
        if (!on) off.push(`${brand.id} ${operation}`)
      }
    }
    expect(off.sort()).toEqual(['harbourview-hk-business delete', 'pearlgulf-personal update'])
  })
})
