export {
  type BuiltRegistrationRequest,
  buildRegistrationRequest,
  type RegistrationRequestInput,
} from './build-registration-request.js'
export {
  type CertificateAuthority,
  type CertificateRequest,
  createCertificateAuthority,
  type IssuedCertificate,
  type SubjectAttribute,
  type SubjectKey,
  type Validity,
} from './ca.js'
export { type ClientAssertionOptions, jwtBearerAssertionType, signClientAssertion } from './client-assertion.js'
export {
  createMockDirectory,
  type IssueOptions,
  type MockDirectory,
  type SoftwareStatementClaims,
} from './directory.js'
export { type EidasCertificateOptions, issueQseal, issueQwac, type PspRole, qcStatementsExtension } from './eidas.js'
export { type HttpSignOptions, type SignedHeaders, signHttpRequest } from './http-signature.js'
export { base62Id } from './ids.js'
export { type JwksServer, startJwksServer } from './jwks-server.js'
export {
  generateRsaKey,
  generateSigningKey,
  type KeyAlgorithm,
  type RsaKeySource,
  type SigningKey,
  signingKeyFrom,
  signingKeyFromJwk,
  toJwks,
} from './keys.js'
export { createTppKit, type KitRequestOptions, kitRegistrationRequest, type TppKit, type TppKitOptions } from './kit.js'
export {
  defaultRequestMetadata,
  type KitDocumentForSigning,
  type RegistrationRequestOptions,
  type RequestMetadata,
  signKitDocumentRequest,
  signRegistrationRequest,
} from './registration-request.js'
export {
  profileRequestDescriptions,
  type RegistrationRequestDescription,
  readRequestDescription,
} from './request-description.js'
