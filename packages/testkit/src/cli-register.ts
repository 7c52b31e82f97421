import { buildRegistrationRequest } from './build-registration-request.js'
import { type CliResponse, send, type TlsIdentity } from './cli-http.js'
import { signHttpRequest } from './http-signature.js'
import { signingKeyFromJwk } from './keys.js'
import { defaultRequestMetadata } from './registration-request.js'
import {
  profileRequestDescriptions,
  type RegistrationRequestDescription,
  readRequestDescription,
} from './request-description.js'

/** A kit as `POST /sandbox/tpps` returns it. */
export interface KitFile {
  software_id: string
  roles: string[]
  redirect_uris: string[]
  software_statement: string
  signing: { kid: string; alg: string; private_jwk: Record<string, unknown> }
  transport: { cert_pem: string; key_pem: string; subject_dn: string }
  qwac?: { cert_pem: string; key_pem: string; organization_identifier: string }
  qseal?: { cert_pem: string; key_pem: string }
  ca_pem: string
}

/** What `open-dcr register` was asked to do. */
export interface RegisterOptions {
  sandbox: string
  brand: string
  metadata: Record<string, unknown>
  /** Overrides the brand's published description with a built-in profile's. */
  profile?: string
  portalToken?: string
}

/** The kit's TLS identity: its QWAC when the brand knows TPPs by certificate, else its transport certificate. */
export const tlsOf = (kit: KitFile, qwac = false): TlsIdentity => ({
  ca: kit.ca_pem,
  cert: qwac && kit.qwac ? kit.qwac.cert_pem : kit.transport.cert_pem,
  key: qwac && kit.qwac ? kit.qwac.key_pem : kit.transport.key_pem,
})

/** On plain http, the certificate travels in X-Client-Certificate (the sandbox's stand-in for a TLS proxy). */
export const certificateHeader = (url: string, tls: TlsIdentity): Record<string, string> =>
  url.startsWith('http:') ? { 'x-client-certificate': encodeURIComponent(tls.cert) } : {}

/** The brand's OpenID Provider configuration. */
export async function discovery(sandbox: string, brand: string, tls: TlsIdentity) {
  const res = await send(`${sandbox.replace(/\/$/, '')}/${brand}/.well-known/openid-configuration`, {
    method: 'GET',
    tls,
  })
  if (res.status !== 200) throw new Error(`no brand "${brand}" at ${sandbox} (HTTP ${res.status})`)
  return res.body as {
    issuer: string
    authorization_endpoint: string
    registration_endpoint: string
    token_endpoint: string
    token_endpoint_auth_methods_supported: string[]
  }
}

const isBuiltIn = (name: string): name is keyof typeof profileRequestDescriptions =>
  Object.hasOwn(profileRequestDescriptions, name)

/**
 * How to build the brand's request: `--profile` when given; else what the sandbox publishes for the
 * brand in `GET /brands`; else (a bank that publishes nothing) a UK OB signed JWT.
 */
export async function requestDescription(
  options: Pick<RegisterOptions, 'sandbox' | 'brand' | 'profile'>,
  tls: TlsIdentity,
): Promise<RegistrationRequestDescription> {
  if (options.profile !== undefined) {
    if (!isBuiltIn(options.profile)) {
      throw new Error(`--profile must be one of ${Object.keys(profileRequestDescriptions).join(', ')}`)
    }
    return profileRequestDescriptions[options.profile]
  }
  const res = await send(`${options.sandbox.replace(/\/$/, '')}/brands`, { method: 'GET', tls })
  const listed = res.status === 200 && Array.isArray(res.body) ? (res.body as { id?: unknown }[]) : []
  const brand = listed.find((entry) => entry.id === options.brand) as { registration_request?: unknown } | undefined
  return brand?.registration_request === undefined
    ? profileRequestDescriptions['ob-uk']
    : readRequestDescription(brand.registration_request)
}

