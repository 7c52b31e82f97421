import { DcrError } from '../errors.js'

/** Redirect URI rules of a brand. */
export interface RedirectUriPolicy {
  /** Allow `http://` and `https://` URIs on localhost, 127.0.0.1 and [::1] (local development brands only). */
  allowLoopback: boolean
}

const maxLength = 256
const loopbackHosts = new Set(['localhost', '127.0.0.1', '[::1]'])

const reject = (description: string): never => {
  throw new DcrError('invalid_redirect_uri', description)
}

/**
 * Checks requested redirect URIs: each https (loopback only where the brand allows it), no fragment,
 * at most 256 characters, and each one of the software statement's `software_redirect_uris` when it
 * has them. Omitted → the software statement's list.
 */
export function checkRedirectUris(
  requested: unknown,
  fromStatement: readonly string[] | undefined,
  policy: RedirectUriPolicy,
): string[] {
  const uris = requested ?? fromStatement
  if (uris === undefined) return reject('"redirect_uris" is required')
  if (!Array.isArray(uris) || uris.length === 0 || !uris.every((uri) => typeof uri === 'string')) {
    return reject('"redirect_uris" must be a non-empty array of strings')
  }
  for (const uri of uris) checkOne(uri, policy)
  if (requested !== undefined && fromStatement !== undefined) {
    const allowed = new Set(fromStatement)
    for (const uri of uris) {
      if (!allowed.has(uri)) reject(`${uri} is not in the software statement's software_redirect_uris`)
    }
  }
  return [...new Set(uris as string[])]
}

function checkOne(uri: string, policy: RedirectUriPolicy): void {
  if (uri.length > maxLength) reject(`redirect URI is longer than ${maxLength} characters`)
  if (!URL.canParse(uri)) reject(`${uri} is not an absolute URI`)
  const url = new URL(uri)
  if (uri.includes('#')) reject(`${uri} must not contain a fragment`)
  const loopback = loopbackHosts.has(url.hostname)
  if (loopback && !policy.allowLoopback) reject(`${uri} points at a loopback host; use a public https URI`)
  if (url.protocol === 'https:') return
  if (url.protocol === 'http:' && loopback && policy.allowLoopback) return
  reject(`${uri} must use https`)
}
