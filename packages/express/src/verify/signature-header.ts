import { CheckError } from '../check-error.js'

/** The parameters of a draft-cavage-http-signatures-12 `Signature` header. */
export interface SignatureParameters {
  keyId: string
  algorithm: string
  /** Lowercased header names in signing order. Default `["(created)"]` (§2.1.6). */
  headers: string[]
  /** The decoded signature bytes. */
  signature: Buffer
  created?: number
  expires?: number
}

const known = new Set(['keyid', 'algorithm', 'headers', 'signature', 'created', 'expires'])
const param = /\s*([A-Za-z][A-Za-z0-9-]*)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|(\d{1,15}))\s*(?:,|$)/y
const invalid = (why: string) =>
  new CheckError('ERR_DCR_HTTP_SIGNATURE_INVALID', 'HTTP signature', `Signature header: ${why}`)

/**
 * Parses a `Signature` header strictly: comma-separated `name="value"` pairs (`created` and
 * `expires` may be bare integers); duplicated, unknown-syntax or missing parameters are refused.
 * (Written here because the maintained implementation, http-signature, lets a repeated parameter
 * silently win, which a signature check must not allow.)
 */
export function parseSignatureHeader(value: string): SignatureParameters {
  if (value.length === 0 || value.length > 8192) throw invalid('must be 1 to 8192 characters')
  const params = new Map<string, string>()
  param.lastIndex = 0
  while (param.lastIndex < value.length) {
    const start = param.lastIndex
    const match = param.exec(value)
    if (!match || match.index !== start) throw invalid(`cannot read a name="value" parameter at position ${start}`)
    const name = (match[1] ?? '').toLowerCase()
    if (params.has(name)) throw invalid(`parameter "${name}" appears twice`)
    params.set(name, match[2] === undefined ? (match[3] ?? '') : match[2].replace(/\\(.)/g, '$1'))
  }
  for (const name of params.keys()) if (!known.has(name)) throw invalid(`unknown parameter "${name}"`)
  const keyId = params.get('keyid')
  const signature = params.get('signature')
  if (!keyId) throw invalid('keyId is required')
  if (!signature) throw invalid('signature is required')
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(signature)) throw invalid('signature must be base64')
  const headers = (params.get('headers') ?? '(created)').trim().toLowerCase().split(/\s+/)
  if (headers.some((header) => !/^(\([a-z-]+\)|[a-z0-9!#$%&'*+.^_`|~-]+)$/.test(header)))
    throw invalid('headers has an invalid name')
  if (new Set(headers).size !== headers.length) throw invalid('headers lists a header twice')
  const parsed: SignatureParameters = {
    keyId,
    algorithm: params.get('algorithm') ?? 'hs2019',
    headers,
    signature: Buffer.from(signature, 'base64'),
  }
  for (const name of ['created', 'expires'] as const) {
    const value = params.get(name)
    if (value === undefined) continue
    if (!/^\d{1,15}$/.test(value)) throw invalid(`${name} must be a Unix time in whole seconds`)
    parsed[name] = Number(value)
  }
  return parsed
}
