// Client authentication and certificate core (issue 11): one copy, used by the middleware and the sandbox.

// Errors without HTTP underneath (issue 11): checks throw CheckError (stable code, subject); the HTTP edge maps it.
export { CheckError, type CheckErrorCode, type CheckSubject, checkErrorCodes } from './check-error.js'
export { type BasicCredentials, parseBasicCredentials, triesBasic } from './client-auth/basic-credentials.js'
export {
  certificateFromRequest,
  presentedCertificateThumbprint,
  verifyClientCertificate,
} from './client-auth/certificate-from-request.js'
export {
  type CertificateOrganisation,
  certificateOrganisation,
  isOrganisation,
  type OrganisationOwner,
} from './client-auth/certificate-organisation.js'
export { type ClientKeyResolver, createClientKeyResolver, verifyWithEachKey } from './client-auth/client-keys.js'
export { credentialsInGrace, type ExpiringCredential, isLive, liveCredentials } from './client-auth/secret-liveness.js'
export { type TenantClients, tenantClients } from './client-auth/tenant-clients.js'
export {
  credentialMatches,
  hashCredential,
  type SecretHolder,
  verifyClientSecret,
  verifyRegistrationAccessToken,
} from './credentials.js'
export type { RegistrationDiscovery } from './discovery.js'
// The one error answer, for hosts (the sandbox) that mount their own endpoints beside the router.
export { DcrError, type DcrErrorCode, type DcrErrorOptions, dcrErrorHandler, setNoStore } from './errors.js'
export { checkErrorAnswers, type ErrorResponse, toErrorResponse } from './http/error-response.js'
export { consoleLogger, type Logger, silentLogger } from './logger.js'
export type { MetadataPolicy, RegisteredMetadata } from './metadata/client-metadata.js'
export { defaultRoleScopes } from './metadata/scope.js'
export type { GrantType, ResponseType, SigningAlgorithm, TokenEndpointAuthMethod } from './metadata/vocabulary.js'
export type {
  AccessTokenInfo,
  AccessTokenVerifier,
  ClientCertificateOptions,
  DcrHooks,
  DcrOptions,
  DcrRefusal,
  HttpSignatureOptions,
  ManagementOptions,
  PolicyOptions,
  RegistrationAuthVerifier,
  SoftwareJwksOptions,
} from './options.js'
// Options and profiles (issue 11): documented defaults as data; the profiles and what they say about themselves.
export { optionDefaults } from './options.js'
export {
  defaultRequestDescription,
  type Profile,
  type ProfileName,
  profileNames,
  profiles,
  type RegistrationRequestDescription,
  type RequestFormat,
  type RequestIdentity,
  type SoftwareStatementRule,
} from './profiles/index.js'
export { createDcr, createDcrRouter, type Dcr } from './router.js'
export { createMemoryClientStore, createMemoryReplayStore, type MemoryStoreOptions } from './stores/memory.js'
export {
  type ClientRecord,
  type ClientStore,
  type Clock,
  type ReplayStore,
  StoreConflictError,
  type StoredSecret,
  StoreUnavailableError,
} from './stores/types.js'
export { type ParsedCertificate, parseCertificate } from './verify/certificate.js'
export type { CertificateUsage } from './verify/certificate-chain.js'
export { createTrustStore, type TrustStore, verifyCertificateChain } from './verify/certificate-chain.js'
export {
  type ClientCertificateSource,
  type PresentedCertificate,
  readPresentedCertificate,
} from './verify/certificate-source.js'
export {
  attributeTypes,
  attributeValue,
  type DistinguishedName,
  type DnAttribute,
  distinguishedNameOf,
  formatDistinguishedName,
  parseDistinguishedName,
  sameDistinguishedName,
} from './verify/distinguished-name.js'
export type { SignatureProblem } from './verify/http-signature.js'
export {
  assertSignatureValid,
  type HttpSignatureSettings,
  inspectHttpSignature,
  type SignatureReport,
  type SignedRequest,
  signingString,
} from './verify/http-signature.js'
export type { KeySetFetchPolicy } from './verify/key-set-fetch.js'
export {
  type EidasIdentity,
  eidasIdentity,
  type Psd2Statement,
  type PspRole,
  psd2Statement,
  pspRoleOids,
  pspRoleScopes,
} from './verify/qc-statements.js'
export { createRemoteKeySets, type RemoteKeySetOptions } from './verify/remote-key-sets.js'
export { parseSignatureHeader, type SignatureParameters } from './verify/signature-header.js'
export {
  DirectoryUnavailableError,
  type SoftwareStatementClaims,
  type TrustedDirectory,
} from './verify/software-statement.js'
