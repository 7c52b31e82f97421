// What the interop tests share: TPP kits from the sandbox, and fetch over real (mutual) TLS through an
// undici Agent, the way openid-client's documentation plugs a client certificate into `customFetch`.
import { createHash, X509Certificate } from 'node:crypto'
import type { RunningSandbox } from '@open-dcr/sandbox'
import type { CustomFetch } from 'openid-client'
import { Agent, fetch as undiciFetch } from 'undici'
import { call } from '../helpers.js'

/** A certificate and its private key, as a sandbox kit hands them out. */
export interface KitCertificate {
  cert_pem: string
  key_pem: string
  subject_dn: string
  organization_identifier?: string
}

/** The parts of a sandbox TPP kit (`POST /sandbox/tpps`) the interop tests use. */
export interface Kit {
  software_id: string
  org_id: string
  redirect_uris: string[]
  software_statement: string
  signing: { kid: string; alg: string; private_jwk: Record<string, unknown> }
  transport: KitCertificate
  qwac: KitCertificate
  qseal: KitCertificate
}

/** A new TPP kit from the sandbox (on its plain listener, as the README's first call does). */
export async function newKit(bank: RunningSandbox, roles?: string[]): Promise<Kit> {
  const res = await call(`${bank.urls.http}/sandbox/tpps`, { body: roles ? { roles } : {} })
  if (res.status !== 201) throw new Error(`no TPP kit: HTTP ${res.status}`)
  return res.body as unknown as Kit
}

/** RFC 8705 §3.1 `x5t#S256`: base64url SHA-256 of the certificate's DER. */
export const certificateThumbprint = (pem: string): string =>
  createHash('sha256').update(new X509Certificate(pem).raw).digest('base64url')

/** A fetch over TLS that trusts `ca` and, when given, presents `certificate`; it records what it requested. */
export interface TlsFetch {
  fetch: CustomFetch
  /** `METHOD URL` of every request, in order. */
  requested: string[]
}

const agents: Agent[] = []

/** undici fetch with its own Agent (the sandbox CA, and the client certificate if any). */
export function tlsFetch(ca: string, certificate?: { cert_pem: string; key_pem: string }): TlsFetch {
  const agent = new Agent({
    connect: { ca, ...(certificate ? { cert: certificate.cert_pem, key: certificate.key_pem } : {}) },
  })
  agents.push(agent)
  const requested: string[] = []
  const fetch: CustomFetch = async (url, options) => {
    requested.push(`${options.method} ${url}`)
    const response = await undiciFetch(url, { ...(options as Parameters<typeof undiciFetch>[1]), dispatcher: agent })
    // undici's Response is the WHATWG one Node's global fetch also returns (oauth4webapi checks it loosely).
    return response as unknown as Response
  }
  return { fetch, requested }
}

/** Closes every Agent made by {@link tlsFetch}; call in afterAll. */
export async function closeAgents(): Promise<void> {
  await Promise.all(agents.splice(0).map((agent) => agent.close()))
}

/** A JSON request through `fetch` (a {@link TlsFetch}), answering status, parsed body and headers. */
export async function jsonRequest(
  fetch: CustomFetch,
  url: string,
  init: { method?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  const hasBody = init.body !== undefined
  const res = await fetch(url, {
    method: init.method ?? (hasBody ? 'POST' : 'GET'),
    headers: {
      accept: 'application/json',
      ...(hasBody ? { 'content-type': 'application/json' } : {}),
      ...init.headers,
    },
    body: hasBody ? (typeof init.body === 'string' ? init.body : JSON.stringify(init.body)) : undefined,
    redirect: 'manual',
  })
  const text = await res.text()
  let body: Record<string, unknown> = {}
  if (text) {
    try {
      body = JSON.parse(text)
    } catch {
      body = { unparsed: text }
    }
  }
  return { status: res.status, body, headers: res.headers }
}

/**
 * Registers on an ob-uk brand as the README shows: the sandbox signs the registration request with the
 * kit's key (`POST /sandbox/tpps/{softwareId}/registration-request`), and the TPP posts it to the
 * brand's registration endpoint over mutual TLS (`tls` must present the kit's transport certificate).
 */
export async function registerObUk(
  bank: RunningSandbox,
  kit: Kit,
  brand: string,
  registrationEndpoint: string,
  tls: TlsFetch,
  metadata: Record<string, unknown>,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const request = await call(`${bank.urls.http}/sandbox/tpps/${kit.software_id}/registration-request`, {
    body: { brand, metadata },
  })
  if (request.status !== 200) throw new Error(`no registration request: HTTP ${request.status}`)
  const res = await tls.fetch(registrationEndpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/jose', accept: 'application/json' },
    body: request.body.jwt as string,
    redirect: 'manual',
  })
  return { status: res.status, body: (await res.json()) as Record<string, unknown> }
}
