import { createHash, randomBytes, randomUUID } from 'node:crypto'
import { type KitDocumentForSigning, signKitDocumentRequest } from '@open-dcr/testkit'
import { createLocalJWKSet, importJWK, type JSONWebKeySet, type JWK, type JWTPayload, jwtVerify, SignJWT } from 'jose'

/** One step of the journey: what was called and what came back (`status` is absent for local checks). */
export interface Step {
  name: string
  status?: number
  body: Record<string, unknown>
}

type Kit = KitDocumentForSigning & {
  transport: { cert_pem: string }
  signing: { kid: string; alg: string; private_jwk: JWK }
}

/** Calls the sandbox, records the answer as a step, and throws unless it is a 2xx. */
type Call = (name: string, url: string, init?: RequestInit) => Promise<Record<string, unknown>>

function recordingFetch(steps: Step[]): Call {
  return async (name, url, init = {}) => {
    const res = await fetch(url, init)
    const text = await res.text()
    const body = text ? (JSON.parse(text) as Record<string, unknown>) : {}
    steps.push({ name, status: res.status, body })
    if (!res.ok) throw new Error(`${name} failed with ${res.status}: ${text}`)
    return body
  }
}

const postForm = (fields: Record<string, string>, headers: Record<string, string>): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
  body: new URLSearchParams(fields).toString(),
})

/**
 * A TPP's whole DCR journey against the sandbox's plain listener, where the transport certificate
 * travels in X-Client-Certificate (the sandbox's stand-in for a TLS-terminating proxy):
 * kit → register → token → GET → rotate secret → authorization code flow (signed request object,
 * PKCE, consent, code, tokens, ID token verified with the brand's JWKS) → delete.
 */
export async function runJourney(sandboxUrl: string, brand = 'northbank-personal'): Promise<Step[]> {
  const steps: Step[] = []
  const step = recordingFetch(steps)

  // 1. A test kit: software id, signing key, SSA from the mock directory, certificates.
  const kit = (await step('create kit', `${sandboxUrl}/sandbox/tpps`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ roles: ['AISP', 'PISP'] }),
  })) as unknown as Kit
  const certificate = { 'x-client-certificate': encodeURIComponent(kit.transport.cert_pem) }

  // 2. The brand's discovery document says where to register, authorize and get tokens.
  const config = await step('discovery', `${sandboxUrl}/${brand}/.well-known/openid-configuration`)
  const issuer = String(config.issuer)

  // 3. Register: a JWT signed with the kit's key, audience = the brand's issuer.
  const jwt = await signKitDocumentRequest(kit, issuer, {
    token_endpoint_auth_method: 'client_secret_basic',
    token_endpoint_auth_signing_alg: undefined,
  })
  const client = await step('register', String(config.registration_endpoint), {
    method: 'POST',
    headers: { 'content-type': 'application/jose', ...certificate },
    body: jwt,
  })
  const clientId = String(client.client_id)
  const basic = (secret: unknown) => `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}`

  // 4. A client_credentials token, authenticated with the client secret.
  const token = await step(
    'token',
    String(config.token_endpoint),
    postForm({ grant_type: 'client_credentials' }, { authorization: basic(client.client_secret) }),
  )
  const bearer = { authorization: `Bearer ${token.access_token}`, ...certificate }

  // 5. Read, rotate the secret (the new one authenticates from now on).
  const uri = String(client.registration_client_uri)
  await step('read', uri, { headers: bearer })
  const rotated = await step('rotate secret', `${uri}/client-secret`, { method: 'POST', headers: bearer })

  // 6.–9. The authorization code flow, its token request authenticated with the rotated secret.
  const idToken = await authorizationCodeFlow(step, {
    kit,
    config,
    client,
    authorization: basic(rotated.client_secret),
  })
  steps.push({ name: 'verify ID token', body: idToken })

  // 10. Delete the client.
  await step('delete', uri, { method: 'DELETE', headers: bearer })
  return steps
}

/** What the authorization code flow needs from the steps before it. */
interface FlowContext {
  kit: Kit
  /** The brand's discovery document. */
  config: Record<string, unknown>
  /** The registration response. */
  client: Record<string, unknown>
  /** The token endpoint's client authentication (HTTP Basic with the current secret). */
  authorization: string
}

/** Steps 6 to 9; returns the verified ID token's claims. */
async function authorizationCodeFlow(step: Call, context: FlowContext): Promise<JWTPayload> {
  const { config, client } = context
  const issuer = String(config.issuer)
  const authorization = await authorizationRequest(context)

  // 7. The PSU's consent. A browser gets the bank's consent page; the sandbox answers a script that
  //    asks for JSON with the same form, and the approval with where the browser would be redirected.
  const consent = await step('authorize', `${config.authorization_endpoint}?${authorization.query}`, {
    headers: { accept: 'application/json' },
  })
  const approved = await step(
    'approve',
    String(consent.decision_endpoint),
    postForm({ transaction: String(consent.transaction), decision: 'approve' }, { accept: 'application/json' }),
  )
  const answer = new URLSearchParams(new URL(String(approved.redirect_to)).hash.slice(1))
  if (answer.get('state') !== authorization.state || answer.get('iss') !== issuer) {
    throw new Error('not our authorization response')
  }

  // 8. The code for tokens: the same redirect URI and the PKCE verifier.
  const tokens = await step(
    'token (authorization_code)',
    String(config.token_endpoint),
    postForm(
      {
        grant_type: 'authorization_code',
        code: String(answer.get('code')),
        redirect_uri: authorization.redirectUri,
        code_verifier: authorization.verifier,
      },
      { authorization: context.authorization },
    ),
  )

  // 9. The ID token, verified with the brand's published keys and the alg the client registered.
  const jwks = await step('brand JWKS', String(config.jwks_uri))
  const { payload } = await jwtVerify(String(tokens.id_token), createLocalJWKSet(jwks as unknown as JSONWebKeySet), {
    issuer,
    audience: String(client.client_id),
    algorithms: [String(client.id_token_signed_response_alg)],
  })
  if (payload.nonce !== authorization.nonce) throw new Error('ID token nonce does not match')
  return payload
}

/**
 * 6. An authorization request: a request object signed with the kit's key and the registered alg
 * (RFC 9101), PKCE S256, and the registered response type (code id_token: answered in the fragment).
 */
async function authorizationRequest({ kit, config, client }: FlowContext) {
  const clientId = String(client.client_id)
  const verifier = randomBytes(32).toString('base64url')
  const state = randomUUID()
  const nonce = randomUUID()
  const redirectUri = String(kit.redirect_uris[0])
  const alg = String(client.request_object_signing_alg)
  const request = await new SignJWT({
    client_id: clientId,
    response_type: 'code id_token',
    redirect_uri: redirectUri,
    scope: 'openid accounts',
    state,
    nonce,
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
  })
    .setProtectedHeader({ alg, kid: kit.signing.kid, typ: 'oauth-authz-req+jwt' })
    .setIssuer(clientId)
    .setAudience(String(config.issuer))
    .setIssuedAt()
    .setNotBefore('0s')
    .setExpirationTime('5m')
    .setJti(randomUUID())
    .sign(await importJWK(kit.signing.private_jwk, alg))
  const query = new URLSearchParams({ client_id: clientId, response_type: 'code id_token', scope: 'openid', request })
  return { query, state, nonce, verifier, redirectUri }
}
