import { constants, randomUUID, sign } from 'node:crypto'
import { defaultRequestMetadata, type RequestMetadata } from '@open-dcr/testkit'
import { CompactSign } from 'jose'
import request from 'supertest'
import { issuer } from '../fixtures.js'
import type { Answer } from './answer.js'
import { certificateHeader, type Scene } from './scene.js'

/** base64url of a JSON value, or of a string taken as raw JSON text. */
export const b64 = (value: unknown): string =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url')

/** `value` without its `undefined` members (the testkit's convention for "leave the claim out"). */
const defined = (value: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined))

/** The claims of a good registration request by the scene's kit, with `overrides` (`undefined` removes one). */
export function requestClaims(scene: Scene, overrides: RequestMetadata = {}): Record<string, unknown> {
  const { kit } = scene
  const now = Math.floor(scene.bank.clock.now / 1000)
  return defined({
    iss: kit.softwareId,
    aud: issuer,
    iat: now,
    exp: now + 300,
    jti: randomUUID(),
    software_id: kit.softwareId,
    software_statement: kit.softwareStatement,
    ...defaultRequestMetadata(kit.roles, kit.redirectUris, kit.signingKey.alg),
    ...overrides,
  })
}

/** A registration request signed by the kit, with any claims (or raw payload text) and extra header members. */
export async function signed(
  scene: Scene,
  options: { claims?: RequestMetadata; payload?: string; header?: Record<string, unknown> } = {},
): Promise<string> {
  const { signingKey } = scene.kit
  const payload = options.payload ?? JSON.stringify(requestClaims(scene, options.claims))
  return new CompactSign(new TextEncoder().encode(payload))
    .setProtectedHeader({ alg: signingKey.alg, kid: signingKey.kid, typ: 'JWT', ...options.header })
    .sign(signingKey.privateKey)
}

/**
 * A JWS signed over exactly the given header and payload segment (PS256), for headers jose will not
 * sign (unknown `crit`, `b64: false`) and payloads that are not base64url.
 */
export function signedRaw(scene: Scene, header: Record<string, unknown>, payloadSegment: string): string {
  const { signingKey } = scene.kit
  if (signingKey.alg !== 'PS256') throw new Error('signedRaw signs with PS256 kits only')
  const input = `${b64({ alg: 'PS256', kid: signingKey.kid, ...header })}.${payloadSegment}`
  const signature = sign('sha256', Buffer.from(input), {
    key: signingKey.privateKey,
    padding: constants.RSA_PKCS1_PSS_PADDING,
    saltLength: 32,
  })
  return `${input}.${signature.toString('base64url')}`
}

/** A compact JWS that was never signed: any header (object or raw JSON text), the request's claims, any signature. */
export function forged(scene: Scene, header: unknown, signature = 'c2lnbmF0dXJl'): string {
  return `${b64(header)}.${b64(requestClaims(scene))}.${signature}`
}

/** `POST /bank/register` with the body and content type as given. */
export const post = (scene: Scene, body: string | Buffer, type = 'application/jose') =>
  request(scene.bank.app).post('/bank/register').set('content-type', type).send(body)

/** `POST /bank/register` with a request signed by the kit (`claims` over the defaults). */
export const register = async (scene: Scene, claims: RequestMetadata = {}) =>
  post(scene, await signed(scene, { claims }))

/** The same, with the kit's transport certificate (or `certificate`, as the header value) from the proxy. */
export const registerWithCertificate = async (
  scene: Scene,
  certificate: string | string[] = encodeURIComponent(scene.kit.transport.certPem),
  claims: RequestMetadata = {},
  name = certificateHeader,
) =>
  // superagent sends an array value as one header line per item; its types do not say so.
  post(scene, await signed(scene, { claims })).set(name, certificate as string)

/** `POST /bank/register` with a JSON body (rfc7591, eidas). */
export const postJson = (scene: Scene, body: unknown) =>
  post(scene, typeof body === 'string' ? body : JSON.stringify(body), 'application/json')

/** The scene's clock in whole seconds, as JWT time claims count. */
export const seconds = (scene: Scene): number => Math.floor(scene.bank.clock.now / 1000)

/** A case's request: a registration signed by the kit with `claims` over the defaults (computed from the scene). */
export const registering =
  (claims: RequestMetadata | ((scene: Scene) => RequestMetadata)) =>
  (scene: Scene): Promise<Answer> =>
    register(scene, typeof claims === 'function' ? claims(scene) : claims)

/** A case's request whose claims are edited as JSON text (for values JSON.stringify cannot write, like 1e400). */
export const editingClaims =
  (edit: (json: string) => string) =>
  async (scene: Scene): Promise<Answer> =>
    post(scene, await signed(scene, { payload: edit(JSON.stringify(requestClaims(scene))) }))

/** Management calls at the bank, with `Authorization: Bearer <token>`, or with `authorization` as given. */
export function managing(scene: Scene, token: string | undefined, authorization = token && `Bearer ${token}`) {
  const app = request(scene.bank.app)
  const auth = (test: request.Test) => (authorization === undefined ? test : test.set('authorization', authorization))
  return {
    get: (clientId: string) => auth(app.get(`/bank/register/${clientId}`)),
    put: (clientId: string, body: unknown, type = 'application/json') =>
      auth(app.put(`/bank/register/${clientId}`))
        .set('content-type', type)
        .send(typeof body === 'string' ? body : JSON.stringify(body)),
    delete: (clientId: string) => auth(app.delete(`/bank/register/${clientId}`)),
    rotate: (clientId: string) => auth(app.post(`/bank/register/${clientId}/client-secret`)),
    patch: (clientId: string) => auth(app.patch(`/bank/register/${clientId}`)),
  }
}
