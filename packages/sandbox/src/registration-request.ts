import {
  buildRegistrationRequest,
  defaultRequestMetadata,
  type RegistrationRequestDescription,
} from '@open-dcr/testkit'
import type { Brand } from './brands.js'
import type { KitDocument, KitRegistry } from './kits.js'

/** A ready-to-send registration request for a brand. */
export interface PreparedRegistration {
  content_type: 'application/jose' | 'application/json'
  /** signed-jwt brands (ob-uk): the signed JWT; JSON brands: the JSON body. */
  body: string | Record<string, unknown>
  /** signed-jwt only: the signed JWT (same as body). */
  jwt?: string
  /** signed-jwt only: the audience the JWT was signed for. */
  aud?: string
}

/** Metadata the brand will accept for this kit: the requested (or preferred) auth method and the claims that go with it. */
function brandMetadata(brand: Brand, kit: KitDocument, requested: unknown): Record<string, unknown> {
  const offered = brand.dcr.discovery('').token_endpoint_auth_methods_supported
  const method =
    typeof requested === 'string' ? requested : offered.includes('private_key_jwt') ? 'private_key_jwt' : offered[0]
  return {
    ...defaultRequestMetadata(kit.roles, kit.redirect_uris, kit.signing.alg),
    token_endpoint_auth_method: method,
    token_endpoint_auth_signing_alg: method === 'private_key_jwt' ? kit.signing.alg : undefined,
    tls_client_auth_subject_dn: method === 'tls_client_auth' ? kit.transport.subject_dn : undefined,
    // The brand registers every scope the kit's roles and its APIs allow.
    scope: undefined,
  }
}

/**
 * The metadata the helper asks for, by what the brand's description says: a corporate app for a
 * certificate-identified (eIDAS) brand; else the kit's FAPI metadata for the brand, which a JSON
 * brand gets with a plain `code` flow (its profile fills the signing algs itself).
 */
function requestedMetadata(
  description: RegistrationRequestDescription,
  brand: Brand,
  kit: KitDocument,
  overrides: Record<string, unknown>,
): Record<string, unknown> {
  if (description.identity === 'certificate') {
    return {
      client_name: 'Sandbox TPP corporate app',
      redirect_uris: kit.redirect_uris,
      contacts: ['ops@tpp.example'],
      ...overrides,
    }
  }
  const metadata = { ...brandMetadata(brand, kit, overrides.token_endpoint_auth_method), ...overrides }
  if (description.format === 'signed-jwt') return metadata
  return {
    ...metadata,
    response_types: ['code'],
    id_token_signed_response_alg: undefined,
    request_object_signing_alg: undefined,
    ...overrides,
  }
}

/** Builds (and for a signed-jwt brand signs with the kit's key) a registration request for `brand`. */
export async function prepareRegistration(
  brand: Brand,
  kit: KitDocument,
  kits: KitRegistry,
  audience: string,
  overrides: Record<string, unknown>,
): Promise<PreparedRegistration> {
  const description = brand.dcr.registrationRequest
  const metadata = requestedMetadata(description, brand, kit, overrides)
  const input = {
    softwareId: kit.software_id,
    softwareStatement: kit.software_statement,
    organizationIdentifier: kit.qwac.organization_identifier,
    audience,
  }
  if (description.format === 'json') {
    const request = await buildRegistrationRequest(description, { ...input, metadata })
    return { content_type: 'application/json', body: request.body }
  }
  const key = await kits.signingKey(kit)
  const defaults = defaultRequestMetadata(kit.roles, kit.redirect_uris, key.alg)
  const request = await buildRegistrationRequest(description, { ...input, metadata: { ...defaults, ...metadata } }, key)
  return { content_type: 'application/jose', body: request.text, jwt: request.text, aud: audience }
}
