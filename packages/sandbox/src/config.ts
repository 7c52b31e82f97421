import { readFile } from 'node:fs/promises'
import type {
  ManagementOptions,
  ProfileName,
  SigningAlgorithm,
  TokenEndpointAuthMethod,
  TrustedDirectory,
} from '@open-dcr/express'
import { parse as parseYaml } from 'yaml'
import { semanticProblems } from './config/semantics.js'
import { SandboxConfigError, schemaProblems } from './config/validate.js'
import { type CreationRateLimitConfig, resolveCreationRateLimits } from './creation-rate-limits.js'
import type { ConfiguredPortalApp } from './portal-apps.js'

/** One brand of the sandbox bank. */
export interface BrandConfig {
  /** URL path segment, e.g. `northbank-personal`. */
  id: string
  /** Display name. */
  name: string
  /** Market, e.g. `UK`. */
  market: string
  profile: ProfileName
  /** The brand's directory organisation id, accepted as `aud`. */
  orgId?: string
  /** APIs offered; they decide the scopes a TPP may register. Default: account information, payment initiation, funds confirmation. */
  apis?: Api[]
  /** More accepted `aud` values (besides the brand's issuer URLs and orgId). */
  audiences?: string[]
  /** Path of the registration endpoint under the brand. Default: the profile's (`/register`, eidas `/client/v1/register`). */
  registrationPath?: string
  /** Token endpoint auth methods the brand offers. Default: the profile's. */
  tokenEndpointAuthMethods?: TokenEndpointAuthMethod[]
  /** Default PS256, ES256. */
  signingAlgorithms?: SigningAlgorithm[]
  /** Seconds. Default 30 days. */
  softwareStatementMaxAge?: number
  /** Longest registration request lifetime (`exp - iat`), seconds. Default 3600. */
  requestObjectMaxLifetime?: number
  /** Allow http://localhost redirect URIs: only for a brand clearly labelled for local development. */
  allowLoopbackRedirects?: boolean
  /** Brands whose profile makes the software statement optional-by-choice (rfc7591): whether one is required. Default true. */
  requireSoftwareStatement?: boolean
  /** How TPPs authenticate management calls, and which calls are on. */
  management?: BrandManagement
  /** tls_client_auth: whether the certificate's DN may list its RDNs in the other order. Default false. */
  dnAnyOrder?: boolean
  /** Access token lifetime, seconds. Default 3600. */
  accessTokenLifetime?: number
  /** Client certificates on DCR calls: required or optional. Default: the profile's usual deployment (rfc7591 optional, others required). */
  mtls?: 'required' | 'optional'
  /** Require QSEAL HTTP signatures on POST, PUT and DELETE. Default: the profile's usual deployment (eidas true, others false). */
  httpSignatures?: boolean
}

/** A brand's management endpoints: the middleware's options, with access tokens from the brand's own token endpoint. */
export type BrandManagement = Omit<ManagementOptions, 'accessToken'> & {
  /** Accept client-credentials access tokens from the brand's token endpoint (UK OB). Default true. */
  accessToken?: boolean
}

/** What the sandbox runs with: brands, and trust beyond its own mock directory and CA. */
export interface SandboxConfig {
  brands: BrandConfig[]
  /** Directories trusted in addition to the sandbox's own mock directory. */
  directories: TrustedDirectory[]
  /** PEM certificates of client CAs trusted in addition to the sandbox root. */
  clientCas: string[]
  /** Developer-portal apps that may get DCR-service tokens at eidas brands (more with POST /sandbox/portal-apps). */
  portalApps: ConfiguredPortalApp[]
  /** Kits and portal apps one client address may create per window. Default 30 each per 60 s. */
  rateLimit: CreationRateLimitConfig
  /** Origins browsers may call the sandbox from (CORS). Default: none given, loopback origins on any port. */
  cors: { origins?: string[] }
}

