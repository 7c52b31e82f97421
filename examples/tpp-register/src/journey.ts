import { type KitDocumentForSigning, signKitDocumentRequest } from '@open-dcr/testkit'

/** One step of the journey: what was called and what came back. */
export interface Step {
  name: string
  status: number
  body: Record<string, unknown>
}

/**
 * A TPP's whole DCR journey against the sandbox's plain listener, where the transport certificate
 * travels in X-Client-Certificate (the sandbox's stand-in for a TLS-terminating proxy):
 * kit → register → token → GET → rotate secret → delete.
 */
export async function runJourney(sandboxUrl: string, brand = 'northbank-personal'): Promise<Step[]> {
  const steps: Step[] = []
  const step = async (name: string, url: string, init: RequestInit = {}) => {
    const res = await fetch(url, init)
    const text = await res.text()
    const body = text ? (JSON.parse(text) as Record<string, unknown>) : {}
    steps.push({ name, status: res.status, body })
    if (!res.ok) throw new Error(`${name} failed with ${res.status}: ${text}`)
    return body
  }

  // 1. A test kit: software id, signing key, SSA from the mock directory, certificates.
  const kit = (await step('create kit', `${sandboxUrl}/sandbox/tpps`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ roles: ['AISP', 'PISP'] }),
  })) as unknown as KitDocumentForSigning & { transport: { cert_pem: string } }
  const certificate = { 'x-client-certificate': encodeURIComponent(kit.transport.cert_pem) }

  // 2. The brand's discovery document says where to register and get tokens.
  const config = await step('discovery', `${sandboxUrl}/${brand}/.well-known/openid-configuration`)

  // 3. Register: a JWT signed with the kit's key, audience = the brand's issuer.
  const jwt = await signKitDocumentRequest(kit, String(config.issuer), {
    token_endpoint_auth_method: 'client_secret_basic',
    token_endpoint_auth_signing_alg: undefined,
  })
  const client = await step('register', String(config.registration_endpoint), {
    method: 'POST',
    headers: { 'content-type': 'application/jose', ...certificate },
    body: jwt,
  })
  const basic = (secret: unknown) => `Basic ${Buffer.from(`${client.client_id}:${secret}`).toString('base64')}`

  // 4. A client_credentials token, authenticated with the client secret.
  const token = await step('token', String(config.token_endpoint), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(client.client_secret) },
    body: 'grant_type=client_credentials',
  })
  const bearer = { authorization: `Bearer ${token.access_token}`, ...certificate }

  // 5. Read, rotate the secret, delete.
  const uri = String(client.registration_client_uri)
  await step('read', uri, { headers: bearer })
  await step('rotate secret', `${uri}/client-secret`, { method: 'POST', headers: bearer })
  await step('delete', uri, { method: 'DELETE', headers: bearer })
  return steps
}
