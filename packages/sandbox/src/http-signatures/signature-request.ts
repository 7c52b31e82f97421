import { sandboxError } from '../sandbox-error.js'

/** A request as the signature utility's callers describe it (`POST /sandbox/http-signatures`, `/send`, `/verify`). */
export interface SignatureRequest {
  /** As given; RFC 9110 method token. */
  method: string
  /** Path and query as sent. */
  path: string
  /** Header names lowercase. */
  headers: Record<string, string>
  /** The exact body; empty when none. */
  body: string
  /** Whether the caller gave a body at all (a GET must not). */
  hasBody: boolean
  softwareId?: string
  keyPem?: string
  certPem?: string
  /** Default `rsa-sha256`. */
  algorithm: 'rsa-sha256' | 'hs2019'
  /** Default: the signer's, `(request-target) date digest`. */
  signedHeaders?: string[]
}

const invalid = (description: string) => sandboxError(400, 'invalid_request', description)

/** RFC 9110 §5.6.2 token: header names and methods. */
const token = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/
/** RFC 9110 §5.5 field value: visible characters, spaces and tabs; never CR, LF or NUL. */
const fieldValue = /^[\t\x20-\x7e\x80-\xff]*$/
/** A request target: visible ASCII only (spaces and control characters would break the signing string). */
const requestTarget = /^\/[\x21-\x7e]*$/
const signedHeaderName = /^(\([a-z-]+\)|[!#$%&'*+.^_`|~0-9a-z-]+)$/

const optionalString = (value: Record<string, unknown>, name: string): string | undefined => {
  const field = value[name]
  if (field === undefined) return undefined
  if (typeof field !== 'string' || field === '') throw invalid(`${name} must be a non-empty string`)
  return field
}

function readHeaders(value: unknown): Record<string, string> {
  if (value === undefined) return {}
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw invalid('headers must be an object of strings')
  const headers: Record<string, string> = {}
  for (const [name, field] of Object.entries(value)) {
    if (!token.test(name)) throw invalid(`header name ${JSON.stringify(name.slice(0, 64))} is not an HTTP token`)
    if (typeof field !== 'string') throw invalid(`header ${name} must be a string`)
    if (!fieldValue.test(field))
      throw invalid(
        `header ${name} may hold only visible characters, spaces and tabs (no CR, LF, NUL; Latin-1 at most)`,
      )
    const lower = name.toLowerCase()
    if (lower in headers) throw invalid(`header ${lower} is given twice`)
    headers[lower] = field
  }
  return headers
}

function readSignedHeaders(value: unknown, algorithm: SignatureRequest['algorithm']): string[] | undefined {
  if (value === undefined) return undefined
  if (
    !Array.isArray(value) ||
    value.length === 0 ||
    !value.every((name) => typeof name === 'string' && signedHeaderName.test(name))
  ) {
    throw invalid('signed_headers must be a non-empty array of lowercase header names or (request-target), (created)')
  }
  const names = value as string[]
  if (algorithm !== 'hs2019' && names.some((name) => name === '(created)' || name === '(expires)')) {
    throw invalid('(created) and (expires) may only be signed with algorithm hs2019 (draft-cavage-12 §2.3)')
  }
  return names
}

/**
 * Reads and checks the JSON a signature utility call sends: method, path, headers and body of the
 * request to sign (or check), and optionally which key and how.
 */
export function readSignatureRequest(body: unknown): SignatureRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw invalid('the body must be a JSON object')
  const value = body as Record<string, unknown>
  if (typeof value.method !== 'string' || !token.test(value.method)) throw invalid('method is required, e.g. POST')
  if (typeof value.path !== 'string' || value.path.length > 2048 || !requestTarget.test(value.path)) {
    throw invalid(
      'path is required: the path and query as sent, from /, without spaces or control characters (percent-encode them), at most 2048 characters; e.g. /continental-corporate/client/v1/register',
    )
  }
  if (value.body !== undefined && typeof value.body !== 'string') throw invalid('body must be the raw body as a string')
  const algorithm = value.algorithm ?? 'rsa-sha256'
  if (algorithm !== 'rsa-sha256' && algorithm !== 'hs2019') throw invalid('algorithm must be rsa-sha256 or hs2019')
  const request: SignatureRequest = {
    method: value.method,
    path: value.path,
    headers: readHeaders(value.headers),
    body: value.body ?? '',
    hasBody: value.body !== undefined && value.body !== '',
    algorithm,
  }
  const signedHeaders = readSignedHeaders(value.signed_headers, algorithm)
  if (signedHeaders) request.signedHeaders = signedHeaders
  const softwareId = optionalString(value, 'software_id')
  if (softwareId !== undefined) request.softwareId = softwareId
  const keyPem = optionalString(value, 'key_pem')
  if (keyPem !== undefined) request.keyPem = keyPem
  const certPem = optionalString(value, 'cert_pem')
  if (certPem !== undefined) request.certPem = certPem
  return request
}
