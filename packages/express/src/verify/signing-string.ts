import type { SignatureParameters } from './signature-header.js'

/** A request as received, for signature checking. */
export interface SignedRequest {
  method: string
  /** Path and query exactly as sent, e.g. `/client/v1/register?x=1`. */
  path: string
  header(name: string): string | undefined
  body: Buffer
}

/** What the signing string is built from: the Signature header's parameters. */
export type SigningStringParameters = Pick<SignatureParameters, 'headers' | 'algorithm' | 'created' | 'expires'>

/**
 * A header value as the signing string takes it (draft-cavage-12 §2.3: repeated headers joined by
 * ", "), or undefined. Covered header names come from the request, so a lookup in a plain object
 * such as Node's `req.headers` may find `constructor` or `__proto__` on Object.prototype: anything
 * but a string (or strings) is no header.
 */
export function headerText(value: unknown): string | undefined {
  if (typeof value === 'string') return value
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value.join(', ')
  return undefined
}

/**
 * The value of a `(created)` or `(expires)` line (draft-cavage-12 §2.3): the `created`/`expires`
 * Signature parameter, which only `hs2019` may cover (algorithms named after a digest such as
 * `rsa-sha256` must not, since their verifiers predate these parameters).
 */
function timestampValue(name: '(created)' | '(expires)', params: SigningStringParameters): string | Error {
  const parameter = name === '(created)' ? 'created' : 'expires'
  if (/^(rsa|hmac|ecdsa)/.test(params.algorithm)) {
    return new Error(
      `the signature covers ${name}, which algorithm "${params.algorithm}" must not (draft-cavage-12 §2.3); use hs2019, or cover the Date header instead`,
    )
  }
  const value = params[parameter]
  if (value === undefined) {
    return new Error(
      `the signature covers ${name} but the Signature header has no ${parameter}="<unix time>" parameter`,
    )
  }
  return String(value)
}

/**
 * The draft-cavage-12 signing string: one `name: value` line per covered header, in order, with the
 * pseudo-headers `(request-target)`, `(created)` and `(expires)`. Problems name what is missing.
 */
export function signingString(
  request: SignedRequest,
  params: SigningStringParameters,
): { text: string; problems: string[] } {
  const problems: string[] = []
  const lines = params.headers.map((name) => {
    if (name === '(request-target)') return `(request-target): ${request.method.toLowerCase()} ${request.path}`
    if (name === '(created)' || name === '(expires)') {
      const value = timestampValue(name, params)
      if (value instanceof Error) problems.push(value.message)
      return `${name}: ${value instanceof Error ? '' : value}`
    }
    const value = headerText(request.header(name))
    if (value === undefined) problems.push(`header "${name}" is listed in the signature but missing from the request`)
    return `${name}: ${(value ?? '').trim()}`
  })
  return { text: lines.join('\n'), problems }
}
