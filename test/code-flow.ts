import { createHash, randomBytes, randomUUID } from 'node:crypto'
import type { RunningSandbox } from '@open-dcr/sandbox'
import { jwtBearerAssertionType, signClientAssertion, signingKeyFromJwk } from '@open-dcr/testkit'
import { type KeyObject, SignJWT } from 'jose'
import { call, clientCert, tlsRequest } from './helpers.js'
import { assertResponseMatchesSpec } from './openapi-validator.js'

/** A kit as `POST /sandbox/tpps` returns it (the parts these tests use). */
export interface Kit {
  software_id: string
  redirect_uris: string[]
  signing: { kid: string; alg: string; private_jwk: Record<string, unknown> }
  transport: { cert_pem: string; key_pem: string; subject_dn: string; cert_header: string }
}

/** The discovery members these tests use. */
export interface Discovery {
  issuer: string
  authorization_endpoint: string
  token_endpoint: string
  jwks_uri: string
  mtls_endpoint_aliases: { token_endpoint: string; registration_endpoint: string }
}

/** A brand's discovery document on the plain listener. */
export const discover = async (bank: RunningSandbox, brand: string): Promise<Discovery> =>
  (await call(`${bank.urls.http}/${brand}/.well-known/openid-configuration`)).body as unknown as Discovery

/** A registration response. */
export type Registered = Record<string, unknown> & { client_id: string; client_secret?: string }

/** An answer of the authorization server, redirects not followed, checked against the OpenAPI document. */
export interface AuthorizationAnswer {
  status: number
  location: string | undefined
  body: Record<string, unknown>
  text: string
  contentType: string
}

export const newKit = async (bank: RunningSandbox, body: Record<string, unknown> = {}): Promise<Kit> =>
  (await call(`${bank.urls.http}/sandbox/tpps`, { body })).body as unknown as Kit

/** Registers a client of `brand` for the kit on the plain listener (certificate in X-Client-Certificate). */
export async function register(
  bank: RunningSandbox,
  kit: Kit,
  brand: string,
  metadata: Record<string, unknown>,
): Promise<Registered> {
  const prepared = await call(`${bank.urls.http}/sandbox/tpps/${kit.software_id}/registration-request`, {
    body: { brand, metadata },
  })
  const body = typeof prepared.body.body === 'string' ? prepared.body.body : JSON.stringify(prepared.body.body)
  const res = await call(`${bank.urls.http}/${brand}/register`, {
    body,
    type: String(prepared.body.content_type),
    headers: clientCert(kit),
  })
  if (res.status !== 201) throw new Error(`registration failed: ${JSON.stringify(res.body)}`)
  return res.body as Registered
}

/** A fresh PKCE pair (S256). */
export function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url')
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') }
}

/** The kit's signing key. */
export const kitKey = async (kit: Kit) => signingKeyFromJwk(kit.signing.private_jwk)

/** Signs a request object; `alg`, `key` and times may be forced for negative tests. */
export async function signRequestObject(
  claims: Record<string, unknown>,
  signer: { key: KeyObject; alg: string; kid?: string },
  times: { now: number; lifetime?: number },
): Promise<string> {
  const at = Math.floor(times.now / 1000)
  return new SignJWT(claims)
    .setProtectedHeader({ alg: signer.alg, ...(signer.kid ? { kid: signer.kid } : {}), typ: 'oauth-authz-req+jwt' })
    .setIssuedAt(at)
    .setNotBefore(at)
    .setExpirationTime(at + (times.lifetime ?? 300))
    .setJti(randomUUID())
    .sign(signer.key)
}

async function answer(method: string, url: string, res: Response): Promise<AuthorizationAnswer> {
  const text = await res.text()
  const contentType = res.headers.get('content-type') ?? ''
  const body = contentType.includes('application/json') && text ? (JSON.parse(text) as Record<string, unknown>) : {}
  assertResponseMatchesSpec(method, url, res.status, body, contentType)
  return { status: res.status, location: res.headers.get('location') ?? undefined, body, text, contentType }
}