/** The metadata the CLI asks for: the kit's FAPI defaults in a signed JWT; redirect URIs (and an app name for eIDAS) in JSON. */
function requestedMetadata(
  description: RegistrationRequestDescription,
  kit: KitFile,
  metadata: Record<string, unknown>,
  alg: string,
) {
  if (description.format === 'signed-jwt')
    return { ...defaultRequestMetadata(kit.roles, kit.redirect_uris, alg), ...metadata }
  if (description.identity === 'certificate')
    return { client_name: 'TPP app', redirect_uris: kit.redirect_uris, ...metadata }
  return { redirect_uris: kit.redirect_uris, ...metadata }
}

/** What the description asks for that the kit or the command line lacks. */
function missing(description: RegistrationRequestDescription, kit: KitFile, options: RegisterOptions): string[] {
  return [
    description.identity === 'certificate' && !kit.qwac ? 'a kit with a qwac' : '',
    description.http_signature && !kit.qseal ? 'a kit with a qseal' : '',
    description.portal_token && !options.portalToken ? '--portal-token' : '',
  ].filter(Boolean)
}

/** What every brand command needs: how the brand wants requests, the TLS identity it knows, its endpoints. */
export interface BrandContext {
  description: RegistrationRequestDescription
  tls: TlsIdentity
  config: Awaited<ReturnType<typeof discovery>>
}

/** Reads the brand's request description (`GET /brands`, or `--profile`) and its discovery document. */
export async function brandContext(
  kit: KitFile,
  options: Pick<RegisterOptions, 'sandbox' | 'brand' | 'profile'>,
): Promise<BrandContext> {
  const description = await requestDescription(options, tlsOf(kit))
  const tls = tlsOf(kit, description.identity === 'certificate')
  const config = await discovery(options.sandbox, options.brand, tls)
  return { description, tls, config }
}

/** The kit's registration (or RFC 7592 update) request body, as the brand describes it. */
export async function kitRequest(kit: KitFile, context: BrandContext, metadata: Record<string, unknown>) {
  const key = await signingKeyFromJwk(kit.signing.private_jwk)
  return buildRegistrationRequest(
    context.description,
    {
      metadata: metadata,
      softwareId: kit.software_id,
      softwareStatement: kit.software_statement,
      ...(kit.qwac ? { organizationIdentifier: kit.qwac.organization_identifier } : {}),
      audience: context.config.issuer,
    },
    key,
  )
}

/** The kit's default metadata for the brand with `metadata` merged over it. */
export async function kitMetadata(
  kit: KitFile,
  context: BrandContext,
  metadata: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const key = await signingKeyFromJwk(kit.signing.private_jwk)
  return requestedMetadata(context.description, kit, metadata, key.alg)
}

/**
 * The headers every call to the brand carries: the certificate (as a header on plain http) and, when
 * the brand wants HTTP signatures, Date, Digest and Signature made with the kit's QSEAL.
 */
export function brandHeaders(
  kit: KitFile,
  context: BrandContext,
  sandbox: string,
  request: { method: string; url: string; body: string },
): Record<string, string> {
  const signed =
    context.description.http_signature && kit.qseal
      ? signHttpRequest({
          method: request.method,
          path: new URL(request.url).pathname,
          body: request.body,
          keyPem: kit.qseal.key_pem,
          certPem: kit.qseal.cert_pem,
        }).headers
      : {}
  return { ...certificateHeader(sandbox, context.tls), ...signed }
}

/** `open-dcr register`: builds the brand's registration request as it describes it, and sends it. */
export async function registerKit(kit: KitFile, options: RegisterOptions): Promise<CliResponse> {
  const context = await brandContext(kit, options)
  const { description } = context
  const lacking = missing(description, kit, options)
  if (lacking.length > 0) throw new Error(`this brand needs ${lacking.join(', ')}`)
  const request = await kitRequest(kit, context, await kitMetadata(kit, context, options.metadata))
  const endpoint = context.config.registration_endpoint
  const headers = {
    ...brandHeaders(kit, context, options.sandbox, { method: 'POST', url: endpoint, body: request.text }),
    'content-type': request.contentType,
    ...(description.portal_token ? { authorization: `Bearer ${options.portalToken}` } : {}),
  }
  return send(endpoint, { method: 'POST', headers, body: request.text, tls: context.tls })
}
