import type { Request, RequestHandler, Response } from 'express'
import { DcrError } from '../http/dcr-error.js'
import type { RegisteredMetadata } from '../metadata/client-metadata.js'
import type { Config } from '../options.js'
import type { RegistrationInput } from '../profiles/index.js'
import type { ClientRecord } from '../stores/types.js'
import type { ParsedCertificate } from '../verify/certificate.js'

/** What a client's credentials are at the moment they are issued (the only time they exist in clear). */
export interface IssuedCredentials {
  clientSecret?: string
  registrationAccessToken?: string
}

/** How a management request proved which client it acts for. */
export type ManagementCredential = 'registration_access_token' | 'access_token' | 'portal_token'

/** What the steps of one DCR request have found so far; each step adds, none re-parses. */
export interface DcrContext {
  input?: RegistrationInput
  metadata?: RegisteredMetadata
  record?: ClientRecord
  credentials?: IssuedCredentials
  /** The client a management request acts on, as authenticated. */
  client?: ClientRecord
  authenticatedBy?: ManagementCredential
  /** The validated client certificate of this request (mutual TLS), when one was presented. */
  certificate?: ParsedCertificate
  /** The developer-portal app whose token this request carries (registrationAuth). */
  portalApp?: string
  /** The QSEAL that signed this request (HTTP signatures). */
  sealCertificate?: ParsedCertificate
}

/** The request's context, created on first use. */
export function context(res: Response): DcrContext {
  res.locals.dcr ??= {}
  return res.locals.dcr as DcrContext
}

/** A value an earlier step must have set; its absence is a wiring bug, so a 500. */
export function required<K extends keyof DcrContext>(res: Response, key: K): NonNullable<DcrContext[K]> {
  const value = context(res)[key]
  if (value === undefined) throw new Error(`DCR step order: ${key} is not set`)
  return value as NonNullable<DcrContext[K]>
}

/** 415 unless the request has one of `types`; 400 when it has no body at all. */
export function requireContentType(types: readonly string[]): RequestHandler {
  return (req, _res, next) => {
    const match = req.is([...types])
    if (match === null) throw new DcrError('invalid_request', `request body is required (${types.join(' or ')})`)
    if (match === false) {
      throw new DcrError('invalid_request', `content type must be ${types.join(' or ')}`, { status: 415 })
    }
    next()
  }
}

/**
 * The URL clients use for this client's management endpoints (RFC 7592 registration_client_uri):
 * `publicBaseUrl`, else the issuer's origin and the router's mount path; the request's own
 * protocol and Host only when the bank opted in with `trustHostHeader`.
 */
export function registrationClientUri(req: Request, config: Config, clientId: string): string {
  const base =
    config.publicBaseUrl ??
    (config.trustHostHeader
      ? `${req.protocol}://${req.get('host') ?? 'localhost'}${req.baseUrl}`
      : `${new URL(config.issuer).origin}${req.baseUrl}`)
  return `${base}${config.registrationPath}/${encodeURIComponent(clientId)}`
}