/** The brands the sandbox ships with (neutral names, not real banks'). */
export const defaultBrands: BrandConfig[] = [
  {
    id: 'northbank-personal',
    name: 'Northbank Personal',
    market: 'UK',
    profile: 'ob-uk',
    orgId: '0015800001NBPERSAA',
    apis: ['account-information', 'payment-initiation', 'funds-confirmation'],
    tokenEndpointAuthMethods: ['private_key_jwt', 'tls_client_auth', 'client_secret_basic', 'client_secret_post'],
  },
  {
    id: 'northbank-business',
    name: 'Northbank Business',
    market: 'UK',
    profile: 'ob-uk',
    orgId: '0015800001NBBUSIAA',
    apis: ['account-information', 'payment-initiation', 'funds-confirmation'],
    tokenEndpointAuthMethods: ['private_key_jwt', 'tls_client_auth'],
  },
  {
    id: 'firstline-direct',
    name: 'Firstline Direct',
    market: 'UK',
    profile: 'ob-uk',
    orgId: '0015800001FLDIRAA',
    apis: ['account-information', 'funds-confirmation'],
    tokenEndpointAuthMethods: ['private_key_jwt'],
    signingAlgorithms: ['PS256'],
    management: { accessToken: true, registrationAccessToken: false },
  },
  {
    id: 'harbour-smallbiz',
    name: 'Harbour Small Business',
    market: 'UK',
    profile: 'ob-uk',
    orgId: '0015800001HBSMBAA',
    apis: ['account-information', 'payment-initiation'],
    tokenEndpointAuthMethods: ['tls_client_auth', 'private_key_jwt'],
    dnAnyOrder: true,
    management: { registrationAccessTokenGracePeriod: 10, secretRotationGracePeriod: 3600 },
  },
  {
    id: 'continental-corporate',
    name: 'Continental Corporate (eIDAS)',
    market: 'CE',
    profile: 'eidas',
    apis: ['account-information', 'payment-initiation', 'funds-confirmation'],
    tokenEndpointAuthMethods: ['client_secret_basic', 'client_secret_post', 'private_key_jwt', 'tls_client_auth'],
    management: { secretRotationGracePeriod: 86400 },
  },
  {
    id: 'harbourview-hk-business',
    name: 'Harbourview Business (Hong Kong)',
    market: 'HK',
    profile: 'ob-uk',
    orgId: '0015800001HVHKBAA',
    apis: ['account-information', 'direct-debits'],
    tokenEndpointAuthMethods: ['private_key_jwt', 'tls_client_auth'],
    management: { registrationAccessToken: false, accessToken: true, delete: false },
  },
  {
    id: 'pearlgulf-personal',
    name: 'Pearl Gulf Personal (Bahrain)',
    market: 'BH',
    profile: 'ob-uk',
    orgId: '0015800001PGBHPAA',
    apis: ['account-information', 'payment-initiation'],
    tokenEndpointAuthMethods: ['private_key_jwt', 'client_secret_basic'],
    management: { update: false },
  },
  {
    id: 'meridian-connect',
    name: 'Meridian Connect (RFC 7591)',
    market: 'Global',
    profile: 'rfc7591',
    apis: ['account-information', 'payment-initiation', 'funds-confirmation'],
  },
  {
    id: 'localdev-bank',
    name: 'Local Development Bank (permissive: allows http://localhost redirect URIs)',
    market: 'Local',
    profile: 'ob-uk',
    apis: ['account-information', 'payment-initiation', 'funds-confirmation'],
    tokenEndpointAuthMethods: ['private_key_jwt', 'tls_client_auth', 'client_secret_basic', 'client_secret_post'],
    allowLoopbackRedirects: true,
  },
]

/** The APIs a brand can offer, and the scope each one adds. */
export const apiScopes: Readonly<Record<Api, string>> = {
  'account-information': 'accounts',
  'payment-initiation': 'payments',
  'funds-confirmation': 'fundsconfirmations',
  'direct-debits': 'directdebits',
}

/** An API a brand offers. */
export type Api = 'account-information' | 'payment-initiation' | 'funds-confirmation' | 'direct-debits'

/**
 * Validates a config document (JSON or YAML, already parsed) against the schema
 * (`GET /sandbox/config.schema.json`) and what a schema cannot say, then merges it over the
 * defaults: brands with the id of a default brand replace it; directories and client CAs are added.
 * Throws a {@link SandboxConfigError} listing every problem by its path in the file.
 */
export function resolveSandboxConfig(document: unknown = {}, source = 'sandbox config'): SandboxConfig {
  const problems = schemaProblems(document)
  if (problems.length === 0) problems.push(...semanticProblems(document as Record<string, unknown>))
  if (problems.length > 0) throw new SandboxConfigError(problems, source)
  const file = document as ConfigFile
  const brands = new Map(defaultBrands.map((brand) => [brand.id, brand]))
  for (const brand of file.brands ?? []) brands.set(brand.id, brand)
  return {
    brands: [...brands.values()],
    directories: file.directories ?? [],
    clientCas: file.clientCas ?? [],
    portalApps: file.portalApps ?? [],
    rateLimit: resolveCreationRateLimits(file.rateLimit),
    cors: file.cors ?? {},
  }
}

/** A config file the schema accepted: every key optional. */
type ConfigFile = Partial<Omit<SandboxConfig, 'rateLimit'>> & { rateLimit?: Partial<CreationRateLimitConfig> }

/** Reads and validates a config file (`.json`, `.yaml` or `.yml`). */
export async function loadSandboxConfig(path: string): Promise<SandboxConfig> {
  const text = await readFile(path, 'utf8')
  let document: unknown
  try {
    document = /\.ya?ml$/i.test(path) ? parseYaml(text) : JSON.parse(text)
  } catch (err) {
    throw new Error(
      `sandbox config: ${path} is not valid ${/\.ya?ml$/i.test(path) ? 'YAML' : 'JSON'}: ${(err as Error).message}`,
    )
  }
  return resolveSandboxConfig(document, `sandbox config ${path}`)
}
