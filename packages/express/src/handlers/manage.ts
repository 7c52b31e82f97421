import type { RequestHandler } from 'express'
import { liveCredentials } from '../client-auth/secret-liveness.js'
import { hashCredential, newClientSecret, verifyClientSecret } from '../credentials.js'
import { DcrError, setNoStore } from '../errors.js'
import type { Config } from '../options.js'
import { authenticateClient, invalidToken } from './authenticate.js'
import { bindCertificateToSoftware, matchSubjectDn, readClientCertificate } from './client-certificate.js'
import { clientBody, storedMetadata, usesSecret } from './client-record.js'
import { context, requireContentType, required } from './context.js'
import { readRawBody, verifyHttpSignature } from './http-signature.js'
import { notify } from './notify.js'
import { applyPolicy, policySubject, readRegistrationRequest } from './register.js'
import { replaceRecord } from './replace-record.js'
import { claimSingleUse } from './single-use.js'

/** 200 with the client as it now is, and any credential issued by this request. */
const respondClient =
  (config: Config): RequestHandler =>
  (req, res) => {
    const ctx = context(res)
    setNoStore(res)
    res.status(200).json(clientBody(req, config, ctx.record ?? required(res, 'client'), ctx.credentials ?? {}))
  }

/**
 * RFC 7592 §3: the answer to a read carries a registration access token. Only its hash is stored,
 * so a read issues a new one (the replaced one keeps working for the grace period); a brand that
 * does not manage clients by registration access token writes nothing.
 */
const issueTokenOnRead =
  (config: Config): RequestHandler =>
  async (_req, res, next) => {
    if (config.management.registrationAccessToken) await replaceRecord(config, res, (current) => current)
    next()
  }

/** `GET /register/{clientId}`. */
export const readClient = (config: Config): RequestHandler[] => [
  readClientCertificate(config),
  authenticateClient(config),
  issueTokenOnRead(config),
  respondClient(config),
]

/** Members RFC 7592 §2.2 forbids in an update: the server owns them. */
const serverOwned = [
  'registration_access_token',
  'registration_client_uri',
  'client_secret_expires_at',
  'client_id_issued_at',
]

/** RFC 7592 §2.2 rules on an update request, and that it is for the same software. */
const checkUpdateRequest =
  (config: Config): RequestHandler =>
  (req, res, next) => {
    const input = required(res, 'input')
    const { claims } = input
    const client = required(res, 'client')
    const forbidden = serverOwned.filter((name) => claims[name] !== undefined)
    if (forbidden.length > 0) {
      throw new DcrError(
        'invalid_client_metadata',
        `${forbidden.map((n) => `"${n}"`).join(', ')} must not be sent in an update (RFC 7592 §2.2)`,
      )
    }
    if (claims.client_id === undefined && config.profile.management.updateRequiresClientId) {
      throw new DcrError('invalid_client_metadata', '"client_id" is required in an update (RFC 7592 §2.2)')
    }
    if (claims.client_id !== undefined && claims.client_id !== req.params.clientId) {
      throw new DcrError('invalid_client_metadata', '"client_id" does not match the client being updated')
    }
    if (claims.client_secret !== undefined) {
      if (typeof claims.client_secret !== 'string' || !verifyClientSecret(client, claims.client_secret, config.now())) {
        throw new DcrError('invalid_client_metadata', '"client_secret" does not match the client\'s current secret')
      }
    }
    const softwareId = policySubject(input)?.software_id
    if (client.softwareId !== undefined && softwareId !== undefined && softwareId !== client.softwareId) {
      throw new DcrError(
        'invalid_client_metadata',
        `the software statement is for software "${softwareId}"; this client belongs to "${client.softwareId}"`,
      )
    }
    next()
  }

/** Replaces the client's metadata; keeps its id, issue time and secret (issues one if the new method needs it). */
const replaceClient =
  (config: Config): RequestHandler =>
  async (_req, res, next) => {
    const metadata = required(res, 'metadata')
    const statement = required(res, 'input').statement
    let clientSecret: string | undefined
    await replaceRecord(config, res, (current) => {
      const kept = liveCredentials(current.secrets, config.now())
      clientSecret = usesSecret(metadata) && kept.length === 0 ? newClientSecret() : undefined
      const secrets = !usesSecret(metadata)
        ? []
        : clientSecret === undefined
          ? kept
          : [{ hash: hashCredential(clientSecret) }]
      const issuedAt = current.metadata.client_id_issued_at
      const record = {
        ...current,
        metadata: storedMetadata(statement, metadata, current.clientId, typeof issuedAt === 'number' ? issuedAt : 0),
        secrets,
      }
      if (typeof statement?.claims.org_id === 'string') record.orgId = statement.claims.org_id
      return record
    })
    if (clientSecret !== undefined) context(res).credentials = { ...context(res).credentials, clientSecret }
    next()
  }

/** `PUT /register/{clientId}`: a complete replacement, validated exactly like a registration. */
export const updateClient = (config: Config): RequestHandler[] => [
  readClientCertificate(config),
  authenticateClient(config),
  requireContentType(config.profile.contentTypes),
  config.profile.parseBody(config.bodyLimit),
  verifyHttpSignature(config),
  readRegistrationRequest(config),
  checkUpdateRequest(config),
  bindCertificateToSoftware(config),
  applyPolicy(config),
  matchSubjectDn(config),
  claimSingleUse(config),
  replaceClient(config),
  notify(config, 'updated'),
  respondClient(config),
]

/** Deletes the client; its tokens stop working because they no longer name a registered client. */
const removeClient =
  (config: Config): RequestHandler =>
  async (_req, res, next) => {
    const client = required(res, 'client')
    if (!(await config.store.delete(client.clientId)))
      throw invalidToken('the client is not registered (or was deleted)')
    context(res).record = client
    next()
  }

/** `DELETE /register/{clientId}` → 204. */
export const deleteClient = (config: Config): RequestHandler[] => [
  readClientCertificate(config),
  authenticateClient(config),
  readRawBody(config),
  verifyHttpSignature(config),
  removeClient(config),
  notify(config, 'deleted'),
  (_req, res) => {
    setNoStore(res)
    res.status(204).end()
  },
]

/** Issues a new secret; the previous ones keep working for the grace period, then stop. */
const rotateClientSecret =
  (config: Config): RequestHandler =>
  async (_req, res, next) => {
    const client = required(res, 'client')
    if (!usesSecret(client.metadata)) {
      throw new DcrError(
        'invalid_request',
        `this client authenticates with ${String(client.metadata.token_endpoint_auth_method)}; it has no client secret to rotate`,
      )
    }
    const clientSecret = newClientSecret()
    await replaceRecord(config, res, (current) => {
      const now = config.now()
      const until = now + config.management.secretRotationGracePeriod * 1000
      const previous =
        until > now
          ? liveCredentials(current.secrets, now).map((s) => ({
              hash: s.hash,
              expiresAt: Math.min(s.expiresAt ?? until, until),
            }))
          : []
      return { ...current, secrets: [{ hash: hashCredential(clientSecret) }, ...previous] }
    })
    context(res).credentials = { ...context(res).credentials, clientSecret }
    next()
  }

/** `POST /register/{clientId}/client-secret` → 200 with the new secret. */
export const rotateSecret = (config: Config): RequestHandler[] => [
  readClientCertificate(config),
  authenticateClient(config),
  readRawBody(config),
  verifyHttpSignature(config),
  rotateClientSecret(config),
  notify(config, 'secretRotated'),
  respondClient(config),
]
