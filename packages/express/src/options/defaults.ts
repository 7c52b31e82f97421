import type { ClientCertificateSource } from '../verify/certificate-source.js'

/**
 * Every documented default of {@link DcrOptions} in one place, as data (defaults that depend on the
 * profile — token endpoint auth methods, roles→scopes, registration path, metadata defaults — are
 * the profile's own: see `profiles/`). Durations are in seconds unless the name says ms; sizes in
 * bytes. Resolvers copy arrays before handing them out, so nothing here is ever mutated.
 */
export const optionDefaults = {
  /** Brand or tenant id stored with each client. */
  tenant: 'default',
  /** JWS algs for SSAs, requests and client metadata: FAPI's two; RS256 only if listed. */
  signingAlgorithms: ['PS256', 'ES256'],
  /** Oldest acceptable software statement: 30 days. */
  softwareStatementMaxAge: 30 * 86400,
  /** Longest registration request lifetime (`exp - iat`): 1 hour, as the OB conformance tool signs. */
  requestObjectMaxLifetime: 3600,
  /** Skew tolerated on `iat`/`exp`. */
  clockTolerance: 30,
  /** Largest request body. */
  bodyLimit: 65536,
  /** Smallest `bodyLimit` accepted. */
  minBodyLimit: 1024,
  /** rfc7591: a software statement is required unless the brand says otherwise. */
  requireSoftwareStatement: true,
  /** Registration client URIs never come from the Host header unless the bank opts in. */
  trustHostHeader: false,
  softwareJwks: {
    allowInline: false,
    allowHttp: false,
    allowPrivateAddresses: false,
    maxBytes: 65536,
    /** Smallest `maxBytes` accepted. */
    minMaxBytes: 1024,
    /** ms */
    timeout: 5000,
    /** ms (10 min) */
    cacheMaxAge: 600_000,
    /** ms between two fetches of one endpoint */
    cooldown: 30_000,
    /** Endpoints whose keys are cached at once (not an option: bounds memory). */
    maxCachedEndpoints: 1000,
  },
  policy: {
    allowLoopbackRedirects: false,
    alwaysScopes: ['openid'],
  },
  management: {
    registrationAccessToken: true,
    registrationAccessTokenGracePeriod: 60,
    read: true,
    update: true,
    delete: true,
    rotateSecret: true,
    secretRotationGracePeriod: 0,
  },
  clientCertificates: {
    sources: [{ from: 'tls' }] as readonly ClientCertificateSource[],
    intermediates: [],
    required: true,
    bindToSoftwareStatement: true,
    dnAnyOrder: false,
  },
  httpSignatures: {
    methods: ['POST', 'PUT', 'DELETE'],
    requiredHeaders: ['(request-target)', 'date', 'digest'],
    maxSkew: 300,
    allowHexDigest: false,
    intermediates: [],
    certificateHeader: 'tpp-signature-certificate',
  },
} as const
