import { createHash } from 'node:crypto'

/** The `Digest` the body should carry: `SHA-256=<base64>` of the bytes as received. */
export const expectedDigest = (body: Buffer): string => `SHA-256=${createHash('sha256').update(body).digest('base64')}`

/**
 * The SHA-256 value of a `Digest` header (RFC 3230 §4.3.2: comma-separated `algorithm=value`
 * instances; algorithm names are case-insensitive, §4.1.1), or undefined when none is SHA-256.
 */
function sha256Instance(digest: string): string | undefined {
  for (const instance of digest.split(',')) {
    const equals = instance.indexOf('=')
    if (equals > 0 && instance.slice(0, equals).trim().toLowerCase() === 'sha-256') {
      return instance.slice(equals + 1).trim()
    }
  }
  return undefined
}

/**
 * What is wrong with the request's `Digest` (RFC 3230) for this body, or undefined: missing while
 * required, or not the body's SHA-256 (bare hex accepted when `allowHex`, as one bank's guide has it).
 */
export function digestProblem(
  digest: string | undefined,
  body: Buffer,
  options: { required: boolean; allowHex: boolean },
): string | undefined {
  const expected = expectedDigest(body)
  if (digest === undefined) return options.required ? `the Digest header is missing; expected ${expected}` : undefined
  const hash = createHash('sha256').update(body).digest()
  const ok =
    sha256Instance(digest) === hash.toString('base64') ||
    (options.allowHex && digest.trim().toLowerCase() === hash.toString('hex'))
  return ok ? undefined : `Digest does not match the body: expected ${expected}, received ${digest}`
}
