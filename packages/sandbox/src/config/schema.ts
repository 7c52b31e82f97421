import { profileNames, type SigningAlgorithm, type TokenEndpointAuthMethod } from '@open-dcr/express'

// The middleware's vocabularies, less what it refuses at startup (client_secret_jwt needs the plain
// secret, which open-dcr never keeps): caught here, so the message names the brand's path.
const tokenEndpointAuthMethods = [
  'private_key_jwt',
  'tls_client_auth',
  'client_secret_basic',
  'client_secret_post',
] as const satisfies readonly TokenEndpointAuthMethod[]
const signingAlgorithms = ['PS256', 'ES256', 'RS256'] as const satisfies readonly SigningAlgorithm[]
const apis = ['account-information', 'payment-initiation', 'funds-confirmation', 'direct-debits'] as const

const text = (description: string) => ({ type: 'string', minLength: 1, description })
const flag = (description: string) => ({ type: 'boolean', description })
const seconds = (description: string, minimum = 0) => ({ type: 'integer', minimum, description })
const listOf = (items: Record<string, unknown>, description: string) => ({
  type: 'array',
  items,
  minItems: 1,
  uniqueItems: true,
  description,
})

const management = {
  type: 'object',
  additionalProperties: false,
  description: 'How TPPs authenticate management calls (RFC 7592), and which calls are on. All optional.',
  properties: {
    registrationAccessToken: flag('Issue and accept RFC 7592 registration access tokens. Default true.'),
    accessToken: flag("Accept client_credentials access tokens from the brand's own token endpoint. Default true."),
    registrationAccessTokenGracePeriod: seconds(
      'Seconds a replaced registration access token keeps working. Default 60.',
    ),
    read: flag('`GET /register/{id}`; false answers 405. Default true.'),
    update: flag('`PUT /register/{id}`; false answers 405. Default true.'),
    delete: flag('`DELETE /register/{id}`; false answers 405. Default true.'),
    rotateSecret: flag('`POST /register/{id}/client-secret`; false answers 405. Default true.'),
    secretRotationGracePeriod: seconds('Seconds the previous secret keeps working after a rotation. Default 0.'),
  },
}

const brand = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'name', 'market', 'profile'],
  description: 'A brand: replaces the built-in brand with the same id, or is added.',
  properties: {
    id: {
      type: 'string',
      pattern: '^[a-z0-9][a-z0-9-]{0,62}$',
      'x-message': 'must be lowercase letters, digits and dashes (it is a URL path segment)',
      description:
        'URL path segment, e.g. `harbour-retail`; unique; not `sandbox`, `directory`, `docs`, `brands`, `health`.',
    },
    name: text('Display name.'),
    market: text('Market, e.g. `UK`.'),
    profile: { enum: [...profileNames], description: 'Registration profile.' },
    orgId: text("The brand's directory organisation id, accepted as `aud`."),
    apis: listOf(
      { enum: [...apis] },
      'APIs offered; they decide the scopes a TPP may register. Default: account-information, payment-initiation, funds-confirmation.',
    ),
    audiences: listOf(
      { type: 'string', minLength: 1 },
      "More accepted `aud` values (besides the brand's URLs and orgId).",
    ),
    registrationPath: {
      type: 'string',
      pattern: '^/[A-Za-z0-9/_-]*$',
      'x-message': 'must be a path such as /register',
      description:
        "Path of the registration endpoint under the brand. Default: the profile's (eidas `/client/v1/register`, others `/register`).",
    },
    tokenEndpointAuthMethods: listOf(
      { enum: [...tokenEndpointAuthMethods] },
      "Token endpoint auth methods offered (client_secret_jwt cannot be: only secret hashes are kept). Default: the profile's.",
    ),
    signingAlgorithms: listOf({ enum: [...signingAlgorithms] }, 'JWS algorithms accepted. Default PS256, ES256.'),
    softwareStatementMaxAge: seconds('Oldest software statement accepted (`iat`), seconds. Default 2592000 (30 days).'),
    requestObjectMaxLifetime: seconds('Longest registration request lifetime (`exp - iat`), seconds. Default 3600.'),
    allowLoopbackRedirects: flag(
      'Allow http://localhost redirect URIs: only for a brand labelled for local development. Default false.',
    ),
    requireSoftwareStatement: flag('rfc7591 brands: whether a software statement is required. Default true.'),
    management,
    dnAnyOrder: flag("tls_client_auth: accept the certificate's DN with its RDNs in the other order. Default false."),
    accessTokenLifetime: seconds('Access token lifetime, seconds. Default 3600.', 1),
    mtls: {
      enum: ['required', 'optional'],
      description: 'Client certificates on DCR calls. Default: required (ob-uk, eidas), optional (rfc7591).',
    },
    httpSignatures: flag('Require QSEAL HTTP signatures on POST, PUT and DELETE. Default: true for eidas, else false.'),
  },
}

