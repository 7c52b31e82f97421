import { createHash, randomInt } from 'node:crypto'
import { join } from 'node:path'
import { defaultRoleScopes, pspRoleScopes } from '@open-dcr/express'
import {
  createTppKit,
  type IssuedCertificate,
  issueQseal,
  issueQwac,
  type PspRole,
  type RsaKeySource,
  type SigningKey,
  signingKeyFromJwk,
  type TppKit,
  toJwks,
} from '@open-dcr/testkit'
import type { JSONWebKeySet, JWK } from 'jose'
import { Low } from 'lowdb'
import { PrivateJsonFile, privateDirectory } from './private-files.js'
import type { SandboxState } from './state.js'

/** A TPP kit as the sandbox API returns it (snake_case, PEM, private JWK). */
export interface KitDocument {
  software_id: string
  org_id: string
  org_name: string
  roles: string[]
  redirect_uris: string[]
  software_statement: string
  software_jwks_endpoint: string
  signing: { kid: string; alg: string; private_jwk: JWK }
  /** `cert_header`: the certificate URL-encoded, ready for X-Client-Certificate on the plain listener. */
  transport: { cert_pem: string; key_pem: string; subject_dn: string; cert_header: string }
  seal: { cert_pem: string; key_pem: string; subject_dn: string; cert_header: string }
  /** eIDAS QWAC (client TLS) and QSEAL (HTTP signatures) for the same organisation. */
  qwac: { cert_pem: string; key_pem: string; subject_dn: string; organization_identifier: string; cert_header: string }
  qseal: { cert_pem: string; key_pem: string; subject_dn: string; organization_identifier: string; cert_header: string }
  ca_pem: string
}

/** What `POST /sandbox/tpps` accepts. */
export interface KitRequest {
  roles?: string[]
  redirect_uris?: string[]
  org_name?: string
  alg?: 'PS256' | 'ES256'
}

/** The UK OB software roles a kit may hold (all of them by default): the middleware's roles. */
export const kitRoles: readonly string[] = Object.keys(defaultRoleScopes)

/**
 * A UK OB software role → the PSD2 role of the kit's eIDAS certificates: the one the middleware lets
 * register the same scopes (AISP → PSP_AI, PISP → PSP_PI, CBPII → PSP_IC).
 */
function pspRoleOf(role: string): PspRole | undefined {
  const scopes = defaultRoleScopes[role]?.join(' ')
  return (Object.keys(pspRoleScopes) as PspRole[]).find((psd2) => pspRoleScopes[psd2]?.join(' ') === scopes)
}

function toDocument(
  kit: TppKit,
  eidas: { organizationIdentifier: string; qwac: IssuedCertificate; qseal: IssuedCertificate },
): KitDocument {
  const eidasCert = (cert: IssuedCertificate) => ({
    cert_pem: cert.certPem,
    cert_header: encodeURIComponent(cert.certPem),
    key_pem: cert.keyPem,
    subject_dn: cert.subjectDn,
    organization_identifier: eidas.organizationIdentifier,
  })
  return {
    software_id: kit.softwareId,
    org_id: kit.orgId,
    org_name: kit.orgName,
    roles: kit.roles,
    redirect_uris: kit.redirectUris,
    software_statement: kit.softwareStatement,
    software_jwks_endpoint: kit.softwareJwksEndpoint,
    signing: { kid: kit.signingKey.kid, alg: kit.signingKey.alg, private_jwk: kit.signingKey.privateJwk },
    transport: {
      cert_pem: kit.transport.certPem,
      key_pem: kit.transport.keyPem,
      subject_dn: kit.transport.subjectDn,
      cert_header: encodeURIComponent(kit.transport.certPem),
    },
    seal: {
      cert_pem: kit.seal.certPem,
      key_pem: kit.seal.keyPem,
      subject_dn: kit.seal.subjectDn,
      cert_header: encodeURIComponent(kit.seal.certPem),
    },
    qwac: eidasCert(eidas.qwac),
    qseal: eidasCert(eidas.qseal),
    ca_pem: kit.caPem,
  }
}

/** The sandbox's TPP kits, one durable file each under `dataDir/kits`. */
export interface KitRegistry {
  create(request: KitRequest): Promise<KitDocument>
  get(softwareId: string): Promise<KitDocument | undefined>
  /** The kit's public JWKS. */
  jwks(softwareId: string): Promise<JSONWebKeySet | undefined>
  /** The kit's request-signing key. */
  signingKey(kit: KitDocument): Promise<SigningKey>
}

/**
 * Opens the kit registry; `jwksBaseUrl` is where the sandbox serves kit JWKS to its own brands.
 * Kits' RSA keys (signing, transport, seal, QWAC, QSEAL) come from `rsaKeys`, off the event loop.
 */
export async function openKitRegistry(
  dataDir: string,
  state: SandboxState,
  jwksBaseUrl: string,
  rsaKeys: RsaKeySource,
): Promise<KitRegistry> {
  const root = join(dataDir, 'kits')
  await privateDirectory(root)
  const file = (softwareId: string) =>
    join(root, `${createHash('sha256').update(softwareId, 'utf8').digest('hex')}.json`)
  const open = (softwareId: string) => new Low<KitDocument | null>(new PrivateJsonFile(file(softwareId)), null)
  const keys = new Map<string, Promise<SigningKey>>()

  const get = async (softwareId: string) => {
    const db = open(softwareId)
    await db.read()
    return db.data?.software_id === softwareId ? db.data : undefined
  }
  const signingKey = (kit: KitDocument) => {
    let key = keys.get(kit.software_id)
    if (!key) {
      key = signingKeyFromJwk(kit.signing.private_jwk)
      keys.set(kit.software_id, key)
    }
    return key
  }
  return {
    get,
    signingKey,
    async create(request) {
      const registrationId = String(randomInt(100000, 1000000))
      const roles = request.roles ?? [...kitRoles]
      const [kit, qwacKey, qsealKey] = await Promise.all([
        createTppKit({
          directory: state.directory,
          rsaKeys,
          ca: state.ca,
          jwksEndpoint: (softwareId) => `${jwksBaseUrl}/sandbox/tpps/${softwareId}/jwks`,
          ...(request.roles ? { roles: request.roles } : {}),
          ...(request.redirect_uris ? { redirectUris: request.redirect_uris } : {}),
          ...(request.org_name ? { orgName: request.org_name } : {}),
          ...(request.alg ? { alg: request.alg } : {}),
          statementClaims: {
            organisation_competent_authority_claims: {
              authority_id: 'FCAGBR',
              registration_id: registrationId,
              status: 'Active',
              authorisations: [{ member_state: 'GB', roles }],
            },
          },
        }),
        rsaKeys(),
        rsaKeys(),
      ])
      const identity = {
        organizationIdentifier: `PSDGB-FCA-${registrationId}`,
        organizationName: kit.orgName,
        roles: roles.map(pspRoleOf).filter((role): role is PspRole => role !== undefined),
      }
      const document = toDocument(kit, {
        organizationIdentifier: identity.organizationIdentifier,
        qwac: issueQwac(state.ca, { ...identity, key: qwacKey }),
        qseal: issueQseal(state.ca, { ...identity, key: qsealKey }),
      })
      const db = open(kit.softwareId)
      db.data = document
      await db.write()
      keys.set(kit.softwareId, Promise.resolve(kit.signingKey))
      return document
    },
    async jwks(softwareId) {
      const kit = await get(softwareId)
      return kit && toJwks(await signingKey(kit))
    },
  }
}
