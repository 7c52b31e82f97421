import { createHash, randomBytes, randomUUID } from 'node:crypto'
import type { Command } from 'commander'
import { SignJWT } from 'jose'
import { type CliResponse, send } from '../cli-http.js'
import { type BrandContext, brandContext, certificateHeader, type KitFile } from '../cli-register.js'
import { signingKeyFromJwk } from '../keys.js'
import { type ClientCredentials, clientAuthentication } from './client-authentication.js'
import { readKit } from './options.js'
import { createOutput } from './output.js'

/** Options of `open-dcr authorize`. */
interface AuthorizeOptions extends ClientCredentials {
  sandbox: string
  brand: string
  kit: string
  scope: string
  responseType: string
  redirectUri?: string
}

const random = () => randomBytes(16).toString('base64url')

/** The authorization request object, signed with the kit's key (PKCE S256, state and nonce). */
async function requestObject(kit: KitFile, context: BrandContext, options: AuthorizeOptions, challenge: string) {
  const key = await signingKeyFromJwk(kit.signing.private_jwk)
  const at = Math.floor(Date.now() / 1000)
  return new SignJWT({
    iss: options.clientId,
    aud: context.config.issuer,
    client_id: options.clientId,
    response_type: options.responseType,
    redirect_uri: options.redirectUri ?? kit.redirect_uris[0],
    scope: options.scope,
    state: random(),
    nonce: random(),
    code_challenge: challenge,
    code_challenge_method: 'S256',
  })
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'oauth-authz-req+jwt' })
    .setIssuedAt(at)
    .setNotBefore(at)
    .setExpirationTime(at + 300)
    .setJti(randomUUID())
    .sign(key.privateKey)
}

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString()
const formHeaders = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' }
const member = (res: CliResponse, name: string) =>
  typeof res.body === 'object' && res.body !== null ? (res.body as Record<string, unknown>)[name] : undefined

/** The code in an authorization redirect (query for `code`, fragment for `code id_token`). */
function codeOf(redirect: string): string | undefined {
  const url = new URL(redirect)
  const params = url.hash ? new URLSearchParams(url.hash.slice(1)) : url.searchParams
  return params.get('code') ?? undefined
}

/** Authorize (JSON), approve as the sandbox's PSU, and return the code, or the answer that refused. */
async function approvedCode(kit: KitFile, context: BrandContext, options: AuthorizeOptions, challenge: string) {
  const request = await requestObject(kit, context, options, challenge)
  const fields = { client_id: options.clientId, response_type: options.responseType, scope: options.scope, request }
  const consent = await send(context.config.authorization_endpoint, {
    method: 'POST',
    headers: formHeaders,
    body: form(fields),
    tls: context.tls,
  })
  const transaction = member(consent, 'transaction')
  const decisionEndpoint = member(consent, 'decision_endpoint')
  if (typeof transaction !== 'string' || typeof decisionEndpoint !== 'string') return { refused: consent }
  const decided = await send(decisionEndpoint, {
    method: 'POST',
    headers: formHeaders,
    body: form({ transaction, decision: 'approve' }),
    tls: context.tls,
  })
  const redirect = member(decided, 'redirect_to')
  const code = typeof redirect === 'string' ? codeOf(redirect) : undefined
  return code === undefined ? { refused: decided } : { code }
}

/** `open-dcr authorize`: the authorization-code flow with PKCE, approved, and the code exchanged for tokens. */
async function authorizeAndRedeem(options: AuthorizeOptions): Promise<CliResponse> {
  const kit = await readKit(options.kit)
  const context = await brandContext(kit, options)
  const verifier = randomBytes(32).toString('base64url')
  const challenge = createHash('sha256').update(verifier).digest('base64url')
  const approved = await approvedCode(kit, context, options, challenge)
  if (approved.code === undefined) return approved.refused
  const tokenEndpoint = context.config.token_endpoint
  const auth = await clientAuthentication(kit, options, tokenEndpoint)
  const fields = {
    grant_type: 'authorization_code',
    code: approved.code,
    redirect_uri: options.redirectUri ?? kit.redirect_uris[0] ?? '',
    code_verifier: verifier,
    ...auth.fields,
  }
  const headers = { ...formHeaders, ...certificateHeader(options.sandbox, context.tls), ...auth.headers }
  return send(tokenEndpoint, { method: 'POST', headers, body: form(fields), tls: context.tls })
}

/** Adds `open-dcr authorize` to the program. */
export function addAuthorizeCommand(program: Command, json: () => boolean): void {
  program
    .command('authorize')
    .description(
      'run the sandbox’s authorization-code flow (signed request object, PKCE S256, consent approved) and exchange the code for tokens',
    )
    .requiredOption('--sandbox <url>', 'sandbox base URL')
    .requiredOption('--brand <id>', 'brand id')
    .requiredOption('--kit <file>', 'kit JSON')
    .requiredOption('--client-id <id>', 'the registered client id')
    .option('--client-secret <secret>', 'for client_secret_basic / client_secret_post')
    .option('--method <method>', 'token endpoint authentication', 'private_key_jwt')
    .option('--scope <scope>', 'requested scope', 'openid accounts')
    .option('--response-type <type>', 'one of the client’s response types', 'code id_token')
    .option('--redirect-uri <uri>', 'one of the client’s redirect URIs (default: the kit’s first)')
    .action(async (options: AuthorizeOptions) => createOutput(json()).finish(await authorizeAndRedeem(options)))
}
