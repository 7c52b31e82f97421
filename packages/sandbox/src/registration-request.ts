import { defaultRequestMetadata, signKitDocumentRequest } from '@open-dcr/testkit'
import type { Brand } from './brands.js'
import type { KitDocument, KitRegistry } from './kits.js'

/** A ready-to-send registration request for a brand. */
export interface PreparedRegistration {
  content_type: 'application/jose' | 'application/json'
  /** ob-uk: the signed JWT; rfc7591: the JSON body. */
  body: string | Record<string, unknown>
  /** ob-uk only: the signed JWT (same as body). */
  jwt?: string
  /** ob-uk only: the audience the JWT was signed for. */
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

/** Builds (and for ob-uk signs with the kit's key) a registration request for `brand`. */
export async function prepareRegistration(
  brand: Brand,
  kit: KitDocument,
  kits: KitRegistry,
  audience: string,
  overrides: Record<string, unknown>,
): Promise<PreparedRegistration> {
  if (brand.config.profile === 'eidas') {
    return {
      content_type: 'application/json',
      body: {
        iss: kit.qwac.organization_identifier,
        client_name: 'Sandbox TPP corporate app',
        redirect_uris: kit.redirect_uris,
        contacts: ['ops@tpp.example'],
        ...overrides,
      },
    }
  }
  const metadata = { ...brandMetadata(brand, kit, overrides.token_endpoint_auth_method), ...overrides }
  if (brand.config.profile === 'rfc7591') {
    const body = Object.fromEntries(
      Object.entries({
        ...metadata,
        response_types: ['code'],
        token_endpoint_auth_signing_alg: metadata.token_endpoint_auth_signing_alg,
        id_token_signed_response_alg: undefined,
        request_object_signing_alg: undefined,
        software_statement: kit.software_statement,
        ...overrides,
      }).filter(([, value]) => value !== undefined),
    )
    return { content_type: 'application/json', body }
  }
  const jwt = await signKitDocumentRequest(kit, audience, metadata, await kits.signingKey(kit))
  return { content_type: 'application/jose', body: jwt, jwt, aud: audience }
}
