import { randomUUID } from 'node:crypto'
import type { TppKit } from '@open-dcr/testkit'
import request from 'supertest'
import type { AccessTokenInfo, DcrOptions } from '../../src/index.js'
import { bankApp, newKit, sharedPki } from '../fixtures.js'
import { register } from './requests.js'

/** A bank from {@link bankApp}: its app, recording stores and clock. */
export type Bank = Awaited<ReturnType<typeof bankApp>>

/** A client registered while arranging a scene, with the credentials it was given. */
export interface RegisteredClient {
  clientId: string
  clientSecret?: string
  /** The Bearer token that manages it: its registration access token, or an access token. */
  token: string
  /** The JSON metadata it was registered with (rfc7591), to build updates from. */
  metadata: Record<string, unknown>
}

/** What one bad-input case runs against: a fresh bank, the TPP kit, and what must stay secret. */
export interface Scene {
  /** Which of {@link banks} this is. */
  name: BankName
  bank: Bank
  kit: TppKit
  /** Credentials issued while arranging the scene: no answer may contain any of them. */
  secrets: string[]
  /** Values an `arrange` step hands to `send` (e.g. a request to replay). */
  notes: Record<string, string>
  /** The client a management case acts on, and another client of the same bank. */
  client?: RegisteredClient
  other?: RegisteredClient
}

/** The header a TLS-terminating proxy puts the client certificate in. */
export const certificateHeader = 'x-ssl-client-cert'

/** The developer-portal ("DCR service") token the `eidas` bank accepts. */
export const portalToken = 'portal-token-for-bad-input'

/** Client-credentials access tokens the `managedByAccessToken` bank accepts (the bank's token endpoint, simulated). */
export const accessTokens = new Map<string, AccessTokenInfo>()

/** The banks the cases run against, by name: options over {@link bankApp}'s ob-uk defaults. */
export const banks = {
  obUk: async (): Promise<Partial<DcrOptions>> => ({}),
  mtls: async (): Promise<Partial<DcrOptions>> => ({
    clientCertificates: {
      sources: [{ from: 'header', name: certificateHeader, encoding: 'pem-urlencoded' }],
      trustAnchors: [(await sharedPki()).ca.certPem],
    },
  }),
  derBase64: async (): Promise<Partial<DcrOptions>> => ({
    clientCertificates: {
      sources: [{ from: 'header', name: certificateHeader, encoding: 'der-base64' }],
      trustAnchors: [(await sharedPki()).ca.certPem],
    },
  }),
  xfcc: async (): Promise<Partial<DcrOptions>> => ({
    clientCertificates: {
      sources: [{ from: 'header', name: 'x-forwarded-client-cert', encoding: 'xfcc' }],
      trustAnchors: [(await sharedPki()).ca.certPem],
    },
  }),
  signing: async (): Promise<Partial<DcrOptions>> => ({
    ...(await banks.mtls()),
    httpSignatures: { trustAnchors: [(await sharedPki()).ca.certPem] },
  }),
  rfc7591: async (): Promise<Partial<DcrOptions>> => ({ profile: 'rfc7591' }),
  managedByAccessToken: async (): Promise<Partial<DcrOptions>> => ({
    management: { registrationAccessToken: false, accessToken: async (token) => accessTokens.get(token) },
  }),
  eidas: async (): Promise<Partial<DcrOptions>> => ({
    profile: 'eidas',
    directories: [],
    ...(await banks.signing()),
    registrationAuth: async (token) => (token === portalToken ? { appId: 'portal-app-1' } : undefined),
  }),
  switchedOff: async (): Promise<Partial<DcrOptions>> => ({
    profile: 'rfc7591',
    management: { read: false, update: false, delete: false, rotateSecret: false },
  }),
} satisfies Record<string, () => Promise<Partial<DcrOptions>>>

/** The name of a bank in {@link banks}. */
export type BankName = keyof typeof banks

let kit: Promise<TppKit> | undefined

/** One AISP kit for every case: key generation is the slow part, and no case changes the kit. */
export const sharedKit = (): Promise<TppKit> => {
  kit ??= newKit({ roles: ['AISP'] })
  return kit
}

/** A fresh bank of the given kind, with the shared kit. */
export async function createScene(name: BankName, options: Partial<DcrOptions> = {}): Promise<Scene> {
  const bank = await bankApp({ ...(await banks[name]()), ...options })
  return { name, bank, kit: await sharedKit(), secrets: name === 'eidas' ? [portalToken] : [], notes: {} }
}

/** Registers a client by RFC 7591 JSON with the kit's software statement (a secret client by default); its credentials become secrets. */
export async function registerJsonClient(
  scene: Scene,
  overrides: Record<string, unknown> = {},
): Promise<RegisteredClient> {
  const metadata = {
    software_statement: scene.kit.softwareStatement,
    redirect_uris: [scene.kit.redirectUris[0]],
    token_endpoint_auth_method: 'client_secret_basic',
    ...overrides,
  }
  const res = await request(scene.bank.app)
    .post('/bank/register')
    .set('content-type', 'application/json')
    .send(JSON.stringify(metadata))
  if (res.status !== 201) throw new Error(`arranging a client failed: ${res.status} ${res.text}`)
  const client: RegisteredClient = {
    clientId: res.body.client_id,
    ...(res.body.client_secret === undefined ? {} : { clientSecret: res.body.client_secret }),
    token: res.body.registration_access_token,
    metadata,
  }
  scene.secrets.push(...[res.body.client_secret, res.body.registration_access_token].filter(Boolean))
  return client
}

/**
 * Registers a client with a signed ob-uk request, and issues it an access token as the bank's token
 * endpoint would (`certificateThumbprint` binds it); the token becomes a secret.
 */
export async function registerSignedClient(scene: Scene, certificateThumbprint?: string): Promise<RegisteredClient> {
  const res = await register(scene)
  if (res.status !== 201) throw new Error(`arranging a client failed: ${res.status} ${res.text}`)
  const token = `access-${randomUUID()}`
  accessTokens.set(token, { clientId: res.body.client_id, ...(certificateThumbprint ? { certificateThumbprint } : {}) })
  scene.secrets.push(token)
  return { clientId: res.body.client_id, token, metadata: {} }
}
