import { createPrivateKey, type JsonWebKey } from 'node:crypto'
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { BrandConfig, KitDocument, SandboxUrls } from '@open-dcr/sandbox'

/** The tool's `config.json` (fields as in its `config.json.sample`). */
export interface ToolConfig {
  spec_version: '3.3'
  /** The brand's discovery document on the mutual-TLS listener. */
  wellknown_endpoint: string
  ssa: string
  kid: string
  aud: string
  redirect_uris: string[]
  /** The software id. */
  issuer: string
  /** The request-signing key, PKCS#1 PEM (the tool signs PS256). */
  private_key: string
  transport_root_cas: string[]
  transport_cert: string
  transport_key: string
  transport_cert_subject_dn: string
  get_implemented: boolean
  put_implemented: boolean
  delete_implemented: boolean
  environment: 'sandbox'
  brand: string
}

/** A brand's management calls as the tool's `*_implemented` switches (each defaults to on). */
export function implementedCalls(
  brand: BrandConfig,
): Pick<ToolConfig, 'get_implemented' | 'put_implemented' | 'delete_implemented'> {
  return {
    get_implemented: brand.management?.read ?? true,
    put_implemented: brand.management?.update ?? true,
    delete_implemented: brand.management?.delete ?? true,
  }
}

/** The tool's config for one brand, playing the TPP of `kit`. */
export function toolConfig(kit: KitDocument, brand: BrandConfig, urls: SandboxUrls): ToolConfig {
  const signingKey = createPrivateKey({ key: kit.signing.private_jwk as JsonWebKey, format: 'jwk' })
  return {
    spec_version: '3.3',
    wellknown_endpoint: `${urls.mtls}/${brand.id}/.well-known/openid-configuration`,
    ssa: kit.software_statement,
    kid: kit.signing.kid,
    aud: `${urls.mtls}/${brand.id}`,
    redirect_uris: kit.redirect_uris,
    issuer: kit.software_id,
    private_key: String(signingKey.export({ type: 'pkcs1', format: 'pem' })),
    transport_root_cas: [kit.ca_pem],
    transport_cert: kit.transport.cert_pem,
    transport_key: kit.transport.key_pem,
    transport_cert_subject_dn: kit.transport.subject_dn,
    ...implementedCalls(brand),
    environment: 'sandbox',
    brand: brand.id,
  }
}

/** A new TPP kit from the sandbox (`POST /sandbox/tpps`), with an RSA signing key as the tool needs. */
export async function createKit(urls: SandboxUrls): Promise<KitDocument> {
  const res = await fetch(`${urls.http}/sandbox/tpps`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ alg: 'PS256' }),
  })
  if (res.status !== 201) throw new Error(`POST /sandbox/tpps answered ${res.status}: ${await res.text()}`)
  return (await res.json()) as KitDocument
}

/** The files {@link writeToolConfig} wrote. */
export interface WrittenToolConfig {
  /** `config.json`, for `-config-path`. */
  configFile: string
  /** The sandbox CA, for `SSL_CERT_FILE`. */
  caFile: string
  config: ToolConfig
  kit: KitDocument
}

/**
 * Makes a kit and writes the tool's `config.json` and the CA file for one brand into `dir/<brand>/`.
 *
 * @example
 * const { configFile, caFile } = await writeToolConfig(tmp, brand, sandbox.urls)
 */
export async function writeToolConfig(dir: string, brand: BrandConfig, urls: SandboxUrls): Promise<WrittenToolConfig> {
  const kit = await createKit(urls)
  const config = toolConfig(kit, brand, urls)
  const folder = join(dir, brand.id)
  await mkdir(folder, { recursive: true, mode: 0o700 })
  const configFile = join(folder, 'config.json')
  const caFile = join(folder, 'ca.pem')
  await writeFile(configFile, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 })
  await writeFile(caFile, kit.ca_pem)
  return { configFile, caFile, config, kit }
}