const directory = {
  type: 'object',
  additionalProperties: false,
  required: ['issuer'],
  description: "A directory trusted besides the sandbox's own; give `jwks` or `jwksUri`.",
  properties: {
    issuer: text('The `iss` of its software statements, e.g. `OpenBanking Ltd`.'),
    jwks: {
      type: 'object',
      additionalProperties: false,
      required: ['keys'],
      properties: { keys: { type: 'array', items: { type: 'object' }, description: 'The public JWKs.' } },
      description: 'Its public signing keys, inline (a JWK Set).',
    },
    jwksUri: {
      type: 'string',
      pattern: '^https?://[^\\s]+$',
      'x-message': 'must be an http(s) URL',
      description: 'Where its public signing keys are published.',
    },
  },
}

const portalApp = {
  type: 'object',
  additionalProperties: false,
  required: ['client_id', 'client_secret'],
  description: 'A developer-portal app that may get DCR-service tokens at eidas brands.',
  properties: {
    client_id: {
      type: 'string',
      pattern: '^[A-Za-z0-9._-]{8,128}$',
      'x-message': 'must be 8 to 128 letters, digits, dots, dashes or underscores',
      description: 'Unique; 8 to 128 letters, digits, dots, dashes or underscores.',
    },
    client_secret: { type: 'string', minLength: 16, description: 'At least 16 characters.' },
    name: text('Display name.'),
  },
}

const rateLimit = {
  type: 'object',
  additionalProperties: false,
  description: 'Kits and portal apps one client address (IPv6 by /56) may create per window, both listeners together.',
  properties: {
    windowSeconds: { type: 'integer', minimum: 1, maximum: 86_400, description: 'The window, seconds. Default 60.' },
    kits: {
      type: 'integer',
      minimum: 0,
      maximum: 1_000_000,
      description: '`POST /sandbox/tpps` per window; 0 = no limit. Default 30.',
    },
    portalApps: {
      type: 'integer',
      minimum: 0,
      maximum: 1_000_000,
      description: '`POST /sandbox/portal-apps` per window; 0 = no limit. Default 30.',
    },
  },
}

const corsPolicy = {
  type: 'object',
  additionalProperties: false,
  description:
    'Which browser origins may call the sandbox (CORS). Default: http(s) localhost, 127.0.0.1 and [::1] on any port.',
  properties: {
    origins: {
      type: 'array',
      items: {
        type: 'string',
        pattern: '^https?://[^/\\s]+$',
        'x-message': 'must be an origin such as https://portal.example (scheme and host, no path)',
      },
      uniqueItems: true,
      description: 'Exact origins allowed, e.g. `https://portal.example`; replaces the default. `[]` allows none.',
    },
  },
}

/** The JSON Schema (draft 2020-12) of the sandbox config file, served at `GET /sandbox/config.schema.json`. */
export const sandboxConfigSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://open-dcr.dev/schemas/sandbox-config.schema.json',
  title: 'open-dcr sandbox config file',
  type: 'object',
  additionalProperties: false,
  properties: {
    $schema: { type: 'string', description: "This schema's URL, for editors. Ignored by the sandbox." },
    brands: { type: 'array', items: brand, description: 'Brands added to (or replacing) the built-in ones.' },
    directories: {
      type: 'array',
      items: directory,
      description: "Directories trusted besides the sandbox's mock directory.",
    },
    clientCas: {
      type: 'array',
      items: {
        type: 'string',
        pattern: '-----BEGIN CERTIFICATE-----',
        'x-message': 'must be a PEM certificate',
      },
      description: 'PEM certificates of client CAs trusted besides the sandbox root.',
    },
    portalApps: {
      type: 'array',
      items: portalApp,
      description: 'Portal apps (more with `POST /sandbox/portal-apps`).',
    },
    rateLimit,
    cors: corsPolicy,
  },
} as const