/** GET (or form POST) to the authorization endpoint; `json` asks for the sandbox's JSON answers. */
export async function authorize(
  url: string,
  options: { form?: Record<string, string>; json?: boolean } = {},
): Promise<AuthorizationAnswer> {
  const headers: Record<string, string> = options.json ? { accept: 'application/json' } : { accept: 'text/html' }
  if (options.form) headers['content-type'] = 'application/x-www-form-urlencoded'
  const res = await fetch(url, {
    method: options.form ? 'POST' : 'GET',
    headers,
    redirect: 'manual',
    ...(options.form ? { body: new URLSearchParams(options.form).toString() } : {}),
  })
  return answer(options.form ? 'POST' : 'GET', url, res)
}

/** Posts the consent page's form: the PSU approves or denies. */
export async function decide(
  consent: Record<string, unknown>,
  decision: 'approve' | 'deny',
  options: { json?: boolean } = {},
): Promise<AuthorizationAnswer> {
  const url = String(consent.decision_endpoint)
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      accept: options.json ? 'application/json' : 'text/html',
    },
    body: new URLSearchParams({ transaction: String(consent.transaction), decision }).toString(),
    redirect: 'manual',
  })
  return answer('POST', url, res)
}

/** The response parameters of an authorization redirect (query for code, fragment for code id_token). */
export function responseParameters(redirect: string): { mode: 'query' | 'fragment'; params: URLSearchParams } {
  const url = new URL(redirect)
  return url.hash
    ? { mode: 'fragment', params: new URLSearchParams(url.hash.slice(1)) }
    : { mode: 'query', params: url.searchParams }
}

/** Authorize (JSON), approve, and return the redirect the browser would follow. */
export async function approvedRedirect(url: string): Promise<string> {
  const consent = await authorize(url, { json: true })
  if (consent.status !== 200 || typeof consent.body.transaction !== 'string') {
    throw new Error(`no consent: ${consent.status} ${JSON.stringify(consent.body)}`)
  }
  const decided = await decide(consent.body, 'approve', { json: true })
  return String(decided.body.redirect_to)
}

/** Form fields and headers that authenticate the client at the token endpoint by `method`. */
export async function clientAuthentication(
  kit: Kit,
  client: Registered,
  method: string,
  audience: string,
  now: number,
): Promise<{ fields: Record<string, string>; headers: Record<string, string> }> {
  if (method === 'client_secret_basic') {
    const basic = Buffer.from(`${client.client_id}:${client.client_secret}`).toString('base64')
    return { fields: {}, headers: { authorization: `Basic ${basic}` } }
  }
  if (method === 'client_secret_post') {
    return { fields: { client_id: client.client_id, client_secret: String(client.client_secret) }, headers: {} }
  }
  if (method === 'private_key_jwt') {
    const key = await kitKey(kit)
    const assertion = await signClientAssertion({
      key: key.privateKey,
      alg: key.alg,
      clientId: client.client_id,
      audience,
      now,
    })
    return { fields: { client_assertion_type: jwtBearerAssertionType, client_assertion: assertion }, headers: {} }
  }
  return { fields: { client_id: client.client_id }, headers: clientCert(kit) }
}

/** A token request on the plain listener (validated against the spec), or over real mutual TLS with `tls`. */
export async function tokenRequest(
  url: string,
  fields: Record<string, string>,
  headers: Record<string, string> = {},
  tls?: { ca: string; cert: string; key: string },
): Promise<{ status: number; body: Record<string, unknown> }> {
  const body = new URLSearchParams(fields).toString()
  if (!tls) return call(url, { body, type: 'application/x-www-form-urlencoded', headers })
  const res = await tlsRequest(url, {
    method: 'POST',
    body,
    type: 'application/x-www-form-urlencoded',
    headers,
    ...tls,
  })
  assertResponseMatchesSpec('POST', url, res.status, res.body, String(res.headers['content-type']))
  return res
}
